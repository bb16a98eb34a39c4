using Spectre.Console;
using Tend.Cli.Output;
using Tend.Cli.Verbs;
using Tend.Core.Checks;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Cli.Diag;

/// <summary>
/// preflight.txt and health.txt: the checks of `tend preflight` and the probes of `tend health`,
/// run here by the same planner and runner, rendered as `tend preflight` renders them, each
/// bounded by <see cref="DiagRequest.CheckTimeout"/> so that a hung server cannot hold the bundle.
/// </summary>
internal static class CheckSources
{
    public static async Task AddAsync(BundleDraft draft, CliContext cli, StackFile stack, CancellationToken cancellationToken)
    {
        draft.Add("preflight.txt", await RunAsync(cli, stack, CheckPlanner.Preflight(stack, []), $"Pre-flight checks for {stack.Name}", cancellationToken));
        draft.Add("health.txt", await RunAsync(cli, stack, CheckPlanner.Health(stack, []), $"Health probes of {stack.Name}", cancellationToken));
    }

    private static async Task<string> RunAsync(CliContext cli, StackFile stack, IReadOnlyList<PlannedCheck> plan, string title, CancellationToken cancellationToken)
    {
        if (plan.Count == 0)
        {
            return $"{title}: none defined\n";
        }

        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(DiagRequest.CheckTimeout);
        try
        {
            var (results, duration) = await CheckSession.RunAsync(cli, stack, plan, deadline.Token);
            var writer = new StringWriter();
            CheckReportView.Render(PlainConsole(writer), title, results, duration);
            return writer.ToString();
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return $"{title}: did not finish within {Quantities.FormatDuration(DiagRequest.CheckTimeout)} (run it by hand to see which check hangs)\n";
        }
    }

    /// <summary>A console that writes plain text to <paramref name="writer"/>: no colour, no escape sequences, no wrapping.</summary>
    private static IAnsiConsole PlainConsole(TextWriter writer)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.No,
            ColorSystem = ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        console.Profile.Width = 4096;
        console.Profile.Height = 1000;
        return console;
    }
}
