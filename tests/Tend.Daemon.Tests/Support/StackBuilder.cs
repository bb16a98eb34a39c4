using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Daemon.Tests.Support;

/// <summary>Loads a stack file written inline by a test, failing the test on any problem.</summary>
public static class StackBuilder
{
    public static StackFile Load(string directory, string toml)
    {
        var path = Path.Combine(directory, "tend.toml");
        File.WriteAllText(path, toml);
        var result = StackFileLoader.Load(path, Environment.GetEnvironmentVariable);
        result.Errors.ShouldBeEmpty();
        return result.Stack!;
    }

    /// <summary>A TOML argv array running the dummy with these arguments.</summary>
    public static string DummyArgv(params string[] args) => Dummy.TomlArgv(args);
}
