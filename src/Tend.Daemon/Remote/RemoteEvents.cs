using Tend.Core.Events;
using Tend.Core.Text;

namespace Tend.Daemon.Remote;

/// <summary>
/// The events of a link to another host, made by the tend that follows it (not by the host's
/// daemon, and not written to any event log): <c>remote_blip</c> when the link dropped (ssh exit
/// 255) and is being tried again, <c>remote_gave_up</c> when it stayed down for the tolerance.
/// They come in the same stream as the host's events (JSON lines with --json), so a script
/// following one sees both (docs/remote.md).
/// </summary>
public static class RemoteEvents
{
    public const string Blip = "remote_blip";
    public const string GaveUp = "remote_gave_up";

    /// <param name="exitCode">ssh's exit code (255: the link failed).</param>
    /// <param name="reason">What ssh (or the link) said.</param>
    public static EventRecord Of(string host, RetryStep step, int exitCode, string reason, TimeSpan tolerance, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(step);
        List<EventField> fields =
        [
            new("host", host),
            new("exit_code", (long)exitCode),
            new("down_ms", EventValue.Milliseconds(step.DownFor)),
            new("tolerance_ms", EventValue.Milliseconds(tolerance)),
            new("reason", reason),
        ];
        if (!step.GiveUp)
        {
            fields.Add(new("retry_in_ms", EventValue.Milliseconds(step.RetryIn)));
        }

        return new EventRecord(at, step.GiveUp ? GaveUp : Blip, null, fields);
    }

    public static bool IsLinkEvent(EventRecord e) => e?.Kind is Blip or GaveUp;

    /// <summary>The event in words, for the screen.</summary>
    public static string Narrate(EventRecord e)
    {
        ArgumentNullException.ThrowIfNull(e);
        var host = e["host"]?.ToString() ?? "?";
        var down = Duration(e["down_ms"]);
        return e.Kind == GaveUp
            ? $"gave up on {host}: the link has been down for {down} (tolerance {Duration(e["tolerance_ms"])})"
            : $"link to {host} lost ({e["reason"]}); trying again in {Duration(e["retry_in_ms"])} (down {down})";
    }

    private static string Duration(EventValue? milliseconds) =>
        long.TryParse(milliseconds?.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? Quantities.FormatDuration(TimeSpan.FromMilliseconds(ms))
            : "?";
}
