using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Metrics;

/// <summary>The families of rounds components: outcomes, the last round's length, the running round, the throttle.</summary>
public static partial class StackExposition
{
    private static void WriteRounds(ExpositionWriter writer, List<(ComponentSnapshot Now, Component? Definition, ComponentCounts Counts, Label Label)> components)
    {
        var rounds = components.Where(c => c.Now.Kind == ComponentKind.Rounds).ToList();
        if (rounds.Count == 0)
        {
            return;
        }

        Family(writer, ExposedMetrics.Rounds);
        foreach (var (_, _, counts, label) in rounds)
        {
            for (var i = 0; i < RoundOutcomes.Names.Count; i++)
            {
                writer.Sample(ExposedMetrics.Rounds.Name, counts.Rounds[i], label, new Label("outcome", RoundOutcomes.Names[i]));
            }
        }

        Gauges(writer, ExposedMetrics.RoundDuration, rounds, c => c.Rounds?.LastDurationSeconds);
        Gauges(writer, ExposedMetrics.RoundStart, rounds, c => c.Rounds is { InRound: true, RoundStartedAt: { } started } ? Seconds(started) : null);
        var timeouts = rounds.Where(r => r.Definition?.Rounds is not null).ToList();
        if (timeouts.Count > 0)
        {
            Family(writer, ExposedMetrics.RoundTimeout);
            foreach (var (_, definition, _, label) in timeouts)
            {
                writer.Sample(ExposedMetrics.RoundTimeout.Name, definition!.Rounds!.Timeout.TotalSeconds, label);
            }
        }

        Family(writer, ExposedMetrics.ThrottledUntil);
        foreach (var (now, _, _, label) in rounds)
        {
            writer.Sample(ExposedMetrics.ThrottledUntil.Name, now.Rounds?.ThrottledUntil is { } until ? Seconds(until) : 0, label);
        }
    }
}
