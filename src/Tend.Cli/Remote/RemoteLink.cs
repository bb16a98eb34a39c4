using System.Diagnostics;
using System.Text;
using Tend.Core.Text;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>
/// One ssh session to a host's `tend api --stdio`, with the protocol spoken over its stdin and
/// stdout and the versions checked first. One a command (or a monitor session), never one a poll.
/// </summary>
internal sealed class RemoteLink : IAsyncDisposable
{
    private static readonly TimeSpan ExitGrace = TimeSpan.FromSeconds(3);

    private readonly Process _ssh;
    private readonly StringBuilder _stderr = new();
    private readonly Task _readingErrors;
    private readonly TimeProvider _time;

    private RemoteLink(string host, Process ssh, TimeProvider time)
    {
        Host = host;
        _ssh = ssh;
        _time = time;
        _readingErrors = ReadErrorsAsync();
        Client = ControlClient.Over(ssh.StandardOutput.BaseStream, ssh.StandardInput.BaseStream, EndAsync);
    }

    public string Host { get; }

    public ControlClient Client { get; }

    /// <summary>The remote tend's hello: its version, its stack's name and file.</summary>
    public HelloResult Hello { get; private set; } = new("", 0, 0, "", "");

    /// <summary>Opens the session and shakes hands; the link, or why there is none.</summary>
    public static async Task<(RemoteLink? Link, RemoteProblem? Problem)> OpenAsync(string host, TimeProvider time, CancellationToken cancellationToken)
    {
        if (SshCommand.Problem(host) is { } bad)
        {
            return (null, new RemoteProblem(bad, "give the alias of a Host in ~/.ssh/config, or user@host", Usage: true));
        }

        var argv = SshCommand.For(host, Environment.GetEnvironmentVariable);
        var info = new ProcessStartInfo(argv[0])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        Process ssh;
        try
        {
            ssh = Process.Start(info) ?? throw new InvalidOperationException("no process");
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            return (null, new RemoteProblem($"cannot run {argv[0]}: {e.Message}", $"install OpenSSH's client, or point {SshCommand.SshVariable} at an ssh (docs/remote.md)", Usage: true));
        }

        var link = new RemoteLink(host, ssh, time);
        if (await link.ShakeHandsAsync(cancellationToken) is { } problem)
        {
            await link.DisposeAsync();
            return (null, problem);
        }

        return (link, null);
    }

    private async Task<RemoteProblem?> ShakeHandsAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DaemonConnection.AnswerTimeout);
        ControlReply reply;
        try
        {
            reply = await Client.CallAsync(new HelloRequest(), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RemoteProblem($"{Host} did not answer within {Quantities.FormatDuration(DaemonConnection.AnswerTimeout)}", "try `ssh " + Host + "` by hand: a prompt (a password, a new host key) cannot be answered in BatchMode");
        }

        if (reply.Hello is { } hello)
        {
            Hello = hello;
            return hello.Protocol == ControlProtocol.Version
                ? null
                : new RemoteProblem(
                    $"{Host} runs tend {hello.Version} (control protocol {hello.Protocol}), and this tend is {TendVersion.Current} (control protocol {ControlProtocol.Version}): they cannot talk",
                    "install the same tend on both (tend --version on each)");
        }

        if (reply.Error is { Code: "unsupported_version" } other)
        {
            return new RemoteProblem($"{Host} speaks another control protocol than this tend {TendVersion.Current} (protocol {ControlProtocol.Version}): {other.Message}", "install the same tend on both (tend --version on each)");
        }

        return reply.Error is { Code: not "not_running" } error
            ? new RemoteProblem($"{Host}: {error.Message}", error.Hint)
            : await EndedAsync(cancellationToken);
    }

    /// <summary>Why the session ended, from ssh's exit code and what it said; after the replies stopped.</summary>
    public async Task<RemoteProblem> EndedAsync(CancellationToken cancellationToken)
    {
        using var grace = new CancellationTokenSource(ExitGrace, _time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, grace.Token);
        try
        {
            await _ssh.WaitForExitAsync(either.Token);
            await _readingErrors.WaitAsync(either.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new RemoteProblem($"{Host} stopped answering, and ssh is still running", Said());
        }

        var code = _ssh.ExitCode;
        return code switch
        {
            255 => new RemoteProblem($"ssh to {Host} failed (exit 255): {Said() ?? "it said nothing"}", $"ssh {Host} by hand tells more; {SshCommand.SshVariable} sets the ssh command (docs/remote.md)", code),
            127 => new RemoteProblem($"{Host} has no tend on the PATH of an ssh command (exit 127): {Said() ?? ""}".TrimEnd(' ', ':'), $"install tend there, or set {SshCommand.RemoteVariable} to its path, e.g. {SshCommand.RemoteVariable}='/usr/local/bin/tend api --stdio' (docs/remote.md)", code),
            _ => new RemoteProblem($"the remote command on {Host} ended with exit {code}{(Said() is { } said ? $": {said}" : "")}", "see docs/remote.md for the authorized_keys line", code),
        };
    }

    private string? Said()
    {
        lock (_stderr)
        {
            var text = _stderr.ToString().Trim();
            return text.Length == 0 ? null : text.Length > 600 ? "…" + text[^600..] : text.Replace('\n', ' ');
        }
    }

    private async Task ReadErrorsAsync()
    {
        try
        {
            while (await _ssh.StandardError.ReadLineAsync() is { } line)
            {
                lock (_stderr)
                {
                    // The last lines say why; a chatty remote must not grow this for ever.
                    if (_stderr.Length > 4000)
                    {
                        _stderr.Remove(0, _stderr.Length - 2000);
                    }

                    _stderr.AppendLine(line);
                }
            }
        }
        catch (IOException)
        {
            // ssh is gone.
        }
    }

    /// <summary>After stdin closed: the remote ends, and ssh with it; one that does not within the grace is killed (the process this link started).</summary>
    private async ValueTask EndAsync()
    {
        using var grace = new CancellationTokenSource(ExitGrace, _time);
        try
        {
            await _ssh.WaitForExitAsync(grace.Token);
        }
        catch (OperationCanceledException)
        {
            try
            {
                _ssh.Kill();
            }
            catch (InvalidOperationException)
            {
                // It exited in the meantime.
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await Client.DisposeAsync();
        await _ssh.WaitForExitAsync();
        await _readingErrors;
        _ssh.Dispose();
    }
}
