using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Checks;

/// <summary>A pre-flight's results and how long it took.</summary>
public sealed record PreflightReport(IReadOnlyList<CheckResult> Results, TimeSpan Duration)
{
    public static readonly PreflightReport Empty = new([], TimeSpan.Zero);

    /// <summary>Something failed, or was skipped because something it needs failed.</summary>
    public bool Failed => CheckSummary.Overall(Results) == CheckStatus.Fail;

    /// <summary>
    /// Why it failed in one line, the check's diagnosis first ("pre-flight of db: tcp 127.0.0.1:5999 failed:
    /// connection refused to 127.0.0.1:5999 (Nothing listens on 127.0.0.1:5999.)"); null when it passed. The first failure
    /// is the root: a skipped check only repeats it.
    /// </summary>
    public string? Reason => (Results.FirstOrDefault(r => r.Status == CheckStatus.Fail) ?? Results.FirstOrDefault(r => r.Status == CheckStatus.Skip)) is { } root
        ? $"pre-flight of {root.Check.Component}: {root.Check.Spec.Title} failed: {root.Outcome.Summary}{(root.Diagnosis is { } d ? $" ({d.Cause})" : "")}"
        : null;
}

/// <summary>
/// The pre-flight <c>tend run COMP CMD</c> does before a component's command, for every face that
/// runs one: the CLI's <c>tend run</c> and a workflow step whose <c>run</c> names the command.
/// </summary>
public static class CommandPreflightRun
{
    /// <summary>The checks before <paramref name="command"/>: what the component requires and its config, and its own start checks when the command asks for them; none when it asks for none.</summary>
    public static IReadOnlyList<PlannedCheck> Plan(StackFile stack, Component component, ComponentCommand command)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(component);
        ArgumentNullException.ThrowIfNull(command);
        return command.Preflight == CommandPreflight.None ? [] : CheckPlanner.Preflight(stack, [component.Name], ownChecks: command.Preflight == CommandPreflight.All);
    }

    /// <summary>The context a stack's checks run in: its directory, and the health checks of its components so that one check can reach what another serves.</summary>
    /// <param name="shownFrom">Where the user types next steps from; null to show paths absolute.</param>
    public static CheckContext Context(StackFile stack, TimeProvider time, string? shownFrom)
    {
        ArgumentNullException.ThrowIfNull(stack);
        return new CheckContext
        {
            BaseDirectory = stack.Directory,
            ShownFrom = shownFrom,
            Time = time,
            ComponentHealth = stack.Components.Where(c => c.Health is not null).ToDictionary(c => c.Name, c => c.Health!.Check, StringComparer.Ordinal),
        };
    }

    /// <summary>Runs <paramref name="plan"/> against the stack; <paramref name="diagnostician"/> holds the stack's own rules before the built-in ones.</summary>
    public static async Task<PreflightReport> RunAsync(StackFile stack, IReadOnlyList<PlannedCheck> plan, Diagnostician diagnostician, TimeProvider time, string? shownFrom, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(plan);
        ArgumentNullException.ThrowIfNull(time);
        if (plan.Count == 0)
        {
            return PreflightReport.Empty;
        }

        var runner = new CheckRunner(Context(stack, time, shownFrom), diagnostician);
        var started = time.GetTimestamp();
        var results = await runner.RunAsync(plan, cancellationToken);
        return new PreflightReport(results, time.GetElapsedTime(started));
    }
}
