using Tend.Core.Model;
using Tend.Core.Knowledge;

namespace Tend.Core.Doctor;

/// <summary>Where a symptom was seen: a check doctor ran, or the daemon's own account.</summary>
public enum SymptomSource
{
    /// <summary>The component's configuration file.</summary>
    Config,

    /// <summary>One of its pre-flight checks.</summary>
    Preflight,

    /// <summary>Its health probe, run by doctor now.</summary>
    Health,

    /// <summary>The state the daemon holds it in.</summary>
    State,

    /// <summary>The daemon itself or what it left behind.</summary>
    Daemon,
}

/// <summary>One thing wrong, as one source saw it, with its cause and what to type.</summary>
/// <param name="Severity">Fail, or Warn for an optional check and for what the daemon works around.</param>
/// <param name="Next">A next step beyond the diagnosis' actions (the daemon's states have one), or null.</param>
public sealed record Symptom(SymptomSource Source, CheckStatus Severity, string Summary, IReadOnlyList<string> Facts, Diagnosis? Diagnosis, string? Next);

/// <summary>A component held back by a root problem: said once, under the root, with what it shows.</summary>
public sealed record Consequence(string Component, string Summary);

/// <summary>A component (or the daemon, Component null) with what is wrong with it and what that holds back.</summary>
public sealed record Finding(string? Component, string Kind, IReadOnlyList<Symptom> Symptoms, IReadOnlyList<Consequence> Blocks)
{
    public CheckStatus Severity => Symptoms.Any(s => s.Severity == CheckStatus.Fail) ? CheckStatus.Fail : CheckStatus.Warn;
}

/// <summary>A check that could not be answered because what it needs is not running: not a fault while the stack is down.</summary>
public sealed record NotChecked(string Component, string Check, string Needs);

/// <summary>What <c>tend doctor</c> found, roots first in the order things start.</summary>
/// <param name="Daemon">running, not_running or not_answering.</param>
public sealed record DoctorReport(string Stack, string Daemon, IReadOnlyList<Finding> Findings, IReadOnlyList<NotChecked> NotChecked, int ChecksRun, int ComponentsRunning)
{
    public CheckStatus Status => Findings.Count == 0 ? CheckStatus.Pass : Findings.Any(f => f.Severity == CheckStatus.Fail) ? CheckStatus.Fail : CheckStatus.Warn;
}
