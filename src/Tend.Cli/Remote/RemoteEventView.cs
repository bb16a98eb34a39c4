using Spectre.Console;
using Tend.Core.Events;
using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>A link's own event (<see cref="RemoteEvents"/>) as `tend events` prints events: its JSON line with --json, else a line of text.</summary>
internal static class RemoteEventView
{
    public static void Print(CliContext cli, EventRecord e)
    {
        if (cli.Json)
        {
            Console.Out.Write(EventJson.ToLineString(e));
            return;
        }

        var color = e.Kind == RemoteEvents.GaveUp ? "red" : "yellow";
        cli.Terminal.Out.MarkupLine($"{e.Timestamp.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} [{color}]{Markup.Escape(e.Kind),-20}[/] {"-",-12} {Markup.Escape(RemoteEvents.Narrate(e))}");
    }
}
