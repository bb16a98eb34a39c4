using Tend.Core.Model;

namespace Tend.Core.Model;

/// <summary>A loaded, validated stack file: immutable, with defaults filled in.</summary>
public sealed record StackFile(
    string Path,
    string Name,
    ValueList<Component> Components,
    ValueList<DiagnoseRule> DiagnoseRules)
{
    /// <summary>Where the daemon keeps its socket, state, logs and events: <c>.tend/</c> beside the stack file unless set.</summary>
    public string StateDirectory { get; init; } = System.IO.Path.Combine(System.IO.Path.GetDirectoryName(Path) ?? ".", ".tend");

    /// <summary>Where <c>tend backup</c> writes (<c>[stack] backups</c>): <c>backups/</c> in the state directory unless set.</summary>
    public string? BackupsSetting { get; init; }

    public string BackupDirectory => BackupsSetting ?? System.IO.Path.Combine(StateDirectory, "backups");

    /// <summary>How much of the events the daemon keeps (<c>[stack] events</c>).</summary>
    public EventsPolicy Events { get; init; } = EventsPolicy.Default;

    /// <summary>
    /// Whether the daemon may put each run in a cgroup of its own where the machine allows it
    /// (<c>[stack] cgroups</c>, read when the daemon starts); false keeps to process groups.
    /// </summary>
    public bool Cgroups { get; init; } = true;

    /// <summary>The directory of the stack file; relative paths in it resolve against this.</summary>
    public string Directory => System.IO.Path.GetDirectoryName(Path) ?? ".";

    /// <summary>The variables <c>${VAR}</c> took values from, with those values: some are secrets to mask.</summary>
    public ValueDictionary Interpolated { get; init; } = ValueDictionary.Empty;

    /// <summary>Where the stack must stand (<c>[stack] expects</c>): checked before anything else, so that a stack run outside its project says that once.</summary>
    public StackExpectation? Expects { get; init; }

    /// <summary>What the daemon watches and whom it tells (<c>[monitor]</c>, <c>[[notify]]</c>).</summary>
    /// <summary><c>[http]</c>: the daemon's HTTP face; null when the stack file does not ask for one.</summary>
    public HttpSettings? Http { get; init; }

    public MonitorPolicy Monitor { get; init; } = new(MonitorPolicy.DefaultInterval, [], []);

    /// <summary>Whether <c>tend update</c> may change versions (<c>[stack] updates</c>).</summary>
    public UpdatesPolicy Updates { get; init; } = UpdatesPolicy.Allowed;

    /// <summary>tend.lock beside the stack file: the versions in use, committed like any lock file.</summary>
    public string LockPath => System.IO.Path.Combine(Directory, "tend.lock");

    /// <summary>The stack's own redaction patterns (<c>[stack] redact</c>), applied by `tend diag` to every file of a bundle.</summary>
    public ValueList<RedactPattern> Redact { get; init; } = [];

    /// <summary>The stack's workflows (<c>[workflows.NAME]</c>, docs/workflows.md); changing one restarts nothing.</summary>
    public ValueList<Workflow> Workflows { get; init; } = [];

    /// <summary>What the actors of YAML workflows run (<c>[actors]</c>); changing one restarts nothing.</summary>
    public ValueList<WorkflowActor> Actors { get; init; } = [];

    public Component? Find(string name) => Components.FirstOrDefault(c => c.Name == name);

    public Workflow? FindWorkflow(string name) => this.Workflows.FirstOrDefault(w => w.Name == name);

    public WorkflowActor? FindActor(string name) => Actors.FirstOrDefault(a => a.Name == name);
}

/// <param name="File">A file (or directory) that marks the place, relative to the stack file's directory.</param>
/// <param name="What">The place in words: "the root of a Backend.AI checkout".</param>
/// <param name="Hint">How to get there, printed as the last action: a clone command, a path.</param>
public sealed record StackExpectation(string File, string What, string? Hint);
