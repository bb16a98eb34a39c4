using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Checks;
using Tend.Core.Checks.Waiting;
using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend wait CHECK... [--timeout] [--interval]</c>: runs checks until each has passed once,
/// with the same code as a stack's <c>requires</c>; for scripts, CI and init containers. A
/// bare name is a component of the stack file, waited for by its health check.
/// </summary>
internal static class WaitVerb
{
    public static Command Create(GlobalOptions options)
    {
        var checks = new Argument<string[]>("check") { Description = $"What to wait for: {CheckWord.Forms}; or a component of the stack file (its health check)", Arity = ArgumentArity.OneOrMore };
        var timeout = new Option<string>("--timeout") { Description = "Give up after this long (0: never)", DefaultValueFactory = _ => "60s", HelpName = "DURATION" };
        var interval = new Option<string>("--interval") { Description = "Time between two tries of a check that failed", DefaultValueFactory = _ => "1s", HelpName = "DURATION" };
        var command = new Command("wait", "Wait until checks pass (a database accepts logins, a URL answers, a port listens)") { checks, timeout, interval };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(checks) ?? [], parse.GetValue(timeout)!, parse.GetValue(interval)!, token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] words, string timeoutText, string intervalText, CancellationToken cancellationToken)
    {
        if (!Quantities.TryParseDuration(timeoutText, out var timeout) || timeout < TimeSpan.Zero)
        {
            return cli.UsageError($"--timeout must be a duration such as 30s or 5m (0 waits for ever), not '{timeoutText}'");
        }

        if (!Quantities.TryParseDuration(intervalText, out var interval) || interval <= TimeSpan.Zero)
        {
            return cli.UsageError($"--interval must be a duration longer than zero such as 500ms or 2s, not '{intervalText}'");
        }

        var here = new CheckContext { BaseDirectory = cli.WorkingDirectory, ShownFrom = cli.WorkingDirectory, Time = cli.Time };
        var typedRunner = new CheckRunner(here, RuleBook.With([]));
        var waited = new List<WaitedCheck>();
        var names = words.Where(IsComponentName).Distinct(StringComparer.Ordinal).ToList();
        StackFile? stack = null;
        if (names.Count > 0)
        {
            // A bare word is a component only where a stack file has it; else it was meant as a
            // check (127.0.0.1, db:5432 without a scheme), and the forms are the answer.
            var path = StackFileLocator.Find(cli.FileOption, cli.WorkingDirectory);
            var known = path is null ? null : StackFileLoader.Load(path).Stack;
            if (names.FirstOrDefault(n => known?.Find(n) is null) is { } unknown && (path is null || known is not null))
            {
                var where = path is null ? $"there is no {StackFileLocator.DefaultName} here or above" : $"{known!.Name} has no component '{unknown}'";
                var guess = known is null ? null : DidYouMean.Suggest(unknown, [.. known.Components.Select(c => c.Name)]);
                return cli.UsageError($"'{unknown}' is not a check, and {where}", $"{(guess is null ? "" : $"did you mean {guess}? or ")}write a check as {CheckWord.Forms}");
            }

            if (!cli.TryLoadStack(names, out stack, out var exitCode))
            {
                return exitCode;
            }
        }

        var stackRunner = stack is null ? null : StackRunner(cli, stack);
        foreach (var word in words.Distinct(StringComparer.Ordinal))
        {
            if (IsComponentName(word))
            {
                if (stack!.Find(word)!.Health is not { } health)
                {
                    return cli.UsageError($"{word} has no health check to wait for", $"give it one in {Path.GetRelativePath(cli.WorkingDirectory, stack.Path)}, e.g. health = {{ http = \"http://127.0.0.1:8080/healthz\" }}");
                }

                waited.Add(new WaitedCheck(new PlannedCheck(word, word, CheckRole.Health, health.Check, []), stackRunner!));
                continue;
            }

            var reading = CheckWord.Read(word);
            if (!reading.Succeeded)
            {
                return cli.UsageError(reading.Problem!, reading.Hint);
            }

            waited.Add(new WaitedCheck(new PlannedCheck(word, reading.Spec!.Kind, CheckRole.Typed, reading.Spec, []), typedRunner));
        }

        var console = cli.Terminal.Out;
        var limit = timeout == TimeSpan.Zero ? null : (TimeSpan?)timeout;
        console.MarkupLine($"[grey]Waiting for {waited.Count} check{(waited.Count == 1 ? "" : "s")} ({(limit is null ? "no time limit" : $"for up to {Quantities.FormatDuration(timeout)}")}, a failed one again every {Quantities.FormatDuration(interval)})[/]");
        var outcome = await new CheckWaiter(cli.Time).WaitAsync(waited, interval, limit, p => Report(console, p), cancellationToken);
        if (outcome.Passed)
        {
            console.MarkupLine($"{Glyphs.Of(CheckStatus.Pass)} all {waited.Count} passed in {Quantities.FormatDuration(outcome.Elapsed)}");
            return ExitCodes.Ok;
        }

        var failing = outcome.Failing.ToList();
        console.WriteLine();
        console.MarkupLine($"{Glyphs.Of(CheckStatus.Fail)} [bold]gave up after {Quantities.FormatDuration(outcome.TimedOut ? timeout : outcome.Elapsed)}:[/] {failing.Count} of {waited.Count} still fail{(failing.Count == 1 ? "s" : "")}");
        foreach (var result in failing)
        {
            console.MarkupLine($"  {Glyphs.Of(CheckStatus.Fail)} {Markup.Escape(Masked(result, Label(result)))}  {Markup.Escape(Masked(result, result.Outcome.Summary))}");
            CheckReportView.RenderFacts(console, result.Outcome with { Facts = [.. result.Outcome.Facts.Select(f => Masked(result, f))] }, "      ");
            if (result.Diagnosis is { } diagnosis)
            {
                CheckReportView.RenderDiagnosis(console, diagnosis, "      ");
            }
        }

        return ExitCodes.Failed;
    }

    /// <summary>A word that can only be a component: a check has a scheme, a colon or an '='.</summary>
    private static bool IsComponentName(string word) => word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.');

    private static CheckRunner StackRunner(CliContext cli, StackFile stack) => new(
        new CheckContext
        {
            BaseDirectory = stack.Directory,
            ShownFrom = cli.WorkingDirectory,
            Time = cli.Time,
            ComponentHealth = stack.Components.Where(c => c.Health is not null).ToDictionary(c => c.Name, c => c.Health!.Check, StringComparer.Ordinal),
        },
        RuleBook.With(stack.DiagnoseRules));

    /// <summary>Only news: the first answer of each check, a change of answer, and a pass.</summary>
    private static void Report(IAnsiConsole console, WaitProgress progress)
    {
        if (!progress.Changed)
        {
            return;
        }

        var result = progress.Result;
        var at = $"[grey]{Quantities.FormatDuration(progress.Elapsed)}[/]";
        console.MarkupLine(result.Status is CheckStatus.Pass or CheckStatus.Warn
            ? $"  {Glyphs.Of(result.Status)} {Markup.Escape(Masked(result, Label(result)))} [grey]passed after[/] {at}"
            : $"  {Glyphs.Of(result.Status)} {Markup.Escape(Masked(result, Label(result)))}: {Markup.Escape(Masked(result, result.Outcome.Summary))} {at}");
    }

    private static string Label(CheckResult result) =>
        result.Check.Role == CheckRole.Health ? $"{result.Check.Component} ({result.Check.Spec.Kind} {result.Check.Spec.Target})" : $"{result.Check.Spec.Kind} {result.Check.Spec.Target}";

    /// <summary>A password in a typed URL is never echoed: the word is on the user's screen already, the output may go to a CI log.</summary>
    private static string Masked(CheckResult result, string text) =>
        result.Check.Spec.Secrets(Environment.GetEnvironmentVariable).Where(s => s.Length > 0).Aggregate(text, (t, secret) => t.Replace(secret, "****", StringComparison.Ordinal));
}
