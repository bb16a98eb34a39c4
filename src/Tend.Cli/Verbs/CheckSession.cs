using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Cli.Verbs;

/// <summary>Runs a plan of checks against a stack, with the stack's own diagnosis rules first.</summary>
internal static class CheckSession
{
    public static Task<(IReadOnlyList<CheckResult> Results, TimeSpan Duration)> RunAsync(CliContext cli, StackFile stack, IReadOnlyList<PlannedCheck> plan, CancellationToken cancellationToken) =>
        RunAsync(stack, plan, cli.Time, cancellationToken);

    /// <summary>The same, without a terminal: for `tend api --stdio`, whose stdout is the protocol's.</summary>
    public static async Task<(IReadOnlyList<CheckResult> Results, TimeSpan Duration)> RunAsync(StackFile stack, IReadOnlyList<PlannedCheck> plan, TimeProvider time, CancellationToken cancellationToken)
    {
        var report = await CommandPreflightRun.RunAsync(stack, plan, RuleBook.With(stack.DiagnoseRules), time, Environment.CurrentDirectory, cancellationToken);
        return (report.Results, report.Duration);
    }

    /// <summary>A component's health check run once here, with the stack's rules and the built-in ones: the diagnosis of an external that fails (for up and why); null when it passes or has none.</summary>
    public static async Task<Core.Knowledge.Diagnosis?> ExplainHealthAsync(CliContext cli, StackFile stack, string name, CancellationToken cancellationToken)
    {
        if (stack.Find(name)?.Health is not { } health)
        {
            return null;
        }

        var (results, _) = await RunAsync(cli, stack, [new PlannedCheck($"{name}.health", name, CheckRole.Health, health.Check, [])], cancellationToken);
        return results.Count == 1 && results[0].Outcome.Status == CheckStatus.Fail ? results[0].Diagnosis : null;
    }
}
