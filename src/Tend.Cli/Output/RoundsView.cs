using Spectre.Console;
using Tend.Core.Status;

namespace Tend.Cli.Output;

/// <summary>The lines `tend why` adds for a rounds component.</summary>
internal static class RoundsView
{
    public static void RenderFacts(IAnsiConsole console, RoundsSnapshot r, DateTimeOffset now)
    {
        console.MarkupLine($"  [grey]rounds:[/] {Markup.Escape(RoundsSummary.Of(r, now))}");
        console.MarkupLine($"  [grey]sentinel:[/] {Markup.Escape(r.SentinelPath)} ({(r.SentinelPresent ? "present" : "absent")})   [grey]stop file:[/] {Markup.Escape(r.StopFilePath)} ({(r.StopFilePresent ? "present" : "absent")})");
    }
}
