using System.Diagnostics;

namespace Tend.Cli.Tests.Support;

/// <summary>A next step Tend printed, typed into a shell where the user stands: it must work as printed.</summary>
public static class TypedCommand
{
    public static async Task<(int ExitCode, string Output)> RunAsync(string commandLine, string workingDirectory, string shell = "/bin/sh")
    {
        var info = new ProcessStartInfo(shell, ["-c", commandLine])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
