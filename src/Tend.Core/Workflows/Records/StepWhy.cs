using System.Text.RegularExpressions;
using Tend.Core.Config;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Text;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Records;

/// <summary>
/// Explains a step of a recorded run (<c>tend why RUN STEP</c>): its end from run.json, the end
/// of its log read by the knowledge base, the chain of an omission down to the failure that
/// caused it, and what to type next.
/// </summary>
public static partial class StepWhy
{
    /// <summary>How much of the log's end is shown.</summary>
    public const int LogLines = 12;

    /// <summary>The steps of a run worth explaining, in the run's order: those that failed or wait for review; else, for a run stopped before them, its omitted ones.</summary>
    public static IReadOnlyList<StepRecord> Explainable(RunRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        var failed = record.Steps.Where(s => s.State is StepState.Failed or StepState.Paused).ToList();
        if (failed.Count > 0)
        {
            return failed;
        }

        // A run whose runner went away left its steps `running`: those are what its end cut short.
        var cut = record.Outcome is RunOutcome.Interrupted ? record.Steps.Where(s => s.State == StepState.Running).ToList() : [];
        return cut.Count > 0 ? cut : [.. record.Steps.Where(s => s.State == StepState.Omitted).Take(1)];
    }

    /// <param name="workflow">The run's workflow as it loads now, for its <c>depends_on</c> and commands; null when it no longer does (the chain then follows the reasons).</param>
    /// <param name="stack">The stack file, for its own diagnosis rules and its components' commands.</param>
    public static StepExplanation Explain(RunRecord record, RunDirectory directory, string stepId, Workflow? workflow, StackFile? stack)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentNullException.ThrowIfNull(directory);
        var step = record.Find(stepId) ?? throw new ArgumentException($"run {record.Run} has no step {stepId}", nameof(stepId));
        var chain = Chain(record, stepId, workflow is null ? null : id => [.. workflow.Find(id)?.DependsOn.Select(d => d.StepId) ?? []]);
        var ran = step.Attempts.Count > 0 && step.State is StepState.Failed or StepState.Paused or StepState.Succeeded or StepState.Running;
        var log = ran ? LastAttemptLog(directory.LogFile(stepId), LogLines) : [];
        var last = step.Attempts.Count > 0 ? step.Attempts[^1] : null;
        var ending = last is null ? null : Ending(last);
        var diagnosis = step.State is StepState.Failed or StepState.Paused && last is not null ? Diagnose(step, last, log, workflow?.Find(stepId), stack) : null;
        var reason = step.Reason ?? (step.State == StepState.Running && record.Outcome == RunOutcome.Interrupted
            ? $"it was running when its runner (pid {record.RunnerPid}) went away, and nothing has run it since"
            : null);
        return new StepExplanation(record.Run, record.Workflow, stepId, step.State, reason, step.Attempts.Count, ending, chain, log, diagnosis, Next(record, step, chain, workflow, stack));
    }

    /// <summary>
    /// An omitted step's chain: the step it waited for that did not succeed, then the one that
    /// one waited for, down to a step that was not omitted itself. A failed one is followed
    /// before an omitted one, and that before a skipped one, so the chain ends at the failure.
    /// </summary>
    /// <param name="dependsOn">What each step depends on; null reads it from the omission's reason ("needs lint to succeed (lint failed)").</param>
    public static IReadOnlyList<OmissionLink> Chain(RunRecord record, string stepId, Func<string, IReadOnlyList<string>>? dependsOn)
    {
        ArgumentNullException.ThrowIfNull(record);
        var chain = new List<OmissionLink>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var current = record.Find(stepId);
        while (current is { State: StepState.Omitted } && seen.Add(current.Id))
        {
            var upstream = (dependsOn?.Invoke(current.Id) ?? MentionedIn(record, current))
                .Select(record.Find)
                .OfType<StepRecord>()
                .Where(s => s.State != StepState.Succeeded)
                .OrderBy(s => s.State switch { StepState.Failed => 0, StepState.Paused => 1, StepState.Omitted => 2, _ => 3 })
                .FirstOrDefault();
            if (upstream is null)
            {
                break;
            }

            chain.Add(new OmissionLink(upstream.Id, upstream.State, upstream.Reason));
            current = upstream;
        }

        return chain;
    }

    /// <summary>The end of the log's last attempt (from its last <c>==&gt; attempt</c> line), at most <paramref name="count"/> lines; none when there is no log.</summary>
    public static IReadOnlyList<string> LastAttemptLog(string path, int count)
    {
        string[] lines;
        try
        {
            using var reader = new StreamReader(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite));
            lines = reader.ReadToEnd().Split('\n');
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        // The last attempt's section begins at the first header line of its number (its
        // pre-flight, its start), so a pre-flight's findings are shown with its refusal.
        var start = 0;
        string? number = null;
        for (var i = lines.Length - 1; i >= 0; i--)
        {
            if (AttemptHeader().Match(lines[i]) is { Success: true } header)
            {
                if (number is not null && header.Groups[1].Value != number)
                {
                    break;
                }

                number = header.Groups[1].Value;
                start = i;
            }
        }

        var attempt = lines[start..].Select(l => l.TrimEnd('\r')).ToList();
        while (attempt.Count > 0 && attempt[^1].Length == 0)
        {
            attempt.RemoveAt(attempt.Count - 1);
        }

        return attempt.Count <= count ? attempt : [.. attempt[^count..]];
    }

    /// <summary>How an attempt's process ended, in the words of <see cref="ExitStatus"/>; null when none ran or it exited 0.</summary>
    public static string? Ending(AttemptRecord attempt)
    {
        ArgumentNullException.ThrowIfNull(attempt);
        return attempt.Signal is { } name && Signals.TryParse(name, out var signal) ? ExitStatus.KilledBy(signal)
            : attempt.ExitCode is { } code ? ExitStatus.Describe(code)
            : null;
    }

    private static Diagnosis? Diagnose(StepRecord step, AttemptRecord last, IReadOnlyList<string> log, WorkflowStep? definition, StackFile? stack)
    {
        var data = new Dictionary<string, string>(StringComparer.Ordinal) { ["summary"] = step.Reason ?? step.State.Name() };
        var run = definition?.Run is StepRun.Actor actor ? actor.Resolved : definition?.Run;
        string? component = null;
        switch (run)
        {
            case StepRun.Command command when command.Argv.Count > 0:
                data["command"] = string.Join(' ', command.Argv.Select(ShellWords.Quote));
                data["program"] = command.Argv[0];
                break;
            case StepRun.ComponentCommand named:
                component = named.Component;
                data["command"] = $"{named.Component} {named.CommandName}";
                if (stack?.Find(named.Component)?.MatchCommand(named.CommandName.Split(' ', StringSplitOptions.RemoveEmptyEntries)) is { } match && match.Command.Argv.Count > 0)
                {
                    data["program"] = match.Command.Argv[0];
                }

                break;
        }

        // Only an end of the program's own is read by the knowledge base: what tend decided (a
        // timeout, an artifact that fell short, a refused pre-flight) is its own reason.
        if (last.Reason is null || last.Reason != Ending(last))
        {
            return null;
        }

        var exitCode = last.Signal is { } name && Signals.TryParse(name, out var signal) ? ExitStatus.OfSignal(signal) : last.ExitCode;
        var subject = new DiagnosisSubject("run", "exit_code", component, string.Join('\n', log.Where(l => !AttemptHeader().IsMatch(l))), exitCode, data);
        return RuleBook.With(stack?.DiagnoseRules ?? []).Explain(subject);
    }

    private static List<string> Next(RunRecord record, StepRecord step, IReadOnlyList<OmissionLink> chain, Workflow? workflow, StackFile? stack)
    {
        var next = new List<string>();
        var run = ShellWords.Quote(record.Run);
        if (chain.Count > 0)
        {
            next.Add($"tend workflow why {run} {ShellWords.Quote(chain[^1].Step)}");
        }

        if (step.Attempts.Count > 0)
        {
            next.Add($"tend workflow logs {run} {ShellWords.Quote(step.Id)}");
        }

        if (step.State is StepState.Failed or StepState.Paused && workflow?.Find(step.Id) is { } definition && ByHand(workflow, definition, record, stack) is { } byHand)
        {
            next.Add(byHand);
        }

        if (step.State == StepState.Paused && record.Outcome == RunOutcome.Running)
        {
            next.Add($"tend workflow approve {run} {ShellWords.Quote(step.Id)}");
        }

        if (record.Outcome is RunOutcome.Failed or RunOutcome.Stopped or RunOutcome.Interrupted)
        {
            next.Add($"tend workflow resume {run}");
        }

        return next;
    }

    /// <summary>The step's command to run by hand: <c>tend run COMP CMD</c> for a component's (its pre-flight included), else its command line in the workflow's directory.</summary>
    private static string? ByHand(Workflow workflow, WorkflowStep step, RunRecord record, StackFile? stack)
    {
        var run = step.Run is StepRun.Actor actor ? actor.Resolved : step.Run;
        if (run is StepRun.ComponentCommand named)
        {
            // A refused pre-flight is checked again on its own before the command is tried.
            if (record.Find(step.Id)?.Reason?.StartsWith("pre-flight of ", StringComparison.Ordinal) == true)
            {
                return $"tend preflight {ShellWords.Quote(named.Component)}";
            }

            return $"tend run {ShellWords.Quote(named.Component)} {string.Join(' ', named.CommandName.Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(ShellWords.Quote))}";
        }

        var (command, _) = StepCommand.Resolve(workflow, step, stack, record.Inputs, new Dictionary<string, string>());
        return command is null ? null : $"cd {ShellWords.Quote(command.WorkingDirectory)} && {string.Join(' ', command.Argv.Select(ShellWords.Quote))}";
    }

    /// <summary>The run's step ids its reason names, in the order the reason names them.</summary>
    private static List<string> MentionedIn(RunRecord record, StepRecord step) =>
        step.Reason is not { } reason ? []
        : [.. record.Steps
            .Where(s => s.Id != step.Id)
            .Select(s => (s.Id, At: Regex.Match(reason, $@"(?<![\w.-]){Regex.Escape(s.Id)}(?![\w-])", RegexOptions.CultureInvariant, TimeSpan.FromMilliseconds(100))))
            .Where(m => m.At.Success)
            .OrderBy(m => m.At.Index)
            .Select(m => m.Id)];

    [GeneratedRegex(@"^==> attempt (\d+) ", RegexOptions.CultureInvariant, 100)]
    private static partial Regex AttemptHeader();
}
