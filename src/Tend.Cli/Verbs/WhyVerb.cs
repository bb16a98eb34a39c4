using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Cli.Verbs.Workflows;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Hosting;
using Tend.Daemon.Supervision;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend why COMP</c>: what state the component is in, since when and why, told from the facts
/// (its snapshot, its events, probe results, exit codes and the end of its log), with a
/// diagnosis where one applies and the next command to type.
/// </summary>
internal static class WhyVerb
{
    public static Command Create(GlobalOptions options)
    {
        var component = new Argument<string?>("component") { Description = "The component to explain (default: the whole stack, as tend doctor); or a workflow run's id, or a workflow's name for its latest run", Arity = ArgumentArity.ZeroOrOne };
        var step = new Argument<string?>("step") { Description = "With a run: the step to explain (default: every failed step)", Arity = ArgumentArity.ZeroOrOne };
        var command = new Command("why", "Explain a component's state from its events, probes, exits and logs, or a workflow run's failed steps; without one, what is wrong with the stack") { component, step };
        command.SetAction((parse, token) => parse.GetValue(component) is { } name
            ? RunAsync(new CliContext(parse, options), name, parse.GetValue(step), token)
            : DoctorVerb.RunAsync(new CliContext(parse, options), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string name, string? step, CancellationToken cancellationToken)
    {
        // A component's name wins; a name that is none is a workflow's (its latest run) or a
        // run's id. `tend workflow why` reaches a workflow that shares a component's name.
        var quiet = WorkflowPlaces.QuietStack(cli);
        var isComponent = quiet?.Find(name) is not null;
        if (quiet is null || !isComponent || step is not null)
        {
            if (WorkflowWhyVerb.Knows(quiet, WorkflowPlaces.Store(cli), name))
            {
                return WorkflowWhyVerb.Run(cli, name, step);
            }

            if (isComponent)
            {
                return cli.UsageError($"{name} is a component of {quiet!.Name}, and a component has no steps", $"tend why {name}");
            }

            if (quiet is not null)
            {
                return UnknownName(cli, quiet, name);
            }
        }

        if (cli.Json)
        {
            return await RefuseJsonAsync(name);
        }

        if (!cli.TryLoadStackForControl([name], out var stack, out var exitCode))
        {
            return exitCode;
        }

        await using var connection = new DaemonConnection(stack);
        var state = await StackState.ReadAsync(connection, cancellationToken);
        var facts = new StackFacts(connection, cli.Time);
        var events = await facts.EventsAsync(new EventFilter { Components = [name] }, 400, follow: false, cancellationToken).ToListAsync(cancellationToken);
        return await ExplainAsync(cli, stack, state, name, events, (run, token) => facts.LogsAsync(name, run, 8, follow: false, token).ToListAsync(token).AsTask(), true, cancellationToken);
    }

    /// <summary>
    /// --json for a component, refused: worded and placed as the refusal of --json by any other
    /// verb without it (TendApp). <paramref name="suffix"/> makes its commands work where the user
    /// stands (` --host pi` from another host).
    /// </summary>
    public static async Task<int> RefuseJsonAsync(string name, string suffix = "")
    {
        await Console.Error.WriteLineAsync($"tend: tend why has no JSON output for a component ({name}); tend status --json{suffix} and tend events --json{suffix} give the state and the events as JSON (shapes in docs/json.md)");
        return ExitCodes.Usage;
    }

    /// <summary>
    /// A component explained from its state, events and log tail, here or from another host
    /// (`--host`, where <paramref name="stack"/> is a stand-in knowing only the name, and an
    /// external's check is not run from here: <paramref name="checksHere"/> false).
    /// </summary>
    public static Task<int> ExplainAsync(CliContext cli, StackFile stack, StackState state, string name, IReadOnlyList<EventRecord> events, Func<int, CancellationToken, Task<List<Daemon.Logs.LogLine>>> logTail, bool checksHere, CancellationToken cancellationToken) =>
        ExplainAsync(cli, stack, state, name, events, logTail, checksHere, static step => step, cancellationToken);

    /// <summary>The same, with each next step said as typed where the user stands (<paramref name="typed"/>: with `--host pi` from another host).</summary>
    public static async Task<int> ExplainAsync(CliContext cli, StackFile stack, StackState state, string name, IReadOnlyList<EventRecord> events, Func<int, CancellationToken, Task<List<Daemon.Logs.LogLine>>> logTail, bool checksHere, Func<string, string> typed, CancellationToken cancellationToken)
    {
        if (state.Problem is { } problem)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(problem)}");
        }

        var snapshot = state.Snapshot?.Components.FirstOrDefault(c => c.Name == name);
        var console = cli.Terminal.Out;
        var now = cli.Time.GetUtcNow();

        if (snapshot is null)
        {
            console.MarkupLine($"[bold]{Markup.Escape(name)}[/] has never run under tend {(checksHere ? "here" : "on that host")}.");
            console.MarkupLine($"[grey]Next:[/] {Markup.Escape(typed($"tend up {name}   (or tend preflight {name} first)"))}");
            return ExitCodes.Ok;
        }

        var ago = Quantities.FormatDuration(now - snapshot.Since);
        var staleness = state.Live ? "" : " [yellow](last known: the daemon is not running)[/]";
        console.MarkupLine($"[bold]{Markup.Escape(name)}[/] is [{StateView.Color(snapshot.Verdict)}]{Markup.Escape(snapshot.State.Words())}[/] since {snapshot.Since.ToLocalTime():HH:mm:ss} ({ago} ago){staleness}");
        if (snapshot.Reason is { Length: > 0 } reason)
        {
            console.MarkupLine($"  [grey]because:[/] {Markup.Escape(reason)}");
        }

        RenderFacts(console, snapshot, now);
        foreach (var alert in state.Snapshot?.Alerts?.Where(a => a.ResolvedAt is null && a.Component == name) ?? [])
        {
            console.MarkupLine("  [grey]alert firing:[/]");
            AlertsView.RenderFiring(console, alert, now, "    ");
        }

        RenderHistory(console, events);
        // The log is the child's own words: the stack's secrets and what looks like one are masked before they are shown or quoted.
        var secrets = StackSecrets.Of(stack, Environment.GetEnvironmentVariable);
        var tail = snapshot.Kind == Core.Model.ComponentKind.External
            ? []
            : Redactor.RedactLines((await logTail(snapshot.Run, cancellationToken)).Select(l => l.Text), secrets);
        if (tail.Count > 0)
        {
            console.MarkupLine($"  [grey]end of the log of run {snapshot.Run}:[/]");
            foreach (var line in tail)
            {
                console.MarkupLine($"    {Markup.Escape(line)}");
            }
        }

        var diagnosis = snapshot.Kind == Core.Model.ComponentKind.External && !snapshot.Verdict.IsUp
            ? !checksHere ? null : await CheckSession.ExplainHealthAsync(cli, stack, name, cancellationToken)
            : ComponentDiagnosis.For(stack, snapshot, tail, events, secrets);
        if (diagnosis is not null)
        {
            CheckReportView.RenderDiagnosis(console, diagnosis with { Actions = [.. diagnosis.Actions.Select(typed)] }, "  ");
        }

        console.MarkupLine($"  [grey]next:[/] {Markup.Escape(typed(NextSteps.For(snapshot, diagnosis?.RuleId == "liveness-restart")))}");
        return ExitCodes.Ok;
    }

