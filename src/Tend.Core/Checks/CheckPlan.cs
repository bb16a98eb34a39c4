using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Core.Checks;

/// <summary>Why a check is in a plan; the report groups and words results by it.</summary>
public enum CheckRole
{
    /// <summary>The component's health probe: an external one, or a service something else needs running.</summary>
    Health,

    /// <summary>The component's configuration file.</summary>
    Config,

    /// <summary>One of the component's own pre-flight checks.</summary>
    Preflight,

    /// <summary>A check typed on a command line (`tend wait postgres://…`): of no stack file, its component is its kind.</summary>
    Typed,
}

/// <summary>A check to run, for a component, after the checks it depends on.</summary>
public sealed record PlannedCheck(string Id, string Component, CheckRole Role, CheckSpec Spec, IReadOnlyList<string> After);

/// <summary>Decides which checks a pre-flight or a health report runs, and in which dependency order.</summary>
public static class CheckPlanner
{
    /// <summary>
    /// Pre-flight of <paramref name="targets"/> (all components when empty): each target's config
    /// and pre-flight checks; the health of every external component in the closure; and the
    /// health of required services that are not targets themselves, because they must already run.
    /// </summary>
    /// <param name="ownChecks">False for a command run beside the running component: its config, not its start checks.</param>
    public static IReadOnlyList<PlannedCheck> Preflight(StackFile stack, IReadOnlyList<string> targets, bool ownChecks = true)
    {
        var graph = new DependencyGraph(stack.Components);
        var targetSet = (targets.Count == 0 ? stack.Components.Select(c => c.Name) : targets).ToHashSet(StringComparer.Ordinal);
        var closure = graph.StartOrder(graph.Closure(targetSet));
        var builder = new PlanBuilder(stack);
        var started = closure.Where(c => c.Kind != ComponentKind.External).ToList();
        if (ownChecks && (started.FirstOrDefault(c => targetSet.Contains(c.Name)) ?? started.FirstOrDefault(c => c.Kind == ComponentKind.Job)) is { } first)
        {
            // A start check, once, with the first component tend would start: every start goes through these tools.
            builder.AddLaunchTools(first);
        }

        foreach (var component in closure)
        {
            var isTarget = targetSet.Contains(component.Name);
            if (component.Kind == ComponentKind.External || (!isTarget && component.Kind == ComponentKind.Service))
            {
                builder.AddHealth(component);
            }

            // A required job will run before its dependents, so what it needs is checked as well.
            if (isTarget || component.Kind == ComponentKind.Job)
            {
                builder.AddOwnChecks(component, includePreflight: ownChecks || !isTarget);
            }
        }

        return builder.Build();
    }

    /// <summary>
    /// What <c>tend doctor</c> runs: the health of every external and of every component that runs
    /// now (its pre-start checks would only meet itself: its own port in use, its own lock), and the
    /// config and pre-flight checks of every component that does not run.
    /// </summary>
    /// <param name="running">Components with a live process under a daemon that answers.</param>
    public static IReadOnlyList<PlannedCheck> Doctor(StackFile stack, IReadOnlySet<string> running)
    {
        var graph = new DependencyGraph(stack.Components);
        var order = graph.StartOrder();
        var builder = new PlanBuilder(stack);
        var idle = order.Where(c => c.Kind != ComponentKind.External && !running.Contains(c.Name)).ToList();
        if (idle.FirstOrDefault() is { } first)
        {
            builder.AddLaunchTools(first);
        }

        foreach (var component in order)
        {
            if (component.Kind == ComponentKind.External || running.Contains(component.Name))
            {
                builder.AddHealth(component);
            }
            else
            {
                builder.AddOwnChecks(component, includePreflight: true);
            }
        }

        return builder.Build();
    }

    /// <summary>The health probes of the given components (all with a probe when empty).</summary>
    public static IReadOnlyList<PlannedCheck> Health(StackFile stack, IReadOnlyList<string> targets)
    {
        var builder = new PlanBuilder(stack);
        foreach (var component in stack.Components)
        {
            if ((targets.Count == 0 || targets.Contains(component.Name)) && component.Health is not null)
            {
                builder.AddHealth(component);
            }
        }

        return builder.Build();
    }

    private sealed class PlanBuilder
    {
        private const string PlaceId = "stack.place";

        private readonly StackFile stack;
        private readonly List<PlannedCheck> _checks = [];
        private readonly HashSet<string> _ids = new(StringComparer.Ordinal);
        private readonly Dictionary<string, string> _healthIds = new(StringComparer.Ordinal);

        public PlanBuilder(StackFile stack)
        {
            this.stack = stack;
            // Outside its project every check would fail for that one reason: it is checked first, and the rest wait on it.
            if (stack.Expects is { } expects && stack.Components.Count > 0)
            {
                _ids.Add(PlaceId);
                _checks.Add(new PlannedCheck(PlaceId, stack.Components[0].Name, CheckRole.Preflight, new StackPlaceCheck(expects) { Name = $"here is {expects.What}" }, []));
            }
        }

        public string? AddHealth(Component component)
        {
            if (_healthIds.TryGetValue(component.Name, out var existing))
            {
                return existing;
            }

            if (component.Health is null)
            {
                return null;
            }

            var id = Add(component, CheckRole.Health, component.Health.Check, $"{component.Name}.health");
            _healthIds[component.Name] = id;
            return id;
        }

        public void AddLaunchTools(Component component) =>
            Add(component, CheckRole.Preflight, new LaunchToolsCheck(LaunchTools.OnThisMachine) { Name = "process tools" }, $"{component.Name}.{LaunchToolsCheck.KindName}");

        public void AddOwnChecks(Component component, bool includePreflight)
        {
            if (component.Config is { } config)
            {
                var check = new FileCheck(config.Path, config.Format, config.Sample) { Location = config.Location, Name = $"config {config.Path}" };
                Add(component, CheckRole.Config, check, $"{component.Name}.config");
            }

            foreach (var check in includePreflight ? component.Preflight : [])
            {
                Add(component, CheckRole.Preflight, check, $"{component.Name}.{check.Name ?? check.Kind}");
            }
        }

        private string Add(Component component, CheckRole role, CheckSpec spec, string baseId)
        {
            var after = new List<string>();
            if (_ids.Contains(PlaceId))
            {
                after.Add(PlaceId);
            }

            foreach (var needed in spec.NeedsComponents)
            {
                if (stack.Find(needed) is { } other && AddHealth(other) is { } healthId)
                {
                    after.Add(healthId);
                }
            }

            var id = baseId;
            for (var n = 2; !_ids.Add(id); n++)
            {
                id = $"{baseId}#{n}";
            }

            _checks.Add(new PlannedCheck(id, component.Name, role, spec, after));
            return id;
        }

        public List<PlannedCheck> Build() => _checks;
    }
}
