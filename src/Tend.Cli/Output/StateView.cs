using Tend.Core.Status;

namespace Tend.Cli.Output;

/// <summary>How the terminal shows a state and a verdict: the words are Core's, only colour and marks are the CLI's.</summary>
internal static class StateView
{
    public static string Color(ComponentState state) => state switch
    {
        ComponentState.Healthy or ComponentState.Completed => "green",
        ComponentState.Running or ComponentState.Starting or ComponentState.Waiting or ComponentState.Stopping
            or ComponentState.BetweenRounds or ComponentState.Throttled or ComponentState.Backoff => "yellow",
        ComponentState.Stopped => "grey",
        _ => "red",
    };

    public static string Mark(Verdict verdict) => verdict.Kind switch
    {
        VerdictKind.Up => "[green]✓[/]",
        VerdictKind.Failed or VerdictKind.Stuck => "[red]✗[/]",
        _ => "[grey]…[/]",
    };
}
