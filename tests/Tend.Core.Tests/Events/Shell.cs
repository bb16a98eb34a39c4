using System.Diagnostics;
using Tend.Core.Processes;

namespace Tend.Core.Tests.Events;

/// <summary>
/// A real child process: <c>sh -c SCRIPT</c>, appending to files with <c>&gt;&gt;</c> (O_APPEND)
/// beside the test's own writers. Disposing kills it by its pid if it still runs.
/// </summary>
internal sealed class Shell : IDisposable
{
    private readonly Process process;

    private Shell(Process process) => this.process = process;

    public int Pid => process.Id;

    public bool HasExited => process.HasExited;

    public static Shell Start(string script, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo("/bin/sh") { UseShellExecute = false, RedirectStandardError = true };
        info.ArgumentList.Add("-c");
        info.ArgumentList.Add(script);
        foreach (var (name, value) in environment)
        {
            info.Environment[name] = value;
        }

        return new Shell(Process.Start(info)!);
    }

    public void KillHard() => Signals.Send(process.Id, Signals.SIGKILL).ShouldBeTrue();

    public async Task<int> WaitAsync(CancellationToken cancellationToken)
    {
        await process.WaitForExitAsync(cancellationToken);
        return process.ExitCode;
    }

    public string Errors() => process.StandardError.ReadToEnd();

    public void Dispose()
    {
        if (!process.HasExited)
        {
            Signals.Send(process.Id, Signals.SIGKILL);
            process.WaitForExit();
        }

        process.Dispose();
    }
}
