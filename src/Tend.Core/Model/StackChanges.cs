namespace Tend.Core.Model;

/// <summary>What changed between two versions of a stack file, component by component.</summary>
public sealed record StackChanges(ValueList<string> Added, ValueList<string> Removed, ValueList<ComponentChange> Changed)
{
    /// <summary>The monitor's settings (<c>[monitor]</c>, <c>[[monitor.rule]]</c>, <c>[[notify]]</c>) changed: taken at once, nothing restarts.</summary>
    public bool MonitorChanged { get; init; }

    /// <summary><c>[http]</c> changed: the listener moves (or stops), nothing restarts.</summary>
    public bool HttpChanged { get; init; }

    public bool IsEmpty => Added.Count == 0 && Removed.Count == 0 && Changed.Count == 0 && !MonitorChanged && !HttpChanged;

    /// <summary>One line a component, as `tend up` prints them: <c>api: command, env changed</c>.</summary>
    public IReadOnlyList<string> Describe() =>
    [
        .. Added.Select(name => $"{name}: added"),
        .. Changed.Select(c => $"{c.Name}: {string.Join(", ", c.Settings)} changed"),
        .. Removed.Select(name => $"{name}: removed"),
        .. MonitorChanged ? ["monitor: rules, notifiers or interval changed"] : Array.Empty<string>(),
        .. HttpChanged ? ["http: listen address changed"] : Array.Empty<string>(),
    ];

    public static StackChanges Between(StackFile before, StackFile after) => new(
        [.. after.Components.Where(c => before.Find(c.Name) is null).Select(c => c.Name)],
        [.. before.Components.Where(c => after.Find(c.Name) is null).Select(c => c.Name)],
        [.. after.Components.Select(c => before.Find(c.Name) is { } old ? ComponentChange.Between(old, c) : null).OfType<ComponentChange>()])
    {
        MonitorChanged = before.Monitor != after.Monitor,
        HttpChanged = before.Http != after.Http,
    };
}

/// <summary>The settings of one component that differ between two versions of its definition.</summary>
public sealed record ComponentChange(string Name, ValueList<string> Settings)
{
    /// <summary>Settings that do not touch the running process: taken over without a restart.</summary>
    private static readonly string[] InPlace = ["description", "commands", "min_uptime", "once", "secrets", "max_memory", "update", "backup", "image"];

    /// <summary>Any other setting changes how it runs or is supervised: a running one is restarted.</summary>
    public bool NeedsRestart => Settings.Any(s => !InPlace.Contains(s));

    /// <summary>
    /// Null when the two are equal. Equality is the records' own, by value (see <see cref="ValueList{T}"/>),
    /// so no setting can be missed; the names only say which. A field this list does not name yet
    /// still counts, as "definition" (a test keeps the list complete).
    /// </summary>
    public static ComponentChange? Between(Component before, Component after)
    {
        if (before == after)
        {
            return null;
        }

        var settings = new List<string>();
        void Compare(string name, bool same)
        {
            if (!same)
            {
                settings.Add(name);
            }
        }

        Compare("kind", before.Kind == after.Kind);
        Compare("description", before.Description == after.Description);

        // Only `tend export kubernetes` reads it: the process on this host is the same.
        Compare("image", before.Image == after.Image);
        Compare("command", before.Command == after.Command);
        Compare("cwd", before.WorkingDirectory == after.WorkingDirectory);
        Compare("env", before.Environment == after.Environment && before.EnvFiles == after.EnvFiles && before.EnvInherit == after.EnvInherit);
        Compare("requires", before.Requires == after.Requires);
        Compare("config", before.Config == after.Config);
        Compare("preflight", before.Preflight == after.Preflight);
        Compare("health", before.Health == after.Health);
        Compare("commands", before.Commands == after.Commands);
        Compare("restart", before.Restart == after.Restart);
        Compare("stop", before.Stop == after.Stop);
        Compare("logs", before.Logs == after.Logs);
        Compare("rounds", before.Rounds == after.Rounds);
        Compare("min_uptime", before.MinUptime == after.MinUptime);
        Compare("once", before.Once == after.Once);
        Compare("secrets", before.Secrets == after.Secrets);
        Compare("max_memory", before.MaxMemory == after.MaxMemory);
        Compare("update", before.Update == after.Update);
        Compare("backup", before.Backup == after.Backup);
        if (settings.Count == 0)
        {
            settings.Add("definition");
        }

        return new ComponentChange(after.Name, [.. settings]);
    }
}
