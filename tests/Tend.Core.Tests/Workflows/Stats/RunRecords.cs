using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Tests.Workflows.Stats;

/// <summary>Hand-built run records, as the engine would write them, for the KPI specs.</summary>
public static class RunRecords
{
    public static readonly DateTimeOffset Noon = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    /// <summary>A run that started <paramref name="ago"/> before noon and took <paramref name="took"/> (null: it has not ended).</summary>
    public static RunRecord Run(string workflow, RunOutcome outcome, TimeSpan ago, TimeSpan? took, params StepRecord[] steps)
    {
        var started = Noon - ago;
        return new RunRecord(
            workflow, $"/stack/{workflow}.yaml", "/stack", $"{started.UtcDateTime:yyyyMMdd-HHmmss}-{Math.Abs((workflow + ago).GetHashCode()) % 0x10000:x4}",
            new Dictionary<string, string>(), outcome, null, started, started + took, Environment.ProcessId,
            steps.Sum(s => s.Tokens), steps.Sum(s => s.Cost), steps);
    }

    /// <summary>A step with one attempt per reason given (null: that attempt passed), each checking <paramref name="emits"/> artifacts of which the named ones failed.</summary>
    public static StepRecord Step(string id, StepState state, long tokens = 0, int emits = 0, params (string? Reason, int ArtifactsFailed)[] attempts)
    {
        var list = attempts.Length == 0 ? [(state == StepState.Failed ? "exit 1" : null, 0)] : attempts;
        var records = list.Select((a, i) => new AttemptRecord(i + 1, Noon, Noon, 100 + i, a.Reason is null ? 0 : 1, null, a.Reason)
        {
            ArtifactsChecked = emits == 0 ? null : emits,
            ArtifactsFailed = emits == 0 ? null : a.ArtifactsFailed,
        }).ToList();
        return new StepRecord(id, null, state, null, records, tokens, tokens / 1000m, [], RunDirectory.LogName(id));
    }
}
