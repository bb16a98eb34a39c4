using Spectre.Console;
using Tend.Core.Events;
using Tend.Core.Text;

namespace Tend.Cli.Remote;

/// <summary>
/// The events of the link itself, written by this tend (not by the host's daemon, and not into
/// any event log): <c>remote_blip</c> when the link to a host dropped (ssh exit 255) and is being
/// tried again, <c>remote_gave_up</c> when it stayed down for the tolerance. They come in the same
/// stream as the host's events (JSON lines with --json), so a script following one sees both.
/// </summary>
internal static class RemoteEvents
{
    public const string Blip = "remote_blip";
    public const string GaveUp = "remote_gave_up";

    public static EventRecord Of(string host, RetryStep step, RemoteProblem problem, TimeSpan tolerance, DateTimeOffset at)
    {
        List<EventField> fields =
        [
            new("host", host),
            new("exit_code", (long)(problem.SshExit ?? -1)),
            new("down_ms", EventValue.Milliseconds(step.DownFor)),
            new("tolerance_ms", EventValue.Milliseconds(tolerance)),
            new("reason", problem.Message),
        ];
        if (!step.GiveUp)
        {
            fields.Add(new("retry_in_ms", EventValue.Milliseconds(step.RetryIn)));
        }

        return new EventRecord(at, step.GiveUp ? GaveUp : Blip, null, fields);
    }

    /// <summary>The event in words, for the screen.</summary>
    public static string Narrate(EventRecord e)
    {
        var host = e["host"]?.ToString() ?? "?";
        var down = Duration(e["down_ms"]);
        return e.Kind == GaveUp
            ? $"gave up on {host}: the link has been down for {down} (tolerance {Duration(e["tolerance_ms"])})"
            : $"link to {host} lost ({e["reason"]}); trying again in {Duration(e["retry_in_ms"])} (down {down})";
    }

    /// <summary>One event as `tend events` prints it: its JSON line with --json, else a line of text.</summary>
    public static void Print(CliContext cli, EventRecord e)
    {
        if (cli.Json)
        {
            Console.Out.Write(EventJson.ToLineString(e));
            return;
        }

        var color = e.Kind == GaveUp ? "red" : "yellow";
        cli.Terminal.Out.MarkupLine($"{e.Timestamp.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} [{color}]{Markup.Escape(e.Kind),-20}[/] {"-",-12} {Markup.Escape(Narrate(e))}");
    }

    private static string Duration(EventValue? milliseconds) =>
        long.TryParse(milliseconds?.ToString(), System.Globalization.NumberStyles.Integer, System.Globalization.CultureInfo.InvariantCulture, out var ms)
            ? Quantities.FormatDuration(TimeSpan.FromMilliseconds(ms))
            : "?";
}
