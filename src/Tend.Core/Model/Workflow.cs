
namespace Tend.Core.Model;

/// <summary>Where a workflow was written: a <c>[workflows.NAME]</c> table of the stack file, or a file of the orchestrator's YAML format.</summary>
public enum WorkflowFormat
{
    Toml,
    Yaml,
}

/// <summary>
/// A DAG of steps (docs/workflows.md): each step is a command run as <c>tend run</c> runs one,
/// once what it depends on has ended as it asks, when its condition holds, with retries, a
/// timeout and checked artifacts, under the workflow's budgets. Both formats read into this.
/// </summary>
/// <param name="Name">The table's name, or the YAML's <c>name</c> (the file's name without extension when it has none).</param>
/// <param name="Source">The stack file or YAML file it was read from.</param>
/// <param name="Directory">Where its steps run and its paths (artifacts, schemas, <c>when</c>'s files) resolve: the stack file's directory.</param>
public sealed record Workflow(
    string Name,
    WorkflowFormat Format,
    string Source,
    string Directory,
    ValueList<WorkflowStep> Steps,
    WorkflowPolicy Policy) : Located
{
    public string? Description { get; init; }

    /// <summary>Inputs the workflow declares with their defaults (<c>inputs = { files = "**/*.py" }</c>); <c>--input k=v</c> overrides them.</summary>
    public ValueDictionary Inputs { get; init; } = ValueDictionary.Empty;

    public WorkflowStep? Find(string id) => Steps.FirstOrDefault(s => s.Id == id);
}

/// <param name="Id">Unique in its workflow; the YAML format wants the orchestrator's <c>X.YYY</c> form ("1.001").</param>
/// <param name="Run">What it runs.</param>
/// <param name="With">Its inputs: each is in its environment as <c>INPUT_KEY</c> (upper case, as GitHub Actions passes them) and fills <c>{key}</c> in its argv.</param>
/// <param name="When">Its condition as written (docs/workflows.md, "Conditions"); null runs it always.</param>
public sealed record WorkflowStep(
    string Id,
    string? Name,
    StepRun Run,
    ValueDictionary With,
    ValueList<StepDependency> DependsOn,
    string? When,
    RetryPolicy Retry,
    TimeSpan? Timeout,
    OnFail OnFail,
    ValueList<ArtifactSpec> Emits) : Located
{
    /// <summary>Where <see cref="When"/> begins in its file, so that a parse error points into the expression.</summary>
    public SourceLocation WhenLocation { get; init; } = SourceLocation.None;

    /// <summary>With the workflow's <c>policy.cache</c> on, whether a succeeded earlier run of it may stand for this one (<c>cache = false</c>: a step with side effects always runs).</summary>
    public bool Cache { get; init; } = true;

    public string Title => Name is { Length: > 0 } name ? $"{Id} {name}" : Id;
}

/// <summary>What a step runs.</summary>
public abstract record StepRun : Located
{
    private StepRun()
    {
    }

    /// <summary>A command line of its own, run in the workflow's directory.</summary>
    public sealed record Command(ValueList<string> Argv) : StepRun;

    /// <summary>A component's named command (<c>run = "lint check"</c>), run as <c>tend run lint check</c> runs it: its environment, its working directory, its requirements checked first.</summary>
    public sealed record ComponentCommand(string Component, string CommandName) : StepRun;

    /// <summary>An actor of the YAML format (<c>actor: ruff_checker</c>), resolved through the stack file's <c>[actors]</c> table into one of the two others.</summary>
    public sealed record Actor(string Name, StepRun? Resolved) : StepRun;
}

public enum DependencyCondition
{
    /// <summary>Runs only when that step succeeded (the default).</summary>
    Succeeded,

    /// <summary>Runs once that step ended whatever its outcome (<c>depends_on = { x = "any" }</c>).</summary>
    Any,
}

public sealed record StepDependency(string StepId, DependencyCondition Condition) : Located;

public enum Backoff
{
    Linear,
    Exponential,
}

/// <summary>
/// <c>retry = { max, backoff, delay, on }</c>: a failed attempt is tried again up to
/// <see cref="Max"/> more times when it failed the way <see cref="OnExitCodes"/> or
/// <see cref="OnClasses"/> say (both empty: any failure), after <see cref="Delay"/> × attempt
/// (linear) or × 2^(attempt-1) (exponential).
/// </summary>
/// <param name="OnClasses">Buckets of the rounds classifier (docs/rounds.md): "transient", "rate_limit"... read from the step's output.</param>
public sealed record RetryPolicy(int Max, Backoff Backoff, TimeSpan Delay, ValueList<int> OnExitCodes, ValueList<string> OnClasses)
{
    public static readonly RetryPolicy None = new(0, Backoff.Exponential, TimeSpan.FromSeconds(1), [], []);
}

public enum OnFail
{
    /// <summary>The run stops: nothing new starts, running steps are let finish, the rest is omitted.</summary>
    Stop,

    /// <summary>The run goes on: only the steps that depend on it are omitted.</summary>
    Continue,

    /// <summary>The step waits as <c>paused</c> until <c>tend workflow approve RUN STEP</c> (counts as succeeded) or <c>reject</c> (failed).</summary>
    PauseForReview,
}

/// <summary>A file the step must leave behind: present, not empty and, with a schema, valid JSON under it.</summary>
/// <param name="Path">Relative to the workflow's directory.</param>
/// <param name="Schema">A JSON Schema file, relative to the workflow's directory.</param>
public sealed record ArtifactSpec(string Path, string? Schema) : Located;

/// <summary>The workflow's <c>policy</c>: budgets and how it runs.</summary>
/// <param name="MaxTokens">Stops the run once the steps together report more tokens.</param>
/// <param name="MaxCost">Stops the run once the steps together report more cost (in whatever unit they report).</param>
/// <param name="Timeout">The whole run's limit.</param>
/// <param name="Parallel">How many steps run at once.</param>
/// <param name="Cache">Whether a step whose command, inputs and input files are unchanged since it last succeeded is taken as succeeded without running.</param>
public sealed record WorkflowPolicy(long? MaxTokens, decimal? MaxCost, TimeSpan? Timeout, int Parallel, bool Cache)
{
    public static readonly int DefaultParallel = Math.Max(2, Environment.ProcessorCount);

    public static readonly WorkflowPolicy Default = new(null, null, null, DefaultParallel, false);
}
