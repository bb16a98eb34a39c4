namespace Tend.Core.Metrics;

/// <summary>Why a component was started again: the <c>reason</c> label of <c>tend_component_restarts_total</c>.</summary>
public enum RestartReason
{
    /// <summary>Its run exited with a code, and its restart policy started it again.</summary>
    Exit,

    /// <summary>A signal ended its run (SIGSEGV, SIGKILL from the OOM killer...).</summary>
    Signal,

    /// <summary>Tend stopped it because its health probe kept failing (liveness, or never ready).</summary>
    Liveness,

    /// <summary>Someone asked: `tend restart`, and later the HTTP API.</summary>
    Manual,

    /// <summary>A monitor rule's <c>restart</c> action (max_memory...).</summary>
    Monitor,
}

public static class RestartReasons
{
    /// <summary>The label values, in the order of the enum: a fixed set, so every series exists from the start at 0.</summary>
    public static readonly IReadOnlyList<string> Names = ["exit", "signal", "liveness", "manual", "monitor"];

    public static string Name(this RestartReason reason) => Names[(int)reason];
}

/// <summary>How a round ended: the <c>outcome</c> label of <c>tend_rounds_total</c>, as the <c>round_ended</c> event spells it.</summary>
public static class RoundOutcomes
{
    public static readonly IReadOnlyList<string> Names = ["ok", "failed", "grace_kill", "timeout_kill", "stopped", "not_started"];

    /// <summary>The outcome's index in <see cref="Names"/>; -1 for one this version does not know.</summary>
    public static int IndexOf(string? outcome)
    {
        for (var i = 0; i < Names.Count; i++)
        {
            if (Names[i] == outcome)
            {
                return i;
            }
        }

        return -1;
    }
}

/// <summary>Probe durations by bucket: each bucket's own count (the last above every bound), and their sum in seconds.</summary>
public sealed record HistogramCounts(IReadOnlyList<long> Counts, double Sum)
{
    /// <summary>The upper bounds of <c>tend_probe_duration_seconds</c>: a loopback probe takes a millisecond, a slow one seconds, a timeout its limit.</summary>
    public static readonly IReadOnlyList<double> ProbeBounds = [0.005, 0.025, 0.1, 0.5, 2.5];

    public static readonly HistogramCounts EmptyProbe = new(new long[ProbeBounds.Count + 1], 0);
}

/// <summary>What the daemon counted of one component since it started: the counters of the exposition.</summary>
/// <param name="Restarts">By <see cref="RestartReason"/>.</param>
/// <param name="CpuSeconds">CPU time its runs used, as the sampler saw it between samples.</param>
/// <param name="LogBytes">Output bytes its runs printed.</param>
/// <param name="LogLines">Output lines its runs printed.</param>
/// <param name="LogDroppedBytes">Output that never reached the log file: dropped while the disk was behind, or lost to a failed write.</param>
/// <param name="Rounds">Rounds ended, by <see cref="RoundOutcomes"/>.</param>
public sealed record ComponentCounts(
    IReadOnlyList<long> Restarts,
    HistogramCounts Probe,
    double CpuSeconds,
    long LogBytes,
    long LogLines,
    long LogDroppedBytes,
    IReadOnlyList<long> Rounds)
{
    public static readonly ComponentCounts Zero = new(new long[RestartReasons.Names.Count], HistogramCounts.EmptyProbe, 0, 0, 0, 0, new long[RoundOutcomes.Names.Count]);
}

/// <summary>The daemon's counters at one scrape.</summary>
/// <param name="EventsByKind">Events published, by the index of their kind in <see cref="Events.EventKinds.All"/>.</param>
/// <param name="LastScrapeSeconds">How long the previous scrape took inside the daemon; null on the first.</param>
public sealed record StackCounts(IReadOnlyList<long> EventsByKind, IReadOnlyDictionary<string, ComponentCounts> Components, double? LastScrapeSeconds)
{
    public ComponentCounts Of(string component) => Components.GetValueOrDefault(component) ?? ComponentCounts.Zero;
}
