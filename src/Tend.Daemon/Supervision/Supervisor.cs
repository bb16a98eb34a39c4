using System.Collections.Frozen;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

/// <summary>
/// Runs a stack: one <see cref="ComponentRunner"/> per component, started in dependency order
/// (each waits for its requirements, so independent ones start in parallel) and stopped in
/// reverse order. The stack and its runners are one immutable roster, swapped in one step by a
/// reload, so a reader never sees a component without its runner. Changes are not serialised
/// here: <see cref="Control.StackControl"/> does that for every face.
/// </summary>
public sealed class Supervisor : IAsyncDisposable
{
    private readonly SupervisorServices _services;
    private volatile Roster _roster;

    public Supervisor(StackFile stack, SupervisorServices services)
    {
        _services = services;
        Stops = services.Stops.Snapshot();
        var checks = CheckContextFor(stack, services.Time);
        _roster = new Roster(stack, stack.Components.ToFrozenDictionary(c => c.Name, c => new ComponentRunner(c, this, services), StringComparer.Ordinal), checks);
    }

    /// <summary>The stack file and the runners of its components, as one value.</summary>
    private sealed record Roster(StackFile Stack, FrozenDictionary<string, ComponentRunner> Runners, Core.Model.CheckContext Checks);

    public StackFile Stack => _roster.Stack;

    /// <summary>What checks of this stack may use: its directory, the clock, and the components' health checks.</summary>
    internal Core.Model.CheckContext Checks => _roster.Checks;

    public Changed Changed { get; } = new();

    /// <summary>How runs are stopped (cgroups or process groups), for the snapshots.</summary>
    public StopsSnapshot Stops { get; }

    /// <summary>The runs' output, line by line, for whoever listens.</summary>
    public Logs.OutputHub Output => _services.Lines;

    /// <summary>Every component's snapshot, in stack-file order, of one roster.</summary>
    public IReadOnlyList<ComponentSnapshot> Snapshot()
    {
        var roster = _roster;
        return [.. roster.Stack.Components.Select(c => roster.Runners[c.Name].Snapshot())];
    }

    /// <summary>The daemon's counters, for the metrics.</summary>
    public Metrics.MetricCounters Counters => _services.Counters;

    /// <summary>What a component's runs printed since the daemon started; null when none ran.</summary>
    public OutputTotals? OutputTotals(string component) => _services.Output.Totals(component);

    public ComponentRunner? Find(string name) => _roster.Runners.GetValueOrDefault(name);

    /// <summary>Every component's runner as the stack stands now.</summary>
    public IEnumerable<ComponentRunner> Runners => _roster.Runners.Values;

    /// <summary>Starts the targets (all when empty) and what they require; returns at once, with the start order.</summary>
    /// <param name="maxRounds">Ends the sessions of the targeted rounds components after so many rounds.</param>
    public IReadOnlyList<string> Up(IReadOnlyList<string> targets, int? maxRounds = null, string by = "cli")
    {
        var roster = _roster;
        var graph = new DependencyGraph(roster.Stack.Components);
        var closure = graph.StartOrder(graph.Closure(targets.Count == 0 ? roster.Stack.Components.Select(c => c.Name) : targets));
        _services.Events.Emit(EventKinds.UpRequested, null, EventFields.List("requested", targets), EventFields.List("order", closure.Select(c => c.Name)), new("by", by));

        // Requirements first: each start sets its component waiting at once, so what requires it
        // never reads the end of its previous session as this one's.
        foreach (var component in closure)
        {
            var targeted = targets.Count == 0 || targets.Contains(component.Name);
            roster.Runners[component.Name].Start(targeted ? maxRounds : null);
        }

        return [.. closure.Select(c => c.Name)];
    }

    /// <summary>Stops the targets (all when empty), dependents first, level by level.</summary>
    public async Task DownAsync(IReadOnlyList<string> targets, string by = "cli")
    {
        var roster = _roster;
        var graph = new DependencyGraph(roster.Stack.Components);
        var levels = graph.Levels(roster.Stack.Components).Reverse().ToList();
        bool Chosen(Component c) => targets.Count == 0 || targets.Contains(c.Name);
        _services.Events.Emit(EventKinds.DownRequested, null, EventFields.List("requested", targets), EventFields.List("order", levels.SelectMany(l => l).Where(Chosen).Select(c => c.Name)), new("by", by));
        foreach (var level in levels)
        {
            await Task.WhenAll(level.Where(Chosen).Select(c => roster.Runners[c.Name].StopAsync()));
        }
    }

    /// <param name="reason">Why, in the stop's events: the monitor's alert, or the face a user asked through.</param>
    /// <param name="byUser">A user asked (the CLI, the HTTP API), not the monitor: counted as a manual restart.</param>
    public async Task RestartAsync(string name, string? reason = null, bool byUser = false)
    {
        var runner = _roster.Runners[name];
        await runner.StopAsync(reason: reason);
        runner.Start();
        _services.Counters.Restarted(name, reason is null || byUser ? Core.Metrics.RestartReason.Manual : Core.Metrics.RestartReason.Monitor);
    }

