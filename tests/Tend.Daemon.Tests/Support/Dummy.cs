using Tend.Core.Tests.Support;

namespace Tend.Daemon.Tests.Support;

/// <summary>The argv that runs tests/Tend.Dummy with a command: a real child process with chosen behaviour.</summary>
public static class Dummy
{
    public static string Dll => Path.Combine(RepoPaths.Root, "artifacts", "bin", "Tend.Dummy", "debug", "Tend.Dummy.dll");

    public static string[] Argv(params string[] args) => ["dotnet", Dll, .. args];

    /// <summary>The same argv as a TOML array, for a stack file written by a test.</summary>
    public static string TomlArgv(params string[] args) => "[" + string.Join(", ", Argv(args).Select(a => $"\"{a}\"")) + "]";
}
