using System.Text.Json.Serialization;
using Tend.Core.Text;

namespace Tend.Core.Model;

[JsonConverter(typeof(ComponentKindJson))]
public enum ComponentKind
{
    /// <summary>A long-running process Tend starts and keeps alive.</summary>
    Service,

    /// <summary>A process that runs to completion (a migration, a seed).</summary>
    Job,

    /// <summary>Something Tend checks but never starts (a database run elsewhere).</summary>
    External,

    /// <summary>A command run again and again in numbered rounds (an agent CLI, a batch), until a stop trigger.</summary>
    Rounds,
}

public static class ComponentKinds
{
    /// <summary>The kinds as the stack file and every report spell them, in the order of their values.</summary>
    public static readonly IReadOnlyList<string> Names = ["service", "job", "external", "rounds"];

    /// <summary>The conditions of `requires` as the stack file spells them, in the order of their values.</summary>
    public static readonly IReadOnlyList<string> ConditionNames = ["started", "healthy", "completed"];

    public static string Name(this ComponentKind kind) => Names[(int)kind];

    public static string Name(this RequirementCondition condition) => ConditionNames[(int)condition];
}

public sealed class ComponentKindJson() : NamedEnumJsonConverter<ComponentKind>(ComponentKinds.Names);

public sealed class RequirementConditionJson() : NamedEnumJsonConverter<RequirementCondition>(ComponentKinds.ConditionNames);

public sealed record Component(
    string Name,
    ComponentKind Kind,
    string? Description,
    ValueList<string>? Command,
    string WorkingDirectory,
    ValueDictionary Environment,
    ValueList<string> EnvFiles,
    ValueList<Requirement> Requires,
    ConfigFileSpec? Config,
    ValueList<CheckSpec> Preflight,
    HealthProbe? Health,
    ValueList<ComponentCommand> Commands) : Located
{
    public RestartPolicy Restart { get; init; } = RestartPolicy.DefaultFor(Kind);

    public StopPolicy Stop { get; init; } = StopPolicy.Default;

    public LogPolicy Logs { get; init; } = LogPolicy.Default;

    /// <summary>How the rounds run; set exactly for <see cref="ComponentKind.Rounds"/>.</summary>
    public RoundsPolicy? Rounds { get; init; }

    /// <summary>supervisord's <c>startsecs</c>, pm2's <c>min_uptime</c>: a service is up once it has stayed running this long.</summary>
    public static readonly TimeSpan DefaultMinUptime = TimeSpan.FromSeconds(1);

    /// <summary>How long a service without a health check must stay running to count as up.</summary>
    public TimeSpan MinUptime { get; init; } = DefaultMinUptime;

    /// <summary>A job that ran to completion stays completed across `tend up`s, until its definition changes.</summary>
    public bool Once { get; init; }

    /// <summary>How much of tend's own environment its processes start from (<c>env_inherit</c>).</summary>
    public EnvInherit EnvInherit { get; init; } = EnvInherit.Everything;
    /// <summary>Names of its environment variables whose values are secrets whatever they look like (docs/secrets.md).</summary>
    public ValueList<string> Secrets { get; init; } = [];

    /// <summary>Restarted when its run's processes together use more resident memory than this (<c>max_memory</c>); null for no limit.</summary>
    public long? MaxMemory { get; init; }

    /// <summary>How its version is changed by <c>tend update</c>; null when it has no <c>update</c>.</summary>
    public UpdateSpec? Update { get; init; }

    /// <summary>What <c>tend backup</c> saves of it (<c>backup = [...]</c>); empty when nothing.</summary>
    public BackupPlan Backup { get; init; } = BackupPlan.None;

    /// <summary>The container image it runs in when exported to Kubernetes (<c>image</c>); null when the stack file names none.</summary>
    public string? Image { get; init; }

    public string KindName => Kind.Name();

    /// <summary>The named command whose words match the start of <paramref name="words"/>, longest first.</summary>
    public (ComponentCommand Command, int WordsUsed)? MatchCommand(IReadOnlyList<string> words)
    {
        foreach (var command in Commands.OrderByDescending(c => c.Words.Count))
        {
            if (command.Words.Count <= words.Count && command.Words.SequenceEqual(words.Take(command.Words.Count)))
            {
                return (command, command.Words.Count);
            }
        }

        return null;
    }
}

[JsonConverter(typeof(RequirementConditionJson))]
public enum RequirementCondition
{
    Started,
    Healthy,
    Completed,
}

public sealed record Requirement(string Component, RequirementCondition Condition) : Located
{
    public string ConditionName => Condition.Name();
}

/// <summary>
/// Which of tend's own environment a component's processes start from, before its env files and
/// <c>env</c> table: all of it (the default), none (<c>env_inherit = false</c>), or the names of
/// an allow-list (<c>env_inherit = ["PATH", "HOME"]</c>), as systemd passes only what it is told.
/// The daemon's environment is that of whoever first ran <c>tend up</c>.
/// </summary>
public sealed record EnvInherit(bool All, ValueList<string> Names)
{
    public static readonly EnvInherit Everything = new(true, []);

    public bool Passes(string name) => All || Names.Contains(name);
}

/// <summary>A component's configuration file, and the sample to copy when it is missing.</summary>
public sealed record ConfigFileSpec(string Path, string? Sample, string? Format) : Located;

/// <summary>A health probe: a check plus how often the supervisor runs it.</summary>
public sealed record HealthProbe(CheckSpec Check, TimeSpan Interval, int Retries, TimeSpan StartPeriod);

/// <summary>How much checking <c>tend run</c> does before a command.</summary>
public enum CommandPreflight
{
    /// <summary>Everything the component needs to start: its own checks (ports, disks...) too.</summary>
    All,

    /// <summary>What it requires and its config file, not its start checks: for commands run beside a running service.</summary>
    Requires,

    /// <summary>Nothing.</summary>
    None,
}

/// <summary>A named command of a component, such as <c>schema show</c>.</summary>
public sealed record ComponentCommand(
    string Name,
    ValueList<string> Argv,
    string? Description,
    bool Blocking,
    ValueList<string> Next,
    CommandPreflight Preflight) : Located
{
    public ValueList<string> Words { get; } = [.. Name.Split(' ', StringSplitOptions.RemoveEmptyEntries)];
}
