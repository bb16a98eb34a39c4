using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Text;
using Tend.Daemon;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli;

/// <summary>The CLI's side of a stack's daemon: find it, start it when asked, and talk to it over one connection.</summary>
internal sealed class DaemonConnection(StackFile stack) : IAsyncDisposable
{
    private static readonly TimeSpan ConnectTimeout = TimeSpan.FromSeconds(2);
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(15);

    /// <summary>A question (status, peek) that gets no answer in this long means a wedged daemon, not a slow one; TEND_ANSWER_TIMEOUT (a duration such as 5s) changes it.</summary>
    public static readonly TimeSpan AnswerTimeout =
        Environment.GetEnvironmentVariable("TEND_ANSWER_TIMEOUT") is { Length: > 0 } text && Quantities.TryParseDuration(text, out var given) && given > TimeSpan.Zero
            ? given
            : TimeSpan.FromSeconds(30);

    private ControlClient? _client;

    public DaemonPaths Paths { get; } = DaemonPaths.For(stack);

    /// <summary>The stack file the daemon's runs carry in their tag (TEND_STACK_FILE).</summary>
    public string StackPath => stack.Path;

    /// <summary>
    /// The connection, made on first use; null when no daemon listens. A daemon of another
    /// version is found out by the first request's answer (an `unsupported_version` error),
    /// not by a handshake of its own: every command would pay for that round trip.
    /// </summary>
    public async Task<ControlClient?> ClientAsync(CancellationToken cancellationToken) =>
        _client ??= await ControlClient.ConnectAsync(Paths.Socket, ConnectTimeout, cancellationToken);

    /// <summary>Sends a request; null when no daemon listens; an error reply when it did not answer within <paramref name="timeout"/> (default <see cref="AnswerTimeout"/>).</summary>
    /// <param name="timeout"><see cref="Timeout.InfiniteTimeSpan"/> for a change that takes as long as it takes (a stop waits out grace periods).</param>
    public async Task<ControlReply?> CallAsync(ControlRequest request, CancellationToken cancellationToken, TimeSpan? timeout = null)
    {
        if (await ClientAsync(cancellationToken) is not { } client)
        {
            return null;
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout ?? AnswerTimeout);
        try
        {
            return await client.CallAsync(request, deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new ControlReply(0, ReplyTypes.Error) { Error = new ControlError("no_answer", $"the daemon took the request but did not answer within {Quantities.FormatDuration(timeout ?? AnswerTimeout)}", NoAnswerHint()) };
        }
    }

    /// <summary>The pid in the daemon's pid file, when a process of that pid lives: whose a run is, against its runner (RunOwner).</summary>
    public int? DaemonPid() =>
        int.TryParse(Tend.Daemon.Hosting.DaemonHost.ReadPid(Paths.PidFile), out var pid) && Tend.Daemon.Processes.ProcStat.Read(pid) is { State: not 'Z' } ? pid : null;

    /// <summary>What to do about a daemon that does not answer: which process it is and how to end it, from where the user stands.</summary>
    private string NoAnswerHint()
    {
        if (!int.TryParse(Tend.Daemon.Hosting.DaemonHost.ReadPid(Paths.PidFile), out var pid) || Tend.Daemon.Processes.ProcStat.Read(pid) is not { } process)
        {
            return $"see {Paths.DaemonLog}";
        }

        // A stopped process holds TERM until it is resumed: only KILL ends it as it is.
        return process.State == 'T'
            ? $"its process {pid} is stopped (SIGSTOP): resume it with `kill -CONT {pid}`, or end it with `kill -KILL {pid}` (the next tend up stops what it left running and starts afresh)"
            : $"its process {pid} may be wedged: see {Paths.DaemonLog}; end it with `kill {pid}`, or `kill -KILL {pid}` if it stays (the next tend up stops what it left running and starts afresh)";
    }

    /// <summary>Starts the daemon detached (own session, output to daemon.log) unless one answers; an error text when it cannot.</summary>
    public async Task<string?> EnsureRunningAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (await ClientAsync(cancellationToken) is not null)
        {
            // A daemon killed a moment ago holds its socket while the kernel tears it down: the
            // connect lands in its backlog and the first request finds the door shut. Asked once
            // here, so that up and start go on to a new daemon instead of failing on the old one.
            var hello = await CallAsync(new HelloRequest(), cancellationToken);
            if (hello?.Error is { Code: "no_answer" } wedged)
            {
                return wedged.ToString();
            }

            if (hello?.Error is not { Code: "not_running" })
            {
                return null;
            }

            await _client!.DisposeAsync();
            _client = null;
            await WaitUntilGoneAsync(time, cancellationToken);
        }

        if ((Paths.Create() ?? Paths.CheckWritable()) is { } cannot)
        {
            return cannot;
        }

        var self = Environment.ProcessPath ?? "tend";

        // The daemon must not hold the caller's terminal or pipes (a `tend up | tail` would never
        // end): its stdio is pointed at /dev/null and daemon.log before it even starts, by a shell
        // that gets every word as an argument, never as code. The launcher gives it its own
        // session; no parent-death signal, for it outlives this command.
        var script = "log=$1; shift; exec \"$@\" </dev/null >>\"$log\" 2>&1";
        var request = new LaunchRequest("/bin/sh", ["-c", script, "sh", Paths.DaemonLog, self, "daemon", "run", "--detach", "-f", stack.Path], Paths.StateDirectory, new Dictionary<string, string>())
        {
            CaptureOutput = false,
        };
        System.Diagnostics.Process? daemon = null;
        switch (await ProcessLauncher.Shared.StartAsync(request))
        {
            case LaunchOutcome.Failed failed:
                return $"cannot start the daemon: {failed.Failure.Message}";
            case LaunchOutcome.Started started:
                daemon = started.Process;
                break;
        }

        using (daemon)
        {
            var begun = time.GetTimestamp();
            while (time.GetElapsedTime(begun) < StartTimeout)
            {
                if (await ClientAsync(cancellationToken) is not null)
                {
                    return null;
                }

                // The shell execs the daemon itself: its exit is the daemon's, and there is no point waiting on.
                if (daemon is { HasExited: true })
                {
                    return $"the daemon exited with code {daemon.ExitCode} before it listened; its log ({Paths.DaemonLog}) ends with:\n{Tail(Paths.DaemonLog, 10)}";
                }

                await Task.Delay(TimeSpan.FromMilliseconds(20), time, cancellationToken);
            }
        }

        return $"the daemon did not start within {Quantities.FormatDuration(StartTimeout)}; its log ({Paths.DaemonLog}) ends with:\n{Tail(Paths.DaemonLog, 10)}";
    }

    /// <summary>Until the daemon of the PID file is gone (its lock free for a new one), five seconds at most.</summary>
    private async Task WaitUntilGoneAsync(TimeProvider time, CancellationToken cancellationToken)
    {
        if (!int.TryParse(Tend.Daemon.Hosting.DaemonHost.ReadPid(Paths.PidFile), out var pid))
        {
            return;
        }

        var begun = time.GetTimestamp();
        while (Tend.Daemon.Processes.ProcStat.Read(pid) is { State: not 'Z' } && time.GetElapsedTime(begun) < TimeSpan.FromSeconds(5))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), time, cancellationToken);
        }
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

    public async ValueTask DisposeAsync()
    {
        if (_client is not null)
        {
            await _client.DisposeAsync();
        }
    }
}
