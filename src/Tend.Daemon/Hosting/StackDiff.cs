using Tend.Core.Model;

namespace Tend.Daemon.Hosting;

/// <summary>What changed between two versions of a stack file, component by component.</summary>
public static class StackDiff
{
    public static IReadOnlyList<string> Describe(StackFile before, StackFile after)
    {
        var lines = new List<string>();
        foreach (var component in after.Components)
        {
            if (before.Find(component.Name) is not { } old)
            {
                lines.Add($"{component.Name}: added");
                continue;
            }

            var changes = Differences(old, component);
            if (changes.Count > 0)
            {
                lines.Add($"{component.Name}: {string.Join(", ", changes)} changed");
            }
        }

        lines.AddRange(before.Components.Where(c => after.Find(c.Name) is null).Select(c => $"{c.Name}: removed"));
        return lines;
    }

    /// <summary>The settings of a component that differ; any of them means a restart when it runs.</summary>
    public static IReadOnlyList<string> Differences(Component before, Component after)
    {
        var changes = new List<string>();
        if (before.Kind != after.Kind)
        {
            changes.Add("kind");
        }

        if (!Same(before.Command, after.Command))
        {
            changes.Add("command");
        }

        if (before.WorkingDirectory != after.WorkingDirectory)
        {
            changes.Add("cwd");
        }

        if (!before.Environment.OrderBy(p => p.Key).SequenceEqual(after.Environment.OrderBy(p => p.Key)) || !Same(before.EnvFiles, after.EnvFiles))
        {
            changes.Add("env");
        }

        if (before.Health?.Check.Title != after.Health?.Check.Title || before.Health?.Interval != after.Health?.Interval)
        {
            changes.Add("health");
        }

        if (before.Restart != after.Restart)
        {
            changes.Add("restart");
        }

        if (before.Stop != after.Stop)
        {
            changes.Add("stop");
        }

        if (before.Logs != after.Logs)
        {
            changes.Add("logs");
        }

        if (!before.Requires.Select(r => (r.Component, r.Condition)).SequenceEqual(after.Requires.Select(r => (r.Component, r.Condition))))
        {
            changes.Add("requires");
        }

        if (before.Rounds?.Fingerprint() != after.Rounds?.Fingerprint())
        {
            changes.Add("rounds");
        }

        return changes;
    }

    private static bool Same(IReadOnlyList<string>? a, IReadOnlyList<string>? b) =>
        a is null ? b is null : b is not null && a.SequenceEqual(b);
}
