using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

public sealed partial class ComponentRunner
{
    /// <summary>
    /// The component's own start checks (config file, pre-flight list), not its requirements'
    /// health, which the start order already waits for. False, with the component failed and
    /// the first diagnosis as the reason, when one fails.
    /// </summary>
    private async Task<bool> PreflightAsync(CancellationToken stop)
    {
        var plan = CheckPlanner.Preflight(_supervisor.Stack, [Name])
            .Where(p => p.Component == Name && p.Role != CheckRole.Health)
            .Select(p => p with { After = [] })
            .ToList();
        if (plan.Count == 0)
        {
            return true;
        }

        var runner = new CheckRunner(_supervisor.Checks, RuleBook.With(_supervisor.Stack.DiagnoseRules));
        var results = await runner.RunAsync(plan, stop);
        var failed = results.Where(r => r.Status is CheckStatus.Fail).ToList();
        if (failed.Count == 0)
        {
            return true;
        }

        var first = failed[0];
        var action = first.Diagnosis is { Actions.Count: > 0 } diagnosis ? diagnosis.Actions[0] : null;
        var reason = $"pre-flight failed: {first.Outcome.Summary}" + (action is null ? "" : $"; {action}");
        _services.Events.Emit(
            EventKinds.PreflightFailed, Name,
            EventFields.Present(
                EventFields.List("failed", failed.Select(f => $"{f.Check.Spec.Title}: {f.Outcome.Summary}")),
                EventFields.List("facts", failed.SelectMany(f => f.Outcome.Facts)),
                first.Diagnosis is null ? null : new("cause", first.Diagnosis.Cause),
                EventFields.List("actions", first.Diagnosis?.Actions ?? [])));
        SetState(ComponentState.Failed, reason);
        return false;
    }
}
