using System.Globalization;
using System.Text;

namespace Tend.Core.Operations.Systemd;

/// <summary>
/// The systemd unit of one stack's daemon, as data; <see cref="Text"/> writes it. Build it from a
/// stack with <see cref="UnitPlan.For"/>. Every path in it is absolute: a unit runs with no
/// current directory of the user's and no shell to resolve a name.
/// </summary>
/// <param name="StackName">The stack's name, for the description.</param>
/// <param name="StackFile">The stack file, absolute.</param>
/// <param name="Executable">The tend binary, absolute.</param>
/// <param name="WorkingDirectory">The stack file's directory.</param>
/// <param name="StopTimeout">TimeoutStopSec=: the longest stop grace of the components plus a margin.</param>
/// <param name="Environment">Variables the daemon needs (PATH, what the stack file interpolates), in order.</param>
public sealed record UnitFile(
    string StackName,
    string StackFile,
    string Executable,
    string WorkingDirectory,
    UnitMode Mode,
    TimeSpan StopTimeout,
    IReadOnlyList<KeyValuePair<string, string>> Environment)
{
    /// <summary>The first line of every unit tend writes: tend overwrites and removes only a file that has it.</summary>
    public const string Marker = "# Written by tend install: tend uninstall removes it, and the next tend install rewrites it.";

    /// <summary>The second line: which stack file the unit runs, so that a stack of the same name elsewhere is not taken for it.</summary>
    public const string StackFilePrefix = "# Stack file: ";

    /// <summary>The variable the daemon reads its unit's name from (set to <c>%n</c>), for `tend status`.</summary>
    public const string UnitVariable = "TEND_SYSTEMD_UNIT";

    /// <summary>The variable the daemon reads its manager from (<c>user</c> or <c>system</c>).</summary>
    public const string ModeVariable = "TEND_SYSTEMD_MODE";

    /// <summary>User=, for a system unit: whom the daemon runs as (the user who ran sudo); null runs it as root.</summary>
    public string? User { get; init; }

    /// <summary>WatchdogSec=: the daemon pings at half of it; a daemon silent for this long is killed (SIGABRT) and restarted.</summary>
    public TimeSpan Watchdog { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>TimeoutStartSec=: how long READY=1 may take, as `tend up` waits by default.</summary>
    public TimeSpan StartTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>RestartSec=: the pause before a failed daemon is started again.</summary>
    public TimeSpan RestartDelay { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>StartLimitBurst= starts within StartLimitIntervalSec=, then systemd gives up (until `systemctl reset-failed`).</summary>
    public int StartLimitBurst { get; init; } = 5;

    public TimeSpan StartLimitInterval { get; init; } = TimeSpan.FromMinutes(10);

    public string Name => UnitName.For(StackName);

    /// <summary>The argv of ExecStart=: the daemon of this stack file, which brings the stack up itself.</summary>
    public IReadOnlyList<string> Command => [Executable, "-f", StackFile, "daemon", "run", "--up"];

    public string Text()
    {
        var text = new StringBuilder();
        text.Append(Marker).Append('\n');
        text.Append(StackFilePrefix).Append(StackFile).Append('\n');
        text.Append("[Unit]\n");
        Line(text, "Description", UnitSyntax.Plain($"tend: the {StackName} stack ({StackFile})"));
        if (Mode == UnitMode.System)
        {
            // A user manager has no network-online.target of its own; the system's is what services wait on.
            Line(text, "Wants", "network-online.target");
            Line(text, "After", "network-online.target");
        }

        Line(text, "StartLimitIntervalSec", Seconds(StartLimitInterval));
        Line(text, "StartLimitBurst", StartLimitBurst.ToString(CultureInfo.InvariantCulture));
        text.Append("\n[Service]\n");
        Line(text, "Type", "notify");
        Line(text, "NotifyAccess", "main");
        Line(text, "ExecStart", string.Join(' ', Command.Select(UnitSyntax.Argument)));
        Line(text, "WorkingDirectory", UnitSyntax.Plain(WorkingDirectory));
        if (User is { } user)
        {
            Line(text, "User", UnitSyntax.Plain(user));
        }

        foreach (var (name, value) in Environment)
        {
            Line(text, "Environment", UnitSyntax.Assignment(name, value));
        }

        Line(text, "Environment", $"{UnitVariable}=%n {ModeVariable}={Mode.Word()}");
        Line(text, "WatchdogSec", Seconds(Watchdog));
        Line(text, "TimeoutStartSec", Seconds(StartTimeout));
        Line(text, "TimeoutStopSec", Seconds(StopTimeout));
        Line(text, "KillMode", "mixed");
        Line(text, "Restart", "on-failure");
        Line(text, "RestartSec", Seconds(RestartDelay));
        Line(text, "Delegate", "yes");
        text.Append("\n[Install]\n");
        Line(text, "WantedBy", Mode == UnitMode.User ? "default.target" : "multi-user.target");
        return text.ToString();
    }

    /// <summary>The stack file a unit's text names on its second line; null for a unit tend did not write.</summary>
    public static string? WrittenFor(string text)
    {
        var lines = text.Split('\n', 3);
        return lines.Length >= 2 && lines[0] == Marker && lines[1].StartsWith(StackFilePrefix, StringComparison.Ordinal)
            ? lines[1][StackFilePrefix.Length..]
            : null;
    }

    private static void Line(StringBuilder text, string key, string value) => text.Append(key).Append('=').Append(value).Append('\n');

    private static string Seconds(TimeSpan span) => ((long)Math.Ceiling(span.TotalSeconds)).ToString(CultureInfo.InvariantCulture);
}
