using System.Runtime.CompilerServices;
using Tend.Core.Events;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Cli.Verbs;

/// <summary>
/// The stack's events and logs, read through the daemon when one runs (the same stream a remote
/// face will read) and from the files it keeps when none does, so they answer after a crash too.
/// </summary>
internal sealed class StackFacts(DaemonConnection connection, TimeProvider time)
{
    public async IAsyncEnumerable<EventRecord> EventsAsync(EventFilter filter, int last, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        if (await connection.ClientAsync(cancellationToken) is { } client)
        {
            var answered = true;
            await foreach (var reply in client.StreamAsync(new EventsRequest(filter.Kinds, filter.Components, last, follow), cancellationToken))
            {
                if (reply.Event is { } element && EventJson.FromElement(element) is { } record)
                {
                    yield return record;
                }

                // A daemon of another version: the files say the same.
                answered = reply.Error is null;
            }

            if (answered)
            {
                yield break;
            }
        }

        var reader = new EventReader(connection.Paths.Events, time);
        var events = follow ? reader.FollowAsync(filter, last, cancellationToken) : reader.Last(last, filter).ToAsyncEnumerable();
        await foreach (var record in events.WithCancellation(cancellationToken))
        {
            yield return record;
        }
    }

    public async IAsyncEnumerable<LogLine> LogsAsync(string component, int? run, int last, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        LogLine? shown = null;
        if (await connection.ClientAsync(cancellationToken) is { } client)
        {
            var answered = true;
            await foreach (var reply in client.StreamAsync(new LogsRequest(component, run, last, follow), cancellationToken))
            {
                if (reply.Log is { } log)
                {
                    shown = new LogLine(log.Time, Stream(log.Stream), log.Text, log.Continued);
                    yield return shown;
                }

                answered = reply.Error is null;
            }

            if (answered)
            {
                yield break;
            }
        }

        // A daemon that went away in the middle: the files go on from the last line it sent, not from a new tail.
        var seam = new LogSeam(shown);
        await foreach (var line in new ComponentLogs(connection.Paths.ComponentLogs(component)).ReadAsync(shown is null ? last : LogSeam.Lines, run, follow, time, cancellationToken))
        {
            if (seam.IsNew(line))
            {
                yield return line;
            }
        }
    }

    private static LogStream Stream(string name) => name switch
    {
        "out" => LogStream.Out,
        "err" => LogStream.Err,
        "tend" => LogStream.Tend,
        _ => LogStream.Unknown,
    };
}