    private static int UnknownName(CliContext cli, StackFile stack, string name)
    {
        var components = stack.Components.Select(c => c.Name).ToList();
        var workflows = stack.Workflows.Select(w => w.Name).ToList();
        var known = new List<string>();
        if (components.Count > 0)
        {
            known.Add($"components: {string.Join(", ", components)}");
        }

        if (workflows.Count > 0)
        {
            known.Add($"workflows: {string.Join(", ", workflows)}");
        }

        known.Add("runs: tend workflow ls");
        return cli.UsageError($"'{name}' is not a component, a workflow or a workflow run of {stack.Name}", DidYouMean.Hint(name, [.. components, .. workflows]) ?? string.Join("; ", known));
    }

    private static void RenderFacts(IAnsiConsole console, ComponentSnapshot s, DateTimeOffset now)
    {
        if (s.Pid is { } pid && s.StartedAt is { } started)
        {
            console.MarkupLine($"  [grey]run {s.Run}:[/] pid {pid}, up {Quantities.FormatDuration(now - started)}");
        }
        else if (s.LastExitAt is { } exitAt)
        {
            var how = s.LastSignal is { } signal ? $"killed by signal {signal}" : $"exit code {s.LastExitCode}";
            console.MarkupLine($"  [grey]run {s.Run}:[/] ended {exitAt.ToLocalTime():HH:mm:ss} with {how}");
        }

        if (s.Restarts > 0)
        {
            console.MarkupLine($"  [grey]restarts:[/] {s.Restarts}");
        }

        if (s.NextStartAt is { } next)
        {
            console.MarkupLine($"  [grey]next start:[/] {next.ToLocalTime():HH:mm:ss} (in {Quantities.FormatDuration(next > now ? next - now : TimeSpan.Zero)}, back-off {s.BackoffSeconds:0.#}s)");
        }

        if (s.Health is not null)
        {
            var failures = s.ProbeFailures > 0 ? $" ×{s.ProbeFailures}" : "";
            console.MarkupLine($"  [grey]probe:[/] {s.Health.Value.Name()}{failures}: {Markup.Escape(s.LastProbe ?? "not run yet")}");
        }

        if (s.WaitingFor is { Length: > 0 } waiting)
        {
            console.MarkupLine($"  [grey]waiting for:[/] {Markup.Escape(waiting)}");
        }

        if (s.Rounds is { } rounds)
        {
            RoundsView.RenderFacts(console, rounds, now);
        }
    }

    private static void RenderHistory(IAnsiConsole console, IReadOnlyList<EventRecord> events)
    {
        var recent = events.Where(e => e.Kind != EventKinds.ProbePassed.Name).TakeLast(10).ToList();
        if (recent.Count == 0)
        {
            return;
        }

        console.MarkupLine("  [grey]what happened (newest last):[/]");
        foreach (var e in recent)
        {
            console.MarkupLine($"    {e.Timestamp.ToLocalTime():HH:mm:ss.fff} {Markup.Escape(EventNarration.Narrate(e))}");
        }
    }
}
