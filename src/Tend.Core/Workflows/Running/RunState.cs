using Tend.Core.Model;
using Tend.Core.Events;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// The run as it stands: every step's progress and the totals, behind one lock, written to
/// run.json at every change so that another process (<c>tend workflow show</c>) and a
/// resumption after a crash see it.
/// </summary>
/// <param name="passStarted">When this pass began: the run's start, or a resumption's.</param>
internal sealed class RunState(WorkflowRunRequest request, DateTimeOffset started, DateTimeOffset passStarted)
{
    private readonly Lock _gate = new();

    // Writes are one at a time and each takes its snapshot inside this lock, so the last write is always of the latest state.
    private readonly Lock _saveGate = new();
    private bool _dirty;
    private Task _pendingWrite = Task.CompletedTask;

    public Lock Gate => _gate;

    public WorkflowRunRequest Request { get; } = request;

    public Workflow Workflow => Request.Workflow;

    public RunDirectory Directory => Request.Directory;

    public string RunId => Request.Directory.Id;

    public DateTimeOffset Started { get; } = started;

    public Dictionary<string, StepProgress> Steps { get; } = request.Workflow.Steps.ToDictionary(s => s.Id, s => new StepProgress(s), StringComparer.Ordinal);

    public StepUsage Usage { get; set; }

    /// <summary>The passes before this one (a resumption's), oldest first.</summary>
    public IReadOnlyList<RunPass> EarlierPasses { get; set; } = [];

    /// <summary>What the earlier passes used: this pass's own usage is the run's less this.</summary>
    public StepUsage UsageBefore { get; set; }

    public RunOutcome Outcome { get; set; } = RunOutcome.Running;

    public string? Reason { get; set; }

    public DateTimeOffset? Ended { get; set; }

    public StepProgress this[string id] => Steps[id];

    public StepState StateOf(string id) => Steps.TryGetValue(id, out var step) ? step.State : StepState.Omitted;

    public RunRecord ToRecord()
    {
        lock (_gate)
        {
            return new RunRecord(
                Workflow.Name,
                Workflow.Source,
                Workflow.Directory,
                RunId,
                new Dictionary<string, string>(Request.Inputs, StringComparer.Ordinal),
                Outcome,
                Reason,
                Started,
                Ended,
                Environment.ProcessId,
                Usage.Tokens,
                Usage.Cost,
                [.. Workflow.Steps.Select(s => Steps[s.Id].ToRecord())])
            {
                Passes = [.. EarlierPasses, new RunPass(passStarted, Ended, Outcome, Reason, Environment.ProcessId, Usage.Tokens - UsageBefore.Tokens, Usage.Cost - UsageBefore.Cost)
                {
                    FailedSteps = [.. Workflow.Steps.Where(s => Steps[s.Id].State == StepState.Failed).Select(s => s.Id)],
                }],
            };
        }
    }

    /// <summary>
    /// Writes run.json now: for what a resumption must never miss (a step's end, the run's start
    /// and end). A failed write is not the run's failure (the disk may be full), so it is only
    /// reported back.
    /// </summary>
    public string? Save()
    {
        lock (_saveGate)
        {
            _dirty = false;
            return Write();
        }
    }

    /// <summary>
    /// Writes run.json soon, once for any number of changes: for what only a reader in another
    /// process wants live (a step queued or started, its pid, tokens so far). Twenty steps
    /// starting at once were a hundred serial writes between one step's end and the next
    /// steps' start; now they are one or two.
    /// </summary>
    public void SaveSoon()
    {
        lock (_saveGate)
        {
            if (_dirty)
            {
                return;
            }

            _dirty = true;
            _pendingWrite = Task.Run(() =>
            {
                lock (_saveGate)
                {
                    if (_dirty)
                    {
                        _dirty = false;
                        Write();
                    }
                }
            });
        }
    }

    /// <summary>Waits for a write <see cref="SaveSoon"/> scheduled, so nothing writes run.json after the run returns.</summary>
    public Task SettledAsync()
    {
        lock (_saveGate)
        {
            return _pendingWrite;
        }
    }

    /// <summary>Under <see cref="_saveGate"/>: the snapshot is taken under the run's lock, the file written outside it, so steps are not held up by the disk.</summary>
    private string? Write()
    {
        var record = ToRecord();
        try
        {
            RunStore.Write(Directory, record);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return e.Message;
        }
    }

    public void Emit(EventKind kind, params EventField[] fields) =>
        Request.Events?.Emit(kind, null, [new("workflow", Workflow.Name), new("run", RunId), .. fields]);
}
