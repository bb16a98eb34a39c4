using System.Diagnostics;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Daemon;
using Tend.Daemon.Control;

namespace Tend.Cli;

/// <summary>The CLI's side of a stack's daemon: find it, start it when asked, send it verbs.</summary>
internal sealed class DaemonConnection(StackFile stack)
{
    private static readonly TimeSpan RequestTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    public DaemonPaths Paths { get; } = new(stack.StateDirectory);

    private ControlClient Client => new(Paths.Socket);

    /// <summary>Sends a verb; null when no daemon answers.</summary>
    public Task<ControlResponse?> SendAsync(ControlRequest request, CancellationToken cancellationToken, TimeSpan? timeout = null) =>
        Client.TrySendAsync(request, timeout ?? RequestTimeout, cancellationToken);

    /// <summary>Starts the daemon detached (own session, output to daemon.log) unless one answers; an error text when it cannot.</summary>
    public async Task<string?> EnsureRunningAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (await SendAsync(new ControlRequest("ping"), cancellationToken, TimeSpan.FromSeconds(2)) is { Ok: true })
        {
            return null;
        }

        Directory.CreateDirectory(Paths.StateDirectory);
        var self = Environment.ProcessPath ?? "tend";

        // The daemon must not hold the caller's terminal or pipes (a `tend up | tail` would never
        // end): its stdio is pointed at /dev/null and daemon.log before it even starts, by a shell
        // that gets every word as an argument, never as code; setsid gives it its own session.
        var setsid = ExecutableLookup.Find("setsid", "/");
        var info = new ProcessStartInfo(setsid ?? "/bin/sh") { UseShellExecute = false };
        IEnumerable<string> words = ["/bin/sh", "-c", "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1", "sh", Paths.DaemonLog, self, "daemon", "run", "--detach", "-f", stack.Path];
        foreach (var word in setsid is null ? words.Skip(1) : words)
        {
            info.ArgumentList.Add(word);
        }

        using var daemon = Process.Start(info)!;
        var started = time.GetTimestamp();
        while (time.GetElapsedTime(started) < StartTimeout)
        {
            if (await SendAsync(new ControlRequest("ping"), cancellationToken, TimeSpan.FromSeconds(1)) is { Ok: true })
            {
                return null;
            }


            await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
        }

        return $"the daemon did not start within {Core.Text.Quantities.FormatDuration(StartTimeout)}; its log ({Paths.DaemonLog}) ends with:\n{Tail(Paths.DaemonLog, 10)}";
    }

    public static string Tail(string path, int lines)
    {
        try
        {
            return string.Join('\n', File.ReadLines(path).TakeLast(lines));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "(no log)";
        }
    }
}
