using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Daemon.Supervision;

/// <summary>
/// Runs a stack: one <see cref="ComponentRunner"/> per component, started in dependency order
/// (each waits for its requirements, so independent ones start in parallel) and stopped in
/// reverse order.
/// </summary>
public sealed class Supervisor : IAsyncDisposable
{
    private readonly SupervisorServices _services;
    private readonly Dictionary<string, ComponentRunner> _runners = new(StringComparer.Ordinal);

    public Supervisor(StackFile stack, SupervisorServices services)
    {
        Stack = stack;
        _services = services;
        var checks = CheckContextFor(stack, services.Time);
        foreach (var component in stack.Components)
        {
            _runners[component.Name] = new ComponentRunner(component, this, services, checks);
        }
    }

    public StackFile Stack { get; private set; }

    public Changed Changed { get; } = new();

    public IReadOnlyList<ComponentSnapshot> Snapshot() => [.. Stack.Components.Select(c => _runners[c.Name].Snapshot())];

    public ComponentRunner? Find(string name) => _runners.GetValueOrDefault(name);

    /// <summary>Starts the targets (all when empty) and what they require; returns at once.</summary>
    /// <param name="maxRounds">Ends the sessions of the targeted rounds components after so many rounds.</param>
    public IReadOnlyList<string> Up(IReadOnlyList<string> targets, int? maxRounds = null)
    {
        var graph = new DependencyGraph(Stack.Components);
        var closure = graph.StartOrder(graph.Closure(targets.Count == 0 ? Stack.Components.Select(c => c.Name) : targets));
        _services.Events.Emit(EventKinds.UpRequested, null, EventFields.List("requested", targets), EventFields.List("order", closure.Select(c => c.Name)), new("by", "cli"));
        foreach (var component in closure)
        {
            var targeted = targets.Count == 0 || targets.Contains(component.Name);
            _runners[component.Name].Start(targeted ? maxRounds : null);
        }

        return [.. closure.Select(c => c.Name)];
    }

    /// <summary>Stops the targets (all when empty), dependents first, level by level.</summary>
    public async Task DownAsync(IReadOnlyList<string> targets)
    {
        var graph = new DependencyGraph(Stack.Components);
        IReadOnlyList<Component> chosen = targets.Count == 0 ? Stack.Components : [.. Stack.Components.Where(c => targets.Contains(c.Name))];
        var order = graph.Levels(Stack.Components).Reverse().SelectMany(l => l).Where(chosen.Contains).Select(c => c.Name);
        _services.Events.Emit(EventKinds.DownRequested, null, EventFields.List("requested", targets), EventFields.List("order", order), new("by", "cli"));
        foreach (var level in graph.Levels(Stack.Components).Reverse())
        {
            await Task.WhenAll(level.Where(chosen.Contains).Select(c => _runners[c.Name].StopAsync()));
        }
    }

    public async Task RestartAsync(string name)
    {
        var runner = _runners[name];
        await runner.StopAsync();
        runner.Start();
    }

    /// <summary>The requirements of <paramref name="component"/> that do not hold now.</summary>
    public IReadOnlyList<UnmetRequirement> UnmetRequirements(Component component)
    {
        var unmet = new List<UnmetRequirement>();
        foreach (var requirement in component.Requires)
        {
            var state = _runners[requirement.Component].State;
            var met = requirement.Condition switch
            {
                RequirementCondition.Started => state.IsRunning() || state is ComponentState.BetweenRounds or ComponentState.Throttled
                    || (state == ComponentState.Completed && _runners[requirement.Component].Component.Kind == ComponentKind.Rounds),
                RequirementCondition.Healthy => state == ComponentState.Healthy,
                RequirementCondition.Completed => state == ComponentState.Completed,
                _ => false,
            };
            if (!met)
            {
                var snapshot = _runners[requirement.Component].Snapshot();
                unmet.Add(new UnmetRequirement(requirement.Component, requirement.Condition, state, state == ComponentState.Stopped || snapshot.Verdict.IsBad));
            }
        }

        return unmet;
    }

    /// <summary>Takes a new version of the stack file: components whose definition changed are restarted if running.</summary>
    public async Task<IReadOnlyList<string>> ReloadAsync(StackFile stack)
    {
        var restarted = new List<string>();
        var old = Stack;
        Stack = stack;
        var checks = CheckContextFor(stack, _services.Time);
        foreach (var component in stack.Components)
        {
            if (!_runners.TryGetValue(component.Name, out var runner))
            {
                _runners[component.Name] = new ComponentRunner(component, this, _services, checks);
                continue;
            }

            var before = old.Find(component.Name)!;
            if (ComponentChange.Between(before, component) is not { NeedsRestart: true })
            {
                runner.Component = component;
                continue;
            }

            var wasActive = runner.Active;
            var maxRounds = runner.MaxRoundsOverride;
            await runner.StopAsync();
            var previous = runner.Snapshot();
            _runners[component.Name] = new ComponentRunner(component, this, _services, checks);
            if (previous.Rounds is { } rounds)
            {
                // An edit of the stack file must not lift a rate limit the server imposed.
                _runners[component.Name].Restore(rounds);
            }

            if (wasActive)
            {
                _runners[component.Name].Start(maxRounds);
                restarted.Add(component.Name);
            }
        }

        foreach (var removed in old.Components.Where(c => stack.Find(c.Name) is null))
        {
            await _runners[removed.Name].StopAsync();
            _runners.Remove(removed.Name);
        }

        Changed.Signal();
        return restarted;
    }

    /// <summary>Takes over what a previous daemon recorded for each component that is still in the stack (a throttle above all).</summary>
    public void Restore(IReadOnlyList<ComponentSnapshot> previous)
    {
        foreach (var snapshot in previous)
        {
            if (snapshot.Rounds is { } rounds && _runners.TryGetValue(snapshot.Name, out var runner) && runner.Component.Kind == ComponentKind.Rounds)
            {
                runner.Restore(rounds);
            }
        }
    }

    private static CheckContext CheckContextFor(StackFile stack, TimeProvider time) => new()
    {
        BaseDirectory = stack.Directory,
        Time = time,
        ComponentHealth = stack.Components.Where(c => c.Health is not null).ToDictionary(c => c.Name, c => c.Health!.Check, StringComparer.Ordinal),
    };

    public async ValueTask DisposeAsync() => await DownAsync([]);
}
