using Tend.Core.Model;

namespace Tend.Cli.Output;

/// <summary>The marks and colours of a status, used the same way by every report.</summary>
internal static class Glyphs
{
    public static string Of(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "[green]✓[/]",
        CheckStatus.Warn => "[yellow]⚠[/]",
        CheckStatus.Fail => "[red]✗[/]",
        CheckStatus.Skip => "[grey]–[/]",
        _ => "?",
    };
}
