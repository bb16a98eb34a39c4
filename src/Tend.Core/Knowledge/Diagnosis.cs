namespace Tend.Core.Knowledge;

/// <summary>The likely cause of a failure and numbered actions, with the exact commands to type.</summary>
public sealed record Diagnosis(string RuleId, string Cause, IReadOnlyList<string> Actions);

/// <summary>What a rule is matched against: a failed check, or a command that exited badly.</summary>
public sealed record DiagnosisSubject(
    string Check,
    string? ErrorClass,
    string? Component,
    string Text,
    int? ExitCode,
    IReadOnlyDictionary<string, string> Data)
{
    /// <summary>
    /// A check typed on a command line (`tend wait postgres://…`), of no stack file and no
    /// component: a step that edits the stack file (<c>{stack_file}</c>) or pre-flights a
    /// component (<c>{preflight}</c>) has nothing to act on, and one that names
    /// <c>{typed_check}</c> is shown instead.
    /// </summary>
    public bool Typed { get; init; }

    /// <summary>The failing check is <c>optional</c> already: a step that makes it so (<c>{optional_check}</c>) is no step.</summary>
    public bool Optional { get; init; }
}
