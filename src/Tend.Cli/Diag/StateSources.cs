using System.Globalization;
using System.Text;
using System.Text.Json;
using Tend.Cli.Output;
using Tend.Cli.Verbs;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Monitoring;
using Tend.Core.Status;

namespace Tend.Cli.Diag;

/// <summary>What the daemon says of the stack: status, the peek snapshot, the events and the monitor's samples of the window.</summary>
internal static class StateSources
{
    /// <summary>Events read at most: a stack that logs this many in the window has said enough to diagnose.</summary>
    private const int MaxEvents = 50_000;

    private const int MaxSamples = 100_000;

    public static async Task AddAsync(BundleDraft draft, StackFile stack, DaemonConnection connection, StackState state, DateTimeOffset now, DateTimeOffset since, TimeProvider time, CancellationToken cancellationToken)
    {
        draft.Add("status.txt", Status(stack, state, now));
        var facts = new StackFacts(connection, time);
        var recent = await facts.EventsAsync(EventFilter.All, 20, follow: false, cancellationToken).ToListAsync(cancellationToken);
        draft.Add("peek.json", JsonSerializer.Serialize(new PeekReport(state.Live, state.Snapshot, state.Orphans, [.. recent.Select(EventJson.ToElement)]), StatusJson.Default.PeekReport) + "\n");

        var events = new StringBuilder();
        await foreach (var e in facts.EventsAsync(EventFilter.All, MaxEvents, follow: false, cancellationToken))
        {
            if (e.Timestamp >= since)
            {
                events.Append(EventJson.ToLineString(e));
            }
        }

        draft.Add("events.jsonl", events.ToString());
        var samples = RecentSamples.Read(connection.Paths.Events, since, now, MaxSamples);
        if (samples.Count == 0)
        {
            draft.LeaveOut("metrics.jsonl: no monitor samples in the window");
        }
        else
        {
            draft.Add("metrics.jsonl", string.Join('\n', samples) + "\n");
        }
    }

    /// <summary>What `tend status` shows, and, when no daemon runs, that in words rather than a failure.</summary>
    private static string Status(StackFile stack, StackState state, DateTimeOffset now)
    {
        var text = new StringBuilder();
        if (state.Problem is { } problem)
        {
            text.Append("the daemon did not answer: ").Append(problem).Append('\n');
        }

        if (state.Snapshot is not { } snap)
        {
            return text.Append(CultureInfo.InvariantCulture, $"{stack.Name}: no daemon runs for this stack and nothing has run yet (no state.json)\n").ToString();
        }

        text.Append(state.Live
            ? string.Create(CultureInfo.InvariantCulture, $"{snap.Stack}: daemon pid {snap.DaemonPid}, up since {snap.DaemonStartedAt:O}, snapshot at {snap.At:O}\n")
            : string.Create(CultureInfo.InvariantCulture, $"{snap.Stack}: no daemon runs for this stack; last known state from state.json, as of {snap.At:O}\n"));
        foreach (var orphan in state.Orphans)
        {
            text.Append("unsupervised: ").Append(orphan).Append('\n');
        }

        return text.Append(StatusTable.PlainText(snap.Components, now)).ToString();
    }
}
