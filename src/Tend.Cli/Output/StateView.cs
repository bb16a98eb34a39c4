using Tend.Core.Status;

namespace Tend.Cli.Output;

/// <summary>How the terminal shows a state and a verdict: the words are Core's, only colour and marks are the CLI's.</summary>
internal static class StateView
{
    /// <summary>A state's colour follows the verdict on it: a rounds session that completed after a failed round is red, like the exit of tend up.</summary>
    public static string Color(Verdict verdict) => verdict.Kind switch
    {
        VerdictKind.Up => "green",
        VerdictKind.Starting => "yellow",
        VerdictKind.Stopped => "grey",
        _ => "red",
    };

    public static string Mark(Verdict verdict) => verdict.Kind switch
    {
        VerdictKind.Up => "[green]✓[/]",
        VerdictKind.Failed or VerdictKind.Stuck => "[red]✗[/]",
        _ => "[grey]…[/]",
    };
}
