using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>Reads the supervision tables of a component: restart, stop and logs.</summary>
internal static class SupervisionReader
{
    public static readonly IReadOnlyList<string> Modes = ["no", "on-failure", "always"];

    public static RestartPolicy ReadRestart(TableReader component, ComponentKind kind)
    {
        var defaults = RestartPolicy.DefaultFor(kind);
        if (component.Table.TryGet("restart", out var shortForm) && shortForm.Value is Toml.TomlStringNode)
        {
            // Compose's form, `restart = "on-failure"`: the policy alone, the rest by default.
            // "unless-stopped" is compose's always-but-not-after-a-stop, which is what always means here.
            return component.Choice("restart", [.. Modes, "unless-stopped"]) switch
            {
                "no" => defaults with { Mode = RestartMode.No },
                "on-failure" => defaults with { Mode = RestartMode.OnFailure },
                "always" or "unless-stopped" => defaults with { Mode = RestartMode.Always },
                _ => defaults,
            };
        }

        if (component.Table.TryGet("restart", out var other) && other.Value is not Toml.TomlTableNode && component.Entry("restart") is not null)
        {
            component.TypeError(other.Value, component.Describe("restart"), "a policy (\"no\", \"on-failure\", \"always\") or a table such as { policy = \"on-failure\", backoff = \"1s..60s\" }");
            return defaults;
        }

        if (component.Subtable("restart") is not { } table)
        {
            return defaults;
        }

        var mode = table.Choice("policy", Modes) switch
        {
            "no" => RestartMode.No,
            "on-failure" => RestartMode.OnFailure,
            "always" => RestartMode.Always,
            _ => defaults.Mode,
        };
        // One duration for a fixed delay.
        var (min, max) = table.DurationRange("backoff", "1s..60s") ?? (defaults.BackoffMin, defaults.BackoffMax);
        var resetAfter = table.Duration("reset_after") ?? defaults.ResetAfter;
        var (budget, window) = ReadBudget(table) ?? (defaults.Budget, defaults.BudgetWindow);
        var onUnhealthy = table.Boolean("on_unhealthy") ?? defaults.OnUnhealthy;
        table.Finish();
        return new RestartPolicy(mode, min, max, resetAfter, budget, window, onUnhealthy);
    }

    /// <summary><c>budget = "5/2m"</c>: at most 5 restarts within 2 minutes.</summary>
    private static (int, TimeSpan)? ReadBudget(TableReader table)
    {
        if (table.Entry("budget") is not { } entry || table.AsString(entry.Value, table.Describe("budget")) is not { } text)
        {
            return null;
        }

        var parts = text.Split('/', 2);
        if (parts.Length == 2 && int.TryParse(parts[0], out var count) && count > 0 && Quantities.TryParseDuration(parts[1], out var window) && window > TimeSpan.Zero)
        {
            return (count, window);
        }

        table.Problems.Error(entry.Value.Location, $"{table.Describe("budget")} must be \"COUNT/WINDOW\" such as \"5/2m\", not \"{text}\"");
        return null;
    }

    public static StopPolicy ReadStop(TableReader component)
    {
        if (component.Subtable("stop") is not { } table)
        {
            return StopPolicy.Default;
        }

        var signal = table.Choice("signal", [.. Signals.ByName.Keys]) ?? StopPolicy.Default.Signal;
        var grace = table.Duration("grace") ?? StopPolicy.Default.Grace;
        table.Finish();
        return new StopPolicy(signal, Signals.ByName[signal], grace);
    }

    /// <summary><c>[stack] events = { max_size = "100MB", keep_days = 30 }</c>.</summary>
    public static EventsPolicy ReadEvents(TableReader stack)
    {
        if (stack.Subtable("events") is not { } table)
        {
            return EventsPolicy.Default;
        }

        var maxBytes = EventsPolicy.Default.MaxBytes;
        if (table.String("max_size") is { } size)
        {
            if (Quantities.TryParseSize(size, out var parsed) && parsed >= 100_000)
            {
                maxBytes = parsed;
            }
            else
            {
                table.Problems.Error(table.Entry("max_size")!.Value.Location, $"{table.Describe("max_size")} must be a size of at least 100kB, such as \"100MB\", not \"{size}\"");
            }
        }

        var keepDays = table.Integer("keep_days", 1, 36_500) ?? EventsPolicy.Default.KeepDays;
        table.Finish();
        return new EventsPolicy(maxBytes, (int)keepDays);
    }

    public static LogPolicy ReadLogs(TableReader component, LogPolicy defaults)
    {
        if (component.Subtable("logs") is not { } table)
        {
            return defaults;
        }

        long maxBytes = defaults.MaxFileBytes;
        if (table.String("max_size") is { } size)
        {
            if (Quantities.TryParseSize(size, out var parsed) && parsed >= 4096)
            {
                maxBytes = parsed;
            }
            else
            {
                table.Problems.Error(table.Entry("max_size")!.Value.Location, $"{table.Describe("max_size")} must be a size of at least 4kB, such as \"10MB\", not \"{size}\"");
            }
        }

        var keep = table.Integer("keep", 1, 10_000) ?? defaults.KeepFiles;
        var onFull = table.Choice("on_full", ["block", "drop"]);
        table.Finish();
        return new LogPolicy(maxBytes, (int)keep, onFull is null ? defaults.DropWhenFull : onFull == "drop");
    }
}
