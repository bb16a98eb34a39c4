using System.Text.RegularExpressions;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Knowledge;

/// <summary>Whether a rule explains a failure, and its cause and actions filled in for that failure.</summary>
public static partial class DiagnoseRuleMatching
{
    public static bool Matches(this DiagnoseRule rule, DiagnosisSubject subject) =>
        (rule.Check is null or "*" || rule.Check == subject.Check)
        && (rule.ErrorClass is null || rule.ErrorClass == subject.ErrorClass)
        && (rule.Component is null || rule.Component == subject.Component)
        && (rule.ExitCode is null || rule.ExitCode == subject.ExitCode)
        && (rule.Match is null || rule.Match.IsMatchInTime(subject.Text));

    /// <summary>
    /// The rule's cause and actions filled in for <paramref name="subject"/>. A placeholder the
    /// subject has no value for is never shown: an action that needs it is left out (rules list
    /// one action per case, e.g. a password from a variable or from the URL, and only the one
    /// whose facts exist is shown), and so is a sentence of the cause; a cause left empty falls
    /// back to the failure's own summary.
    /// </summary>
    public static Diagnosis Apply(this DiagnoseRule rule, DiagnosisSubject subject)
    {
        var actions = rule.Actions.Select(a => TryFill(a, subject)).OfType<string>().ToList();
        return new(rule.Id, FillCause(rule.Cause, subject), actions);
    }

    /// <summary>The placeholders of a template: <c>{name}</c> with a lower-case identifier inside; other braces are text.</summary>
    public static IEnumerable<string> Placeholders(string template) =>
        Placeholder().Matches(template).Select(m => m.Groups[1].Value).Distinct();

    /// <summary>Replaces every <c>{name}</c> with the subject's data; null when one has no value.</summary>
    internal static string? TryFill(string template, DiagnosisSubject subject)
    {
        var missing = false;
        var filled = Placeholder().Replace(template, m =>
        {
            var value = Lookup(m.Groups[1].Value, subject);
            missing |= string.IsNullOrWhiteSpace(value);
            return value ?? "";
        });
        return missing ? null : filled;
    }

    private static string FillCause(string template, DiagnosisSubject subject)
    {
        if (TryFill(template, subject) is { } whole)
        {
            return whole;
        }

        var kept = SentenceEnd().Split(template).Select(sentence => TryFill(sentence, subject)).OfType<string>().ToList();
        if (kept.Count > 0)
        {
            return string.Join(' ', kept);
        }

        return subject.Data.GetValueOrDefault("summary") is { Length: > 0 } summary ? summary : $"The {subject.Check} check failed.";
    }

    [GeneratedRegex(@"\{([a-z_][a-z0-9_]*)\}")]
    private static partial Regex Placeholder();

    [GeneratedRegex(@"(?<=[.!?])\s+(?=[A-Z`(])")]
    private static partial Regex SentenceEnd();

    /// <summary>
    /// <c>{tool_nc}</c> is <c>nc</c> when it is on PATH here, and nothing otherwise: a next step
    /// never names a tool the user does not have (<c>_</c> stands for <c>-</c> when the name with
    /// underscores is not found: <c>{tool_redis_cli}</c>).
    /// </summary>
    private static string? Tool(string name) =>
        Processes.ExecutableLookup.Find(name, "/") is not null ? name
        : Processes.ExecutableLookup.Find(name.Replace('_', '-'), "/") is not null ? name.Replace('_', '-')
        : null;

    /// <summary>
    /// Facts worked out only when a rule asks for them: <c>{tool_NAME}</c> (see <see cref="Tool"/>)
    /// and <c>{install}</c>, how to install the subject's <c>program</c> here (see <see cref="PackageHints"/>);
    /// <c>{stack_file}</c>, <c>{preflight}</c> and <c>{typed_check}</c>, by where the check was written;
    /// <c>{optional_check}</c> for a check of a stack file that is not optional yet.
    /// </summary>
    private static string? Derived(string name, DiagnosisSubject subject) => name switch
    {
        _ when name.StartsWith("tool_", StringComparison.Ordinal) => Tool(name["tool_".Length..]),
        "install" when subject.Data.GetValueOrDefault("program") is { } program => PackageHints.InstallCommand(program, Environment.UserName == "root"),

        // Where the failing check was written, so a step says what to edit (see DiagnosisSubject.Typed).
        "stack_file" => subject.Typed ? null : "the stack file",
        "preflight" => subject.Typed ? null : "tend preflight",
        "typed_check" => subject.Typed ? "the check given on the command line" : null,
        "optional_check" => subject.Typed || subject.Optional ? null : "optional = true",
        _ => null,
    };

    private static string? Lookup(string name, DiagnosisSubject subject) => name switch
    {
        "component" => subject.Component,
        "check" => subject.Check,
        "exit_code" => subject.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => subject.Data.GetValueOrDefault(name) ?? Derived(name, subject),
    };
}
