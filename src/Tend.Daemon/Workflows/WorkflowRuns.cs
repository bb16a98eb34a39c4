using System.Collections.Concurrent;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Workflows;

/// <summary>
/// The workflow runs a daemon hosts: each runs in the daemon, its steps children of the daemon in
/// their own process groups, its events in the daemon's hub (so <c>tend events -f</c> and the SSE
/// stream see them), its run.json naming the daemon as its runner. A run outlives the client that
/// asked for it; <see cref="StopAsync"/> and <see cref="StopAllAsync"/> end one with the reason
/// recorded. A daemon that dies (SIGKILL) takes its steps with it (they die with their parent), and
/// its runs read as interrupted until <c>tend workflow resume</c> goes on with them.
/// </summary>
public sealed class WorkflowRuns(IEventSink events, TimeProvider time)
{
    private readonly ConcurrentDictionary<string, HostedRun> _runs = new(StringComparer.Ordinal);
    private volatile string? _closedBecause;

    /// <summary>The ids of the runs going on now.</summary>
    public IReadOnlyCollection<string> Running => [.. _runs.Keys];

    /// <summary>The end of a run going on now (its record as it ended); null when the daemon hosts no such run.</summary>
    public Task<RunRecord?>? Completion(string runId) => _runs.TryGetValue(runId, out var run) ? run.Ended : null;

    /// <summary>Starts a run of <paramref name="nameOrPath"/> (a workflow of <paramref name="stack"/>, or a YAML file's absolute path).</summary>
    /// <param name="inputs">The user's values, over the workflow's defaults.</param>
    public ControlOutcome<WorkflowRunResult> Start(string nameOrPath, IReadOnlyDictionary<string, string> inputs, string? files, StackFile stack)
    {
        ArgumentNullException.ThrowIfNull(inputs);
        ArgumentNullException.ThrowIfNull(stack);
        if (Closed() is { } closed)
        {
            return closed;
        }

        var load = WorkflowLoader.Load(nameOrPath, stack);
        if (!load.Succeeded)
        {
            return Invalid(nameOrPath, load);
        }

        var workflow = load.Workflow!;
        var values = new Dictionary<string, string>(workflow.Inputs, StringComparer.Ordinal);
        foreach (var (key, value) in inputs)
        {
            values[key] = value;
        }

        if (files is not null)
        {
            values["files"] = files;
        }

        var directory = new RunStore(stack.StateDirectory).Create(workflow.Name, time.GetUtcNow());
        return Host(new WorkflowRunRequest(workflow, stack, values, directory), null);
    }

    /// <summary>Goes on with a run that did not succeed: its succeeded and skipped steps are kept, the rest run again.</summary>
    public ControlOutcome<WorkflowRunResult> Resume(string runId, StackFile stack)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (Closed() is { } closed)
        {
            return closed;
        }

        if (Find(runId, stack) is not { } found)
        {
            return NotFound(runId, stack);
        }

        var (directory, record) = found;
        if (record is null)
        {
            return new ControlError("refused", $"{directory.RunFile} cannot be read", "it may be being written; try again");
        }

        if (_runs.ContainsKey(record.Run) || record.Outcome == RunOutcome.Running)
        {
            // A run this daemon hosts is its own, whatever runner a record read a moment ago names.
            var owner = _runs.ContainsKey(record.Run) ? new RunOwner(record.Run, RunOwnerKind.Daemon, Environment.ProcessId) : RunOwner.Of(record, Environment.ProcessId);
            var (problem, hint) = owner.StillRunning();
            return new ControlError("refused", problem, hint);
        }

        if (record.Outcome == RunOutcome.Succeeded)
        {
            return new ControlError("refused", $"run {record.Run} succeeded already: nothing to resume", $"tend workflow show {record.Run}");
        }

        var source = WorkflowLoader.IsFile(record.Source) ? record.Source : record.Workflow;
        var load = WorkflowLoader.Load(source, stack);
        if (!load.Succeeded)
        {
            return Invalid(source, load);
        }

