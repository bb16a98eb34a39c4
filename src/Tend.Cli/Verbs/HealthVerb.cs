using System.CommandLine;
using System.Text.Json;
using Spectre.Console;
using Tend.Core.Status;
using Tend.Cli.Output;
using Tend.Core.Checks;
using Tend.Core.Model;
using Tend.Core.Persistence;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary><c>tend health [COMP...]</c>: each component's probe, as green / yellow / red.</summary>
internal static class HealthVerb
{
    public static Command Create(GlobalOptions options)
    {
        var components = new Argument<string[]>("component") { Description = "Components to probe (default: all with a health probe)", Arity = ArgumentArity.ZeroOrMore };
        var save = new Option<string?>("--save") { Description = "Also write the JSON report to this file (atomically)", HelpName = "FILE" };
        var command = new Command("health", "Probe component health: green, yellow or red") { components, save };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(components) ?? [], parse.GetValue(save), token));
        return command;
    }

    public static string Color(CheckStatus? status) => status switch
    {
        CheckStatus.Pass => "green",
        CheckStatus.Warn => "yellow",
        CheckStatus.Fail or CheckStatus.Skip => "red",
        _ => "unknown",
    };

    private static async Task<int> RunAsync(CliContext cli, string[] names, string? savePath, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStack(names, out var stack, out var exitCode))
        {
            return exitCode;
        }

        var plan = CheckPlanner.Health(stack, names);
        var (results, duration) = await CheckSession.RunAsync(cli, stack, plan, cancellationToken);
        // The stack's place (`[stack] expects`) is checked first under the first component's name: not that component's probe.
        var place = results.FirstOrDefault(r => r.Check.Spec is Core.Checks.Kinds.StackPlaceCheck);
        var byComponent = results.Where(r => r != place).ToDictionary(r => r.Check.Component, StringComparer.Ordinal);
        // Jobs complete rather than stay healthy: they are listed only when asked for by name.
        var selected = stack.Components.Where(c => names.Length == 0 ? c.Kind != ComponentKind.Job : names.Contains(c.Name)).ToList();
        var components = selected
            .Select(c => byComponent.TryGetValue(c.Name, out var r)
                ? new ComponentHealthJson(c.Name, c.KindName, Color(r.Status), ReportMapper.Check(r))
                : new ComponentHealthJson(c.Name, c.KindName, "unknown", null))
            .ToList();
        var overall = Color(results.Count == 0 ? null : CheckSummary.Overall(results));
        var report = new HealthReportJson(stack.Name, overall, cli.Time.GetUtcNow().ToString("O"), Math.Round(duration.TotalMilliseconds, 1), components);

        if (savePath is not null)
        {
            var target = Path.GetFullPath(savePath, cli.WorkingDirectory);
            try
            {
                AtomicFile.WriteAllText(target, JsonSerializer.Serialize(report, ReportJson.Default.HealthReportJson) + "\n");
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return cli.UsageError($"cannot save the report to {savePath}: {e.Message}");
            }
        }

        if (cli.Json)
        {
            CliContext.WriteJson(report, ReportJson.Default.HealthReportJson);
        }
        else
        {
            if (place is { Passed: false })
            {
                CheckReportView.Render(cli.Terminal.Out, $"Where {stack.Name} stands", [place], place.Duration);
            }

            Render(cli, stack.Name, selected.Select(c => c.Name).ToList(), byComponent, overall, duration);
            if (savePath is not null)
            {
                cli.Terminal.Out.MarkupLine($"[grey]Saved to {Markup.Escape(savePath)}[/]");
            }
        }

        return overall == "red" ? ExitCodes.Failed : ExitCodes.Ok;
    }

    private static void Render(CliContext cli, string stack, List<string> names, Dictionary<string, CheckResult> results, string overall, TimeSpan duration)
    {
        var console = cli.Terminal.Out;
        console.MarkupLine($"[bold]Health of {Markup.Escape(stack)}[/]");
        console.WriteLine();
        var width = names.Max(n => n.Length);
        foreach (var name in names)
        {
            if (!results.TryGetValue(name, out var result))
            {
                console.MarkupLine($"  [grey]●[/] {Markup.Escape(name.PadRight(width))}  [grey]unknown   no health probe[/]");
                continue;
            }

            var color = Color(result.Status);
            var markupColor = color == "unknown" ? "grey" : color;
            console.MarkupLine($"  [{markupColor}]●[/] {Markup.Escape(name.PadRight(width))}  [{markupColor}]{color,-8}[/]  {Markup.Escape(result.Outcome.Summary)} [grey]{Quantities.FormatDuration(result.Duration)}[/]");
            if (result.Status != CheckStatus.Pass)
            {
                CheckReportView.RenderFacts(console, result.Outcome, "      ");

                if (result.Diagnosis is { } diagnosis)
                {
                    CheckReportView.RenderDiagnosis(console, diagnosis, "      ");
                }
            }
        }

        console.WriteLine();
        var overallColor = overall == "unknown" ? "grey" : overall;
        console.MarkupLine($"[{overallColor}]●[/] overall [{overallColor}]{overall}[/] [grey]in {Quantities.FormatDuration(duration)}[/]");
    }
}
