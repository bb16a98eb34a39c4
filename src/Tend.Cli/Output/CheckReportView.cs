using Spectre.Console;
using Tend.Core.Checks;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Cli.Output;

/// <summary>Renders check results as ✓/⚠/✗ lines, each failure with its facts, cause and numbered actions.</summary>
internal static class CheckReportView
{
    public static void Render(IAnsiConsole console, string title, IReadOnlyList<CheckResult> results, TimeSpan duration)
    {
        console.MarkupLine($"[bold]{Markup.Escape(title)}[/]");
        console.WriteLine();
        if (results.Count == 0)
        {
            console.MarkupLine("  [grey]nothing to check[/]");
            console.WriteLine();
            return;
        }

        var labelWidth = results.Max(r => Label(r).Length);
        // The same failure seen by several components (one Docker daemon down for three services) is explained once.
        var groups = results.Where(r => r.Status != CheckStatus.Pass && r.Status != CheckStatus.Skip).GroupBy(Sameness).Where(g => g.Count() > 1).ToDictionary(g => g.Key, g => g.ToList());
        foreach (var result in results)
        {
            var label = Label(result).PadRight(labelWidth);
            var time = result.Status == CheckStatus.Skip ? "" : $"  [grey]{Quantities.FormatDuration(result.Duration)}[/]";
            console.MarkupLine($"  {Glyphs.Of(result.Status)} {Markup.Escape(label)}  {Markup.Escape(result.Outcome.Summary)}{time}");
            if (result.Status == CheckStatus.Pass)
            {
                continue;
            }

            if (groups.TryGetValue(Sameness(result), out var same) && same[0] != result)
            {
                console.MarkupLine($"      [grey]the same failure as {Markup.Escape(same[0].Check.Component)}'s above: one fix for all[/]");
                continue;
            }

            RenderDetail(console, result);
            if (same is not null)
            {
                console.MarkupLine($"      [grey]affects {Markup.Escape(string.Join(", ", same.Select(r => r.Check.Component).Distinct(StringComparer.Ordinal)))}[/]");
            }
        }

        console.WriteLine();
        RenderTotals(console, results, duration);
    }

    public static void RenderTotals(IAnsiConsole console, IReadOnlyList<CheckResult> results, TimeSpan duration)
    {
        var failed = results.Count(r => r.Status == CheckStatus.Fail);
        var skipped = results.Count(r => r.Status == CheckStatus.Skip);
        var warned = results.Count(r => r.Status == CheckStatus.Warn);
        var passed = results.Count(r => r.Status == CheckStatus.Pass);
        var parts = new List<string>();
        if (failed > 0)
        {
            parts.Add($"[red]{failed} failed[/]");
        }

        if (skipped > 0)
        {
            parts.Add($"[grey]{skipped} skipped[/]");
        }

        if (warned > 0)
        {
            parts.Add($"[yellow]{warned} warning{(warned == 1 ? "" : "s")}[/]");
        }

        parts.Add($"[green]{passed} passed[/]");
        var overall = CheckSummary.Overall(results);
        console.MarkupLine($"{Glyphs.Of(overall)} {string.Join(", ", parts)} [grey]in {Quantities.FormatDuration(duration)}[/]");
    }

    private static (string, string, string, string?) Sameness(CheckResult result) =>
        (result.Check.Spec.Kind, result.Check.Spec.Target, result.Outcome.Summary, result.Diagnosis?.Cause);

    private static string Label(CheckResult result)
    {
        var spec = result.Check.Spec;
        if (spec is Core.Checks.Kinds.StackPlaceCheck)
        {
            // The whole stack's, not its first component's.
            return $"stack: {spec.Name}";
        }

        var what = spec.Name ?? $"{spec.Kind} {spec.Target}";
        return $"{result.Check.Component}: {what}";
    }

    private static void RenderDetail(IAnsiConsole console, CheckResult result)
    {
        RenderFacts(console, result.Outcome, "      ");

        if (result.Check.Spec.Optional && result.Outcome.Status == CheckStatus.Fail)
        {
            console.MarkupLine("      [grey]optional: reported as a warning[/]");
        }

        if (result.Diagnosis is { } diagnosis && result.Status != CheckStatus.Skip)
        {
            RenderDiagnosis(console, diagnosis, "      ");
        }
    }

    /// <summary>The observations behind a summary; one that only repeats the summary is left out.</summary>
    public static void RenderFacts(IAnsiConsole console, CheckOutcome outcome, string indent)
    {
        foreach (var fact in outcome.Facts.Where(f => f != outcome.Summary))
        {
            console.MarkupLine($"{indent}[grey]seen:[/] {Markup.Escape(fact)}");
        }
    }

    public static void RenderDiagnosis(IAnsiConsole console, Diagnosis diagnosis, string indent)
    {
        console.MarkupLine($"{indent}[grey]cause:[/] {Markup.Escape(diagnosis.Cause)}");
        for (var i = 0; i < diagnosis.Actions.Count; i++)
        {
            console.MarkupLine($"{indent}  {i + 1}. {Highlight(diagnosis.Actions[i])}");
        }
    }

    /// <summary>Shows `commands` in the actions in bold so that they stand out from the prose.</summary>
    private static string Highlight(string action)
    {
        var parts = action.Split('`');
        for (var i = 0; i < parts.Length; i++)
        {
            parts[i] = i % 2 == 1 ? $"[bold]`{Markup.Escape(parts[i])}`[/]" : Markup.Escape(parts[i]);
        }

        return string.Join("", parts);
    }
}