        return Host(new WorkflowRunRequest(load.Workflow!, stack, record.Inputs, directory) { Resume = record }, record.Run);
    }

    /// <summary>Stops a run the daemon hosts and answers once it has ended; a run it does not host is told as whose it is.</summary>
    /// <param name="reason">Recorded as the run's reason (<c>stopped: ...</c>).</param>
    public async Task<ControlOutcome<WorkflowRunResult>> StopAsync(string runId, string reason, StackFile stack, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(stack);
        if (Find(runId, stack) is not { } found)
        {
            return NotFound(runId, stack);
        }

        var id = found.Directory.Id;
        if (_runs.TryGetValue(id, out var hosted))
        {
            var ended = await hosted.StopAsync(reason).WaitAsync(cancellationToken);
            return Result(ended ?? RunStore.Read(found.Directory), found.Directory);
        }

        if (found.Record is { } record && RunOwner.Of(record, Environment.ProcessId) is { Kind: RunOwnerKind.Foreground } foreground)
        {
            var (problem, hint) = foreground.NotTheDaemons();
            return new ControlError("refused", problem, hint);
        }

        // Ended already: said as it ended, not as an error, so a stop is safe to repeat.
        return Result(found.Record, found.Directory);
    }

    /// <summary>Stops every run (the daemon is going down) and refuses new ones; returns when all have ended and saved their records.</summary>
    /// <remarks>
    /// Bounded by <see cref="StopLimit"/>: a run that does not end by then (a bug) must not keep the
    /// daemon, and the stack it supervises, from going down; it is said in daemon.log and its
    /// record reads as interrupted once the daemon has gone.
    /// </remarks>
    public async Task StopAllAsync(string reason)
    {
        _closedBecause = reason;
        var stopping = _runs.ToArray();
        try
        {
            await Task.WhenAll(stopping.Select(r => r.Value.StopAsync(reason))).WaitAsync(StopLimit, time);
        }
        catch (TimeoutException)
        {
            var left = string.Join(", ", stopping.Where(r => !r.Value.Ended.IsCompleted).Select(r => r.Key));
            await Console.Error.WriteLineAsync($"tend daemon: workflow runs {left} did not end within {Core.Text.Quantities.FormatDuration(StopLimit)} of the stop; the daemon goes down without them");
        }
    }

    /// <summary>How long the daemon's stop waits for its runs: a step's group gets ProcessStepLauncher.StopGrace (3s) to end, and more.</summary>
    public static TimeSpan StopLimit { get; } = TimeSpan.FromSeconds(10);

    private ControlOutcome<WorkflowRunResult> Host(WorkflowRunRequest request, string? resumedFrom)
    {
        var hosted = new HostedRun();
        var id = request.Directory.Id;
        if (!_runs.TryAdd(id, hosted))
        {
            hosted.Dispose();
            return new ControlError("refused", $"run {id} is still running in the daemon", $"tend workflow show {id}");
        }

        // Before its first await the runner has written run.json and emitted workflow_started: the
        // answer never names a run that `tend workflow show` cannot find yet.
        var running = new WorkflowRunner(new ProcessStepLauncher(time), time).RunAsync(request with { Events = events, StopReason = hosted.StopReason }, hosted.Token);
        hosted.Ended = WatchAsync(request.Directory, hosted, running);
        return new WorkflowRunResult(id, request.Workflow.Name, request.Directory.Path, RunOutcome.Running.Name(), null, Environment.ProcessId) { ResumedFrom = resumedFrom };
    }

    private async Task<RunRecord?> WatchAsync(RunDirectory directory, HostedRun hosted, Task<RunRecord> running)
    {
        var id = directory.Id;
        try
        {
            return await running;
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // A bug of the runner: it must not take the daemon and its stack down with it. Its
            // record must not read `running` under a live daemon (a `tend workflow run` would
            // follow it for ever): it ends failed, with workflow_finished, and the trace goes to daemon.log.
            await Console.Error.WriteLineAsync($"tend daemon: workflow run {id} failed: {e}");
            return EndFaulted(directory, $"tend failed while running it: {e.GetType().Name}: {e.Message}");
        }
        finally
        {
            _runs.TryRemove(id, out _);
            hosted.Dispose();
        }
    }

    /// <summary>Writes a run whose runner threw as failed with <paramref name="reason"/> (what was running failed, what waited omitted) and announces its end.</summary>
    private RunRecord? EndFaulted(RunDirectory directory, string reason)
    {
        if (RunStore.Read(directory) is not { } record)
        {
            return null;
        }

        if (record.Outcome == RunOutcome.Running)
        {
            record = (record with
            {
                Steps = [.. record.Steps.Select(s => s.State == StepState.Running ? s with { State = StepState.Failed, Reason = reason } : s.State == StepState.Pending ? s with { State = StepState.Omitted, Reason = $"the run stopped before it ({reason})" } : s)],
            }).EndedAs(RunOutcome.Failed, reason, time.GetUtcNow());
            RunStore.Write(directory, record);
        }

        try
        {
            events.Emit(EventKinds.Workflows.WorkflowFinished, null, new EventField("workflow", record.Workflow), new("run", record.Run), new("outcome", record.Outcome.Name()), new("reason", record.Reason ?? reason));
        }
        catch (Exception e) when (e is IOException or InvalidOperationException)
        {
            // The record says it; the event log is what failed.
        }

        return record;
    }

    private ControlError? Closed() =>
        _closedBecause is { } why ? new ControlError("not_running", $"the daemon is stopping ({why}): it starts no workflow run", "tend up starts it again") : null;

    private static (RunDirectory Directory, RunRecord? Record)? Find(string runId, StackFile stack) =>
        new RunStore(stack.StateDirectory).Find(runId).Found is { } directory ? (directory, RunStore.Read(directory)) : null;

    private static ControlError NotFound(string runId, StackFile stack)
    {
        var lookup = new RunStore(stack.StateDirectory).Find(runId);
        return new ControlError("not_found", lookup.Problem ?? $"no workflow run '{runId}'", lookup.Candidates.Count > 0 ? $"runs: {string.Join(", ", lookup.Candidates)}" : "tend workflow ls lists the runs");
    }

    private static ControlError Invalid(string nameOrPath, WorkflowLoad load) =>
        new("workflow_invalid", $"workflow {nameOrPath} cannot be run: {string.Join("; ", load.Problems.Where(p => p.IsError))}", $"tend workflow verify {nameOrPath} lists every problem");

    private static ControlOutcome<WorkflowRunResult> Result(RunRecord? record, RunDirectory directory) =>
        record is null
            ? new ControlError("refused", $"{directory.RunFile} cannot be read", "it may be being written; try again")
            : new WorkflowRunResult(record.Run, record.Workflow, directory.Path, record.Outcome.Name(), record.Reason, record.RunnerPid) { ResumedFrom = record.ResumedFrom };

    /// <summary>One run going on: how to stop it, why it was, and its end.</summary>
    private sealed class HostedRun : IDisposable
    {
        private readonly CancellationTokenSource _stop = new();
        private volatile string? _reason;

        public CancellationToken Token => _stop.Token;

        public Task<RunRecord?> Ended { get; set; } = Task.FromResult<RunRecord?>(null);

        /// <summary>Asked by the runner when the token fires: who stopped it.</summary>
        public string StopReason() => _reason ?? "stopped";

        public Task<RunRecord?> StopAsync(string reason)
        {
            _reason ??= reason;
            try
            {
                _stop.Cancel();
            }
            catch (ObjectDisposedException)
            {
                // It ended meanwhile.
            }

            return Ended;
        }

        public void Dispose() => _stop.Dispose();
    }
}
