using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Knowledge;
using Tend.Core.Model;
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
        var component = new Argument<string>("component") { Description = "The component to explain" };
        var command = new Command("why", "Explain a component's state from its events, probes, exits and logs") { component };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(component)!, token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string name, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStack([name], out var stack, out var exitCode))
        {
            return exitCode;
        }

        var connection = new DaemonConnection(stack);
        var state = await StackState.ReadAsync(connection, cancellationToken);
        var snapshot = state.Snapshot?.Components.FirstOrDefault(c => c.Name == name);
        var events = new EventReader(connection.Paths.Events).Last(400, new EventFilter { Components = [name] });
        var console = cli.Terminal.Out;
        var now = cli.Time.GetUtcNow();

        if (snapshot is null)
        {
            console.MarkupLine($"[bold]{Markup.Escape(name)}[/] has never run under tend here.");
            console.MarkupLine($"[grey]Next:[/] tend up {Markup.Escape(name)}   (or tend preflight {Markup.Escape(name)} first)");
            return ExitCodes.Ok;
        }

        var ago = Quantities.FormatDuration(now - snapshot.Since);
        var staleness = state.Live ? "" : " [yellow](last known: the daemon is not running)[/]";
        console.MarkupLine($"[bold]{Markup.Escape(name)}[/] is [{StatusVerb.Color(snapshot)}]{Markup.Escape(snapshot.State)}[/] since {snapshot.Since.ToLocalTime():HH:mm:ss} ({ago} ago){staleness}");
        if (snapshot.Reason is { Length: > 0 } reason)
        {
            console.MarkupLine($"  [grey]because:[/] {Markup.Escape(reason)}");
        }

        RenderFacts(console, snapshot, now);
        RenderHistory(console, events);
        var tail = await new LogRunOutput(connection.Paths, cli.Time).TailAsync(name, snapshot.Run, 8, cancellationToken);
        if (tail.Count > 0)
        {
            console.MarkupLine($"  [grey]end of the log of run {snapshot.Run}:[/]");
            foreach (var line in tail)
            {
                console.MarkupLine($"    {Markup.Escape(Redactor.Redact(line))}");
            }
        }

        if (Diagnose(stack, snapshot, tail, events) is { } diagnosis)
        {
            CheckReportView.RenderDiagnosis(console, diagnosis, "  ");
        }

        console.MarkupLine($"  [grey]next:[/] {Markup.Escape(Next(snapshot, stack.Find(name)!))}");
        return ExitCodes.Ok;
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
            console.MarkupLine($"  [grey]probe:[/] {s.Health}{failures}: {Markup.Escape(s.LastProbe ?? "not run yet")}");
        }

        if (s.WaitingFor is { } waiting)
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
        var recent = events.Where(e => e.Kind is not "probe_passed").TakeLast(10).ToList();
        if (recent.Count == 0)
        {
            return;
        }

        console.MarkupLine("  [grey]what happened (newest last):[/]");
        foreach (var e in recent)
        {
            console.MarkupLine($"    {e.Timestamp.ToLocalTime():HH:mm:ss.fff} {Markup.Escape(Narrate(e))}");
        }
    }

    /// <summary>One event in plain words.</summary>
    public static string Narrate(EventRecord e)
    {
        if (RoundsView.Narrate(e) is { } round)
        {
            return round;
        }

        string? T(string field) => e[field] is { } value and not EventValue.Nothing ? value.ToString() : null;
        return e.Kind switch
        {
            "component_starting" => $"starting run {T("run")}",
            "component_started" => $"started run {T("run")} (pid {T("pid")})",
            "component_ready" => $"ready ({T("ready_as")}) after {T("after_ms")} ms",
            "component_exited" => T("signal") is { } signal ? $"run {T("run")} killed by {signal} after {T("duration_ms")} ms" : $"run {T("run")} exited with code {T("exit_code")} after {T("duration_ms")} ms",
            "restart_scheduled" => $"restart #{T("attempt")} in {T("delay_ms")} ms ({T("reason")})",
            "backoff_reset" => $"back-off reset after a run of {T("after_ms")} ms",
            "crash_loop" => $"crash loop: {T("restarts")} restarts, last {T("last_exit")}",
            "config_broken" => "exited with 78: configuration broken",
            "liveness_failed" => $"{T("summary")}: {T("action")}",
            "probe_failed" => $"probe failed ×{T("consecutive_failures")}: {T("summary")}",
            "probe_passed" => $"probe passed: {T("summary")}",
            "health_changed" => $"{T("from")} → {T("to")}: {T("reason")}",
            "component_waiting" => $"waiting for {T("requirement")} ({T("condition")}; it is {T("current")})",
            "component_stopping" => $"stopping ({T("reason")}), {T("signal")}, grace {T("grace_ms")} ms",
            "stop_slow" => $"still stopping: {T("alive")}",
            "stop_escalated" => $"did not stop within the grace period: SIGKILL to {T("alive")}",
            "component_stopped" => $"stopped in {T("stop_ms")} ms",
            "component_gave_up" => $"not restarted ({T("reason")}; restart policy {T("policy")})",
            "job_completed" => $"completed in {T("duration_ms")} ms",
            "job_failed" => T("signal") is { } s ? $"failed: killed by {s}" : $"failed with exit code {T("exit_code")}",
            "preflight_failed" => $"pre-flight failed: {T("failed")}",
            "component_start_failed" => $"could not start: {T("error")}",
            "orphan_stopped" => $"stopped pid {T("pid")} left by a daemon that died ({T("command")})",
            "up_requested" => $"up: {T("order")}",
            "down_requested" => $"down: {T("order")}",
            "daemon_started" => $"daemon started (pid {T("pid")})",
            "daemon_stopped" => $"daemon stopped ({T("reason")})",
            "daemon_recovered" => $"previous daemon {T("previous_pid")} died; still alive: {T("still_alive")}",
            "stack_file_changed" => $"stack file changed: {T("changed")}; restarted {T("restarts")}",
            _ => e.Kind.Replace('_', ' '),
        };
    }

    /// <summary>For a run that ended badly, the knowledge base's reading of its exit code and last output.</summary>
    private static Diagnosis? Diagnose(StackFile stack, ComponentSnapshot s, IReadOnlyList<string> tail, IReadOnlyList<EventRecord> events)
    {
        if (s.State is "healthy" or "running" or "completed" or "stopped" or "starting" or "waiting" or "throttled")
        {
            return null;
        }

        if (s.State == "failed" && events.LastOrDefault(e => e.Kind == "preflight_failed") is { } preflight)
        {
            return new Diagnosis("preflight", preflight.GetText("cause") ?? "a pre-flight check failed", preflight.GetList("actions") ?? []);
        }

        var command = string.Join(' ', stack.Find(s.Name)?.Command ?? []);
        var subject = new DiagnosisSubject(
            "run", "exit_code", s.Name, string.Join('\n', tail), s.LastSignal is { } signal ? 128 + signal : s.LastExitCode,
            new Dictionary<string, string> { ["command"] = command, ["program"] = stack.Find(s.Name)?.Command?[0] ?? "", ["summary"] = s.Reason ?? s.State });
        return RuleBook.With(stack.DiagnoseRules).Explain(subject);
    }

    private static string Next(ComponentSnapshot s, Component component) => (s.Rounds is null ? null : RoundsView.Next(s)) ?? s.State switch
    {
        "healthy" or "running" => $"nothing is wrong; tend logs {s.Name} -f to watch it",
        "completed" => "nothing is wrong: the job ran to completion",
        "waiting" => $"tend why {s.WaitingFor?.Split(' ')[0]}",
        "backoff" => $"it restarts by itself; tend logs {s.Name} to see why it exited",
        "crash_loop" or "config_broken" or "failed" or "exited" => $"fix the cause above, then tend start {s.Name}   (tend logs {s.Name} -n 100 for more)",
        "stopped" => component.Kind == ComponentKind.External ? "tend up" : $"tend start {s.Name}",
        _ => $"tend status; tend logs {s.Name}",
    };
}
