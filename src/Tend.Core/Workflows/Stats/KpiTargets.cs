namespace Tend.Core.Workflows.Stats;

/// <summary>
/// What a workflow is held to; the defaults are the runbook's: success above 98 %, completion
/// under 2 minutes (p95 of ended runs), artifact success above 95 %.
/// </summary>
public sealed record KpiTargets(double SuccessPercent, TimeSpan CompletionP95, double ArtifactSuccessPercent)
{
    public static readonly KpiTargets Runbook = new(98, TimeSpan.FromMinutes(2), 95);

    /// <summary>The window <c>tend workflow stats</c> and the monitor's workflow rules read when none is given.</summary>
    public static readonly TimeSpan DefaultWindow = TimeSpan.FromDays(7);
}
