using Tend.Core.Config;

namespace Tend.Core.Model;

public enum RestartMode
{
    /// <summary>Never restarted: a job runs once, a service that exits stays exited.</summary>
    No,

    /// <summary>Restarted when it exits with a non-zero code or is killed by a signal.</summary>
    OnFailure,

    /// <summary>Restarted whenever it exits, unless tend stopped it.</summary>
    Always,
}

/// <summary>
/// When and how fast a component is restarted: exponential back-off with jitter between
/// <see cref="BackoffMin"/> and <see cref="BackoffMax"/>, reset once a run has stayed up for
/// <see cref="ResetAfter"/>; more than <see cref="Budget"/> restarts within <see cref="BudgetWindow"/>
/// and the component is left in crash_loop.
/// </summary>
public sealed record RestartPolicy(
    RestartMode Mode,
    TimeSpan BackoffMin,
    TimeSpan BackoffMax,
    TimeSpan ResetAfter,
    int Budget,
    TimeSpan BudgetWindow,
    bool OnUnhealthy)
{
    public static RestartPolicy DefaultFor(ComponentKind kind) => new(
        kind is ComponentKind.Job or ComponentKind.Rounds ? RestartMode.No : RestartMode.OnFailure,
        TimeSpan.FromSeconds(1),
        TimeSpan.FromSeconds(60),
        TimeSpan.FromSeconds(30),
        5,
        TimeSpan.FromMinutes(2),
        OnUnhealthy: true);

    public string ModeName => Mode switch
    {
        RestartMode.No => "no",
        RestartMode.OnFailure => "on-failure",
        RestartMode.Always => "always",
        _ => throw new InvalidOperationException($"unknown restart mode {Mode}"),
    };
}

/// <summary>How a run is stopped: this signal to its whole process group, then KILL after the grace period.</summary>
public sealed record StopPolicy(string Signal, int SignalNumber, TimeSpan Grace)
{
    public static readonly StopPolicy Default = new("TERM", 15, TimeSpan.FromSeconds(10));

    public static readonly IReadOnlyDictionary<string, int> Signals = new Dictionary<string, int>(StringComparer.Ordinal)
    {
        ["TERM"] = 15,
        ["INT"] = 2,
        ["HUP"] = 1,
        ["QUIT"] = 3,
        ["KILL"] = 9,
        ["USR1"] = 10,
        ["USR2"] = 12,
    };
}

/// <summary>How much of a component's output is kept: files capped in size, and retained by count.</summary>
public sealed record LogPolicy(long MaxFileBytes, int KeepFiles)
{
    public static readonly LogPolicy Default = new(10_000_000, 10);

    /// <summary>A round is a run: keep the last hundred rounds, as agent supervisors do.</summary>
    public static readonly LogPolicy DefaultForRounds = new(10_000_000, 100);
}

/// <summary>Reads the supervision tables of a component: restart, stop and logs.</summary>
internal static class SupervisionReader
{
    public static readonly IReadOnlyList<string> Modes = ["no", "on-failure", "always"];

    public static RestartPolicy ReadRestart(TableReader component, ComponentKind kind)
    {
        var defaults = RestartPolicy.DefaultFor(kind);
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

        var signal = table.Choice("signal", [.. StopPolicy.Signals.Keys]) ?? StopPolicy.Default.Signal;
        var grace = table.Duration("grace") ?? StopPolicy.Default.Grace;
        table.Finish();
        return new StopPolicy(signal, StopPolicy.Signals[signal], grace);
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
        table.Finish();
        return new LogPolicy(maxBytes, (int)keep);
    }
}
