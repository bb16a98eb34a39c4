using System.Runtime.CompilerServices;
using Spectre.Console;
using Tend.Cli.Verbs;
using Tend.Core.Events;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Cli.Remote;

/// <summary>Why a remote question got no answer: the host's refusal (<see cref="Error"/>), or the link's (<see cref="Problem"/>).</summary>
internal sealed record RemoteFailure(ControlError? Error, RemoteProblem? Problem)
{
    /// <summary>The link went down (ssh exit 255): a follower tries again.</summary>
    public bool IsLinkDown => Problem is { IsLinkDown: true };

    /// <summary>The link stayed down for the tolerance: the stream already holds its <c>remote_gave_up</c>.</summary>
    public bool GaveUp { get; init; }

    /// <summary>
    /// Printed as the verbs print a daemon's error: a refusal of bad input exits 2, the rest 1. A
    /// give-up is said on stderr only: with --json, stdout is a stream of event lines, and the
    /// give-up is its last.
    /// </summary>
    public int Report(CliContext cli)
    {
        if (GaveUp)
        {
            cli.Terminal.Err.MarkupLine($"[red]tend:[/] {Markup.Escape(Problem!.ToString())}");
            return ExitCodes.Failed;
        }

        return Error is { } error ? cli.DaemonError(error) : RemoteVerbs.Fail(cli, Problem!);
    }
}

/// <summary>
/// The questions of the verbs, asked over one link: the state, the events, a log. The answers are
/// what the host's own `tend status`, `tend events` and `tend logs` read (daemon or files); when
/// one fails, it ends and <see cref="Failure"/> says why.
/// </summary>
internal sealed class RemoteSession(RemoteLink link)
{
    public RemoteLink Link => link;

    /// <summary>Why the last question ended without its whole answer; null while all went well.</summary>
    public RemoteFailure? Failure { get; private set; }

    /// <summary>Clears <see cref="Failure"/>: for a follow that took the failure over and tells it (or recovers from it) itself.</summary>
    public void Forget() => Failure = null;

    /// <summary>The host's stack state, as `tend status` there reads it; null (and <see cref="Failure"/>) when it did not answer.</summary>
    public async Task<StackState?> StateAsync(CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DaemonConnection.AnswerTimeout);
        ControlReply reply;
        try
        {
            reply = await link.Client.CallAsync(new StatusRequest(), deadline.Token);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            Failure = new RemoteFailure(null, new RemoteProblem($"{link.Host} took the request but did not answer within {Quantities.FormatDuration(DaemonConnection.AnswerTimeout)}", "TEND_ANSWER_TIMEOUT sets how long to wait"));
            return null;
        }

        if (reply.Error is { } error)
        {
            await FailAsync(error, cancellationToken);
            return null;
        }

        return reply.Saved is { } saved
            ? new StackState(reply.Snapshot, false, saved.Orphans, saved.Problem)
            : new StackState(reply.Snapshot, true, []);
    }

    public async IAsyncEnumerable<EventRecord> EventsAsync(EventFilter filter, int last, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var reply in link.Client.StreamAsync(new EventsRequest(filter.Kinds, filter.Components, last, follow), cancellationToken))
        {
            if (reply.Error is { } error)
            {
                await FailAsync(error, cancellationToken);
                yield break;
            }

            if (reply.Event is { } element && EventJson.FromElement(element) is { } record)
            {
                yield return record;
            }
        }
    }

    public async IAsyncEnumerable<LogLine> LogsAsync(string component, int? run, int last, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        await foreach (var reply in link.Client.StreamAsync(new LogsRequest(component, run, last, follow), cancellationToken))
        {
            if (reply.Error is { } error)
            {
                await FailAsync(error, cancellationToken);
                yield break;
            }

            if (reply.Log is { } log)
            {
                yield return new LogLine(log.Time, log.Stream switch { "out" => LogStream.Out, "err" => LogStream.Err, "tend" => LogStream.Tend, _ => LogStream.Unknown }, log.Text, log.Continued);
            }
        }
    }

    /// <summary>A control request, answered whenever it is done (a stop waits out grace periods); null (and <see cref="Failure"/>) when refused or cut.</summary>
    public async Task<ControlReply?> CallAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var reply = await link.Client.CallAsync(request, cancellationToken);
        if (reply.Error is { } error)
        {
            await FailAsync(error, cancellationToken);
            return null;
        }

        return reply;
    }

    /// <summary>An error reply: the host's, or the client's note that the link closed (then ssh's exit says why).</summary>
    private async Task FailAsync(ControlError error, CancellationToken cancellationToken) =>
        Failure = error.Code == "not_running" && link.Client.IsClosed
            ? new RemoteFailure(null, await link.EndedAsync(cancellationToken))
            : new RemoteFailure(OlderHost(error) ?? error, null);

    /// <summary>The code of a question an older tend on the host does not know (one of the same protocol, before the question was added).</summary>
    public const string UnknownToHost = "unknown_to_host";

    /// <summary>
    /// A tend of the same protocol but older than the question refuses it as malformed ("unknown
    /// verb"): said as what it is, with the versions of both, not as a bad request of this side.
    /// </summary>
    private ControlError? OlderHost(ControlError error)
    {
        var verb = System.Text.RegularExpressions.Regex.Match(error.Message, "unknown verb '([a-z_]+)'");
        return error.Code == "malformed" && verb.Success
            ? new ControlError(UnknownToHost, $"tend {link.Hello.Version} on {link.Host} does not answer '{verb.Groups[1].Value}': it is older than this tend ({TendVersion.Current})", $"update tend on {link.Host} (tend --version on each)")
            : null;
    }
}
