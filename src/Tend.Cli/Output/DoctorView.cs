using Spectre.Console;
using Tend.Core.Doctor;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Cli.Output;

/// <summary>The doctor's report as text: each root with its symptoms, cause and actions, what it holds back under it.</summary>
internal static class DoctorView
{
    /// <param name="again">The command that asks again, as typed where the user stands (`tend why --host pi` from another host).</param>
    public static void Render(IAnsiConsole console, DoctorReport report, TimeSpan duration, string again = "tend doctor")
    {
        console.MarkupLine($"[bold]Doctor: {Markup.Escape(report.Stack)}[/] [grey]({Markup.Escape(Situation(report))}; {report.ChecksRun} check{(report.ChecksRun == 1 ? "" : "s")} in {Quantities.FormatDuration(duration)})[/]");
        console.WriteLine();
        foreach (var finding in report.Findings)
        {
            RenderFinding(console, finding);
        }

        if (report.NotChecked.Count > 0)
        {
            console.MarkupLine("[grey]Not checked while what they need does not run (tend up runs them in order):[/]");
            foreach (var n in report.NotChecked)
            {
                console.MarkupLine($"  [grey]– {Markup.Escape(n.Component)}: {Markup.Escape(n.Check)} (needs {Markup.Escape(n.Needs)})[/]");
            }

            console.WriteLine();
        }

        console.MarkupLine(Verdict(report, again));
    }

    private static void RenderFinding(IAnsiConsole console, Finding finding)
    {
        var title = finding.Component is { } name ? $"[bold]{Markup.Escape(name)}[/] [grey]({finding.Kind})[/]" : $"[bold]the {Markup.Escape(finding.Kind)}[/]";
        console.MarkupLine($"{Glyphs.Of(finding.Severity)} {title}");
        foreach (var symptom in finding.Symptoms)
        {
            console.MarkupLine($"    {Markup.Escape(symptom.Summary)}");
            foreach (var fact in symptom.Facts)
            {
                console.MarkupLine($"      [grey]seen:[/] {Markup.Escape(fact)}");
            }

            if (symptom.Diagnosis is { } diagnosis)
            {
                CheckReportView.RenderDiagnosis(console, diagnosis, "      ");
            }

            if (symptom.Next is { } next)
            {
                console.MarkupLine($"      [grey]next:[/] {Markup.Escape(next)}");
            }
        }

        if (finding.Blocks.Count > 0)
        {
            console.MarkupLine($"    [grey]holds back {finding.Blocks.Select(b => b.Component).Distinct(StringComparer.Ordinal).Count()}:[/]");
            foreach (var blocked in finding.Blocks)
            {
                console.MarkupLine($"      [grey]↳[/] {Markup.Escape(blocked.Component)}: {Markup.Escape(blocked.Summary)}");
            }
        }

        console.WriteLine();
    }

    private static string Situation(DoctorReport report) => report.Daemon switch
    {
        "running" => $"the daemon runs {report.ComponentsRunning} process{(report.ComponentsRunning == 1 ? "" : "es")}",
        "not_answering" => "a daemon listens but does not answer",
        _ => "the stack is not running",
    };

    private static string Verdict(DoctorReport report, string again)
    {
        if (report.Findings.Count == 0)
        {
            var running = report.Daemon == "running" ? "" : " [grey](the stack is not running: tend up starts it)[/]";
            return $"{Glyphs.Of(CheckStatus.Pass)} Nothing is wrong{running}";
        }

        var roots = report.Findings.Where(f => f.Severity == CheckStatus.Fail).ToList();
        if (roots.Count == 0)
        {
            return $"{Glyphs.Of(CheckStatus.Warn)} Nothing fails; {report.Findings.Count} warning{(report.Findings.Count == 1 ? "" : "s")} above";
        }

        var first = roots[0];
        var held = first.Blocks.Select(b => b.Component).Distinct(StringComparer.Ordinal).Count();
        var what = first.Component ?? $"the {first.Kind}";
        var because = held > 0 ? $": {held} other{(held == 1 ? "" : "s")} wait{(held == 1 ? "s" : "")} on it" : "";
        var more = roots.Count > 1 ? $" ({roots.Count} problems in all)" : "";
        return $"{Glyphs.Of(CheckStatus.Fail)} Fix {Markup.Escape(what)} first{because}{more}; then [bold]{Markup.Escape(again)}[/] again";
    }
}