    /// <summary>The requirements of <paramref name="component"/> that do not hold now, each with whether it can come to hold by itself.</summary>
    public IReadOnlyList<UnmetRequirement> UnmetRequirements(Component component)
    {
        var roster = _roster;
        var unmet = new List<UnmetRequirement>();
        foreach (var requirement in component.Requires)
        {
            if (!roster.Runners.TryGetValue(requirement.Component, out var runner))
            {
                // Only between a reload's swap and this runner's own replacement: it is being restarted.
                unmet.Add(new UnmetRequirement(requirement.Component, requirement.Condition, ComponentState.Stopped, Stuck: false));
                continue;
            }

            var snapshot = runner.Snapshot();
            var state = snapshot.State;
            var met = requirement.Condition switch
            {
                RequirementCondition.Started => state.IsRunning() || state is ComponentState.BetweenRounds or ComponentState.Throttled
                    || (state == ComponentState.Completed && runner.Component.Kind == ComponentKind.Rounds),
                RequirementCondition.Healthy => state == ComponentState.Healthy,
                RequirementCondition.Completed => state == ComponentState.Completed,
                _ => false,
            };
            if (!met)
            {
                var stuck = snapshot.Verdict.WillNotComeUp;
                unmet.Add(new UnmetRequirement(requirement.Component, requirement.Condition, state, stuck));
            }
        }

        return unmet;
    }

    /// <summary>
    /// Takes a new version of the stack file. Removed components are stopped, changed ones that run
    /// are stopped and started again with their new definition, added ones are ready to start; the
    /// new stack and its runners become visible together. Returns the components restarted.
    /// </summary>
    public async Task<IReadOnlyList<string>> ReloadAsync(StackFile fresh, StackChanges changes)
    {
        var before = _roster;
        var restart = changes.Changed.Where(c => c.NeedsRestart).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);

        // Stopped while the old roster still shows them, so a status meanwhile says "stopping".
        var resume = new Dictionary<string, (bool Active, int? MaxRounds, RoundsSnapshot? Rounds)>(StringComparer.Ordinal);
        foreach (var name in restart)
        {
            var runner = before.Runners[name];
            resume[name] = (runner.Active, runner.MaxRoundsOverride, runner.Snapshot().Rounds);
        }

        await Task.WhenAll([
            .. changes.Removed.Select(name => before.Runners[name].StopAsync()),
            .. restart.Select(name => before.Runners[name].StopAsync())]);

        var runners = new Dictionary<string, ComponentRunner>(StringComparer.Ordinal);
        foreach (var component in fresh.Components)
        {
            if (before.Runners.TryGetValue(component.Name, out var kept) && !restart.Contains(component.Name))
            {
                kept.Component = component;
                runners[component.Name] = kept;
                continue;
            }

            var runner = new ComponentRunner(component, this, _services);
            if (resume.TryGetValue(component.Name, out var previous) && previous.Rounds is { } rounds && component.Kind == ComponentKind.Rounds)
            {
                // An edit of the stack file must not lift a rate limit the server imposed.
                runner.Restore(rounds);
            }

            runners[component.Name] = runner;
        }

        _roster = new Roster(fresh, runners.ToFrozenDictionary(StringComparer.Ordinal), CheckContextFor(fresh, _services.Time));

        var restarted = new List<string>();
        foreach (var (name, previous) in resume)
        {
            if (previous.Active && runners.TryGetValue(name, out var runner))
            {
                runner.Start(previous.MaxRounds);
                restarted.Add(name);
            }
        }

        foreach (var name in changes.Removed.Concat(restart))
        {
            before.Runners[name].Dispose();
        }

        Changed.Signal();
        return restarted;
    }

    /// <summary>
    /// Takes over what a previous daemon recorded for each component still in the stack: a rounds
    /// throttle always (the server imposed it), a once-job's completion only when its definition
    /// is the same as the one it completed under (<paramref name="previousStack"/>, when known).
    /// </summary>
    public void Restore(IReadOnlyList<ComponentSnapshot> previous, StackFile? previousStack)
    {
        var roster = _roster;
        foreach (var snapshot in previous)
        {
            if (roster.Runners.TryGetValue(snapshot.Name, out var runner))
            {
                var unchanged = previousStack?.Find(snapshot.Name) is { } before && ComponentChange.Between(before, runner.Component) is null;
                runner.Restore(snapshot, unchanged);
            }
        }
    }

    private static Core.Model.CheckContext CheckContextFor(StackFile stack, TimeProvider time) => new()
    {
        BaseDirectory = stack.Directory,
        Time = time,
        ComponentHealth = stack.Components.Where(c => c.Health is not null).ToDictionary(c => c.Name, c => c.Health!.Check, StringComparer.Ordinal),
    };

    /// <summary>Stops what still runs (a stack that was taken down already writes nothing more), then lets go of the runners.</summary>
    public async ValueTask DisposeAsync()
    {
        if (_roster.Runners.Values.Any(r => r.Active))
        {
            await DownAsync([], "daemon");
        }

        foreach (var runner in _roster.Runners.Values)
        {
            runner.Dispose();
        }
    }
}
