using System.CommandLine;
using System.Runtime.InteropServices;
using Spectre.Console;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs.Workflows;

/// <summary>
/// <c>tend workflow run NAME|FILE</c> and <c>tend workflow resume RUN</c>: through the stack's daemon
/// when one is up (<see cref="WorkflowDaemonRun"/>: the run outlives the terminal), else in the
/// foreground; either way its steps' changes live, then the table and what to type next.
/// </summary>
internal static class WorkflowRunVerb
{
    public static Command CreateRun(GlobalOptions options)
    {
        var target = new Argument<string>("workflow") { Description = "A [workflows.NAME] of the stack file, or a workflow YAML file" };
        var dryRun = new Option<bool>("--dry-run") { Description = "Print the plan (levels, commands, conditions, what hangs on each step) and run nothing" };
        var inputs = new Option<string[]>("--input") { Description = "An input as key=value (repeatable); overrides the workflow's default", AllowMultipleArgumentsPerToken = false };
        var files = new Option<string?>("--files") { Description = "Sets the input files (a glob such as \"**/*.py\", relative to the workflow's directory)" };
        var detach = Detach();
        var foreground = Foreground();
        var command = new Command("run", "Run a workflow: in the stack's daemon when one is up (it outlives the terminal), else in the foreground") { target, dryRun, inputs, files, detach, foreground };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(target)!, parse.GetValue(dryRun), parse.GetValue(inputs) ?? [], parse.GetValue(files), new Placement(parse.GetValue(detach), parse.GetValue(foreground)), token));
        return command;
    }

    public static Command CreateResume(GlobalOptions options)
    {
        var run = new Argument<string>("run") { Description = "The run's id, or a unique prefix of it" };
        var detach = Detach();
        var foreground = Foreground();
        var command = new Command("resume", "Run again the steps of a run that did not succeed (succeeded and skipped steps are kept); in the daemon when one is up") { run, detach, foreground };
        command.SetAction((parse, token) => ResumeAsync(new CliContext(parse, options), parse.GetValue(run)!, new Placement(parse.GetValue(detach), parse.GetValue(foreground)), token));
        return command;
    }

    private static Option<bool> Detach() => new("--detach", "-d") { Description = "Start the run in the daemon and return: print its id and how to follow it (needs a daemon: tend up)" };

    private static Option<bool> Foreground() => new("--foreground") { Description = "Run in this process even when a daemon is up (the run ends with this terminal)" };

    /// <summary>Where the user asked the run to go: <c>--detach</c>, <c>--foreground</c>, or (neither) the daemon when one is up.</summary>
    private readonly record struct Placement(bool Detach, bool Foreground);

    /// <summary>
    /// The daemon's connection when the run goes through it; null for the foreground; an exit code
    /// when the user's placement cannot be had (--detach and --foreground, or --detach without a daemon).
    /// </summary>
    private static async Task<(DaemonConnection? Connection, int? Exit)> ChooseAsync(CliContext cli, StackFile? stack, Placement placement, CancellationToken cancellationToken)
    {
        if (placement is { Detach: true, Foreground: true })
        {
            return (null, cli.UsageError("--detach runs the workflow in the daemon, --foreground in this process: give one of them"));
        }

        if (placement.Foreground)
        {
            return (null, null);
        }

        if (stack is not null)
        {
            var connection = new DaemonConnection(stack);
            if (await connection.ClientAsync(cancellationToken) is not null)
            {
                return (connection, null);
            }

            await connection.DisposeAsync();
        }

        if (placement.Detach)
        {
            return (null, stack is null
                ? cli.UsageError("--detach runs the workflow in the stack's daemon, and there is no stack file here", "drop --detach to run it in the foreground")
                : cli.UsageError($"--detach runs the workflow in the daemon, and no daemon runs for {stack.Name}", "start it with `tend up`, or drop --detach to run in the foreground"));
        }

        return (null, null);
    }

    private static async Task<int> RunAsync(CliContext cli, string target, bool dryRun, string[] inputs, string? files, Placement placement, CancellationToken cancellationToken)
    {
        var stack = WorkflowPlaces.QuietStack(cli);
        var load = WorkflowLoader.Load(target, stack);
        if (!load.Succeeded)
        {
            return cli.Fail("config", $"workflow {target} cannot be run", load.Problems, "tend workflow verify " + target + " lists every problem");
        }

        var workflow = load.Workflow!;
        var given = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var input in inputs)
        {
            var equals = input.IndexOf('=', StringComparison.Ordinal);
            if (equals <= 0)
            {
                return cli.UsageError($"--input {input}: expected key=value", "e.g. --input level=strict");
            }

            given[input[..equals]] = input[(equals + 1)..];
        }

        var values = new Dictionary<string, string>(workflow.Inputs, StringComparer.Ordinal);
        foreach (var (key, value) in given)
        {
            values[key] = value;
        }

        if (files is not null)
        {
            values["files"] = files;
        }

        if (dryRun)
        {
            if (cli.Json)
            {
                CliContext.WriteJson(WorkflowPlanView.Json(workflow, values), WorkflowJson.Default.WorkflowPlanJson);
            }
            else
            {
                WorkflowPlanView.Render(cli.Terminal.Out, workflow, values);
            }

            return ExitCodes.Ok;
        }

        var (daemon, refused) = await ChooseAsync(cli, load.Stack, placement, cancellationToken);
        if (refused is { } exit)
        {
            return exit;
        }

        if (daemon is not null)
        {
            await using (daemon)
            {
                // A file by its absolute path: the daemon does not stand where the user does.
                var name = WorkflowLoader.IsFile(target) ? Path.GetFullPath(target) : target;
                return await WorkflowDaemonRun.RunAsync(cli, daemon, new RunWorkflowRequest(name, given, files, null, load.Stack!.Path), placement.Detach, cancellationToken);
            }
        }

        var store = new RunStore(WorkflowPlaces.StateDirectory(workflow, load.Stack));
        var directory = store.Create(workflow.Name, cli.Time.GetUtcNow());
        return await ExecuteAsync(cli, workflow, load.Stack, values, directory, null, cancellationToken);
    }

    private static async Task<int> ResumeAsync(CliContext cli, string runId, Placement placement, CancellationToken cancellationToken)
    {
        var lookup = WorkflowPlaces.Store(cli).Find(runId);
        if (lookup.Found is not { } directory || RunStore.Read(directory) is not { } record)
        {
            return cli.UsageError(lookup.Problem ?? $"{runId}: run.json cannot be read", lookup.Candidates.Count > 0 ? $"runs: {string.Join(", ", lookup.Candidates)}" : "tend workflow ls lists the runs");
        }


        if (record.Outcome == RunOutcome.Succeeded)
        {
            if (cli.Json)
            {
                CliContext.WriteJson(record, RunRecordJson.Default.RunRecord);
            }
            else
            {
                cli.Terminal.Out.MarkupLine($"Run {Markup.Escape(record.Run)} succeeded already: nothing to resume.");
            }

            return ExitCodes.Ok;
        }

        var stack = WorkflowPlaces.QuietStack(cli);
        if (record.Outcome == RunOutcome.Running)
        {
            // A stack file that does not parse must not hide the daemon's pid file: its run would
            // read as a foreground one, and the daemon's pid be offered to kill.
            var control = stack ?? cli.LoadStackForControl();
            await using var connection = control is null ? null : new DaemonConnection(control);
            var (problem, hint) = RunOwner.Of(record, connection?.DaemonPid()).StillRunning();
            return cli.UsageError(problem, hint);
        }

        var (daemon, refused) = await ChooseAsync(cli, stack, placement, cancellationToken);
        if (refused is { } exit)
        {
            return exit;
        }

        if (daemon is not null)
        {
            await using (daemon)
            {
                return await WorkflowDaemonRun.RunAsync(cli, daemon, new RunWorkflowRequest(null, new Dictionary<string, string>(), null, record.Run, stack!.Path), placement.Detach, cancellationToken);
            }
        }

        var yaml = record.Source.EndsWith(".yaml", StringComparison.OrdinalIgnoreCase) || record.Source.EndsWith(".yml", StringComparison.OrdinalIgnoreCase);
        var load = WorkflowLoader.Load(yaml ? record.Source : record.Workflow, stack);
        if (!load.Succeeded)
        {
            return cli.Fail("config", $"workflow {record.Workflow} cannot be read again to resume run {record.Run}", load.Problems, $"tend workflow verify {(yaml ? record.Source : record.Workflow)}");
        }

        return await ExecuteAsync(cli, load.Workflow!, load.Stack, record.Inputs, directory, record, cancellationToken);
    }

    private static async Task<int> ExecuteAsync(CliContext cli, Workflow workflow, StackFile? stack, IReadOnlyDictionary<string, string> inputs, RunDirectory directory, RunRecord? resume, CancellationToken cancellationToken)
    {
        var console = cli.Terminal.Out;
        if (!cli.Json)
        {
            console.MarkupLine($"[bold]{(resume is null ? "Running" : "Resuming")} workflow {Markup.Escape(workflow.Name)}[/] [grey](run {Markup.Escape(directory.Id)}, {workflow.Steps.Count} steps)[/]");
        }

        using var events = WorkflowPlaces.Events(WorkflowPlaces.StateDirectory(workflow, stack), cli.Time);
        var gate = new Lock();

        // The run is tend's to stop: a signal ends it as a stop with its name (its steps' groups
        // get their SIGTERM from the runner), not tend's death with the run left `interrupted`.
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string? signal = null;
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            signal ??= context.Signal.ToString();
            stop.Cancel();
        }

        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, OnSignal);
        var request = new WorkflowRunRequest(workflow, stack, inputs, directory)
        {
            Resume = resume,
            Events = events,
            StopReason = () => signal is null ? "stopped: interrupted" : $"stopped: {signal}",
            Progress = cli.Json ? null : t =>
            {
                lock (gate)
                {
                    console.MarkupLine(WorkflowRunView.Transition(t));
                }
            },
        };
        var record = await new WorkflowRunner(new ProcessStepLauncher(cli.Time), cli.Time).RunAsync(request, stop.Token);
        WorkflowRunView.RenderEnd(cli, record);
        return record.Outcome == RunOutcome.Succeeded ? ExitCodes.Ok : ExitCodes.Failed;
    }
}
