using System.Diagnostics;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Support;

/// <summary>
/// Prometheus' own checker, from Debian's <c>prometheus</c> package (scripts/test.sh installs it; no
/// server is started). Outside CI a missing promtool skips the spec with the reason; under CI it
/// fails it, as a missing server does.
/// </summary>
public static class Promtool
{
    public static string Path()
    {
        var found = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => System.IO.Path.Combine(d, "promtool"))
            .FirstOrDefault(File.Exists);
        if (found is not null)
        {
            return found;
        }

        const string message = "promtool is not on the PATH: install Debian's prometheus package (scripts/test.sh does)";
        if (TestServers.UnderCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return "";
    }

    /// <summary>Runs promtool with <paramref name="input"/> on its stdin; its exit code and everything it printed.</summary>
    public static async Task<(int ExitCode, string Output)> RunAsync(string input, params string[] args)
    {
        var info = new ProcessStartInfo(Path())
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.StandardInput.WriteAsync(input);
        process.StandardInput.Close();
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
