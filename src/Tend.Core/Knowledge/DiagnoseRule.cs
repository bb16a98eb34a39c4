using System.Text;
using System.Text.RegularExpressions;
using Tend.Core.Checks;
using Tend.Core.Config;

namespace Tend.Core.Knowledge;

/// <summary>
/// One entry of the knowledge base: when a failure matches (check kind, error class, component,
/// a pattern on its message, an exit code), this is the cause and what to do. Every condition
/// left out matches anything. Built-in rules ship as data (<c>Knowledge/rules.toml</c>); a stack
/// file adds its own with <c>[[diagnose]]</c>, and those are tried first.
/// </summary>
public sealed record DiagnoseRule(
    string Id,
    string? Check,
    string? ErrorClass,
    string? Component,
    Regex? Match,
    int? ExitCode,
    string Cause,
    IReadOnlyList<string> Actions,
    SourceLocation Location)
{
    public bool Matches(DiagnosisSubject subject) =>
        (Check is null or "*" || Check == subject.Check)
        && (ErrorClass is null || ErrorClass == subject.ErrorClass)
        && (Component is null || Component == subject.Component)
        && (ExitCode is null || ExitCode == subject.ExitCode)
        && (Match is null || Match.IsMatchInTime(subject.Text));

    public Diagnosis Apply(DiagnosisSubject subject) =>
        new(Id, Fill(Cause, subject), [.. Actions.Select(a => Fill(a, subject))]);

    /// <summary>Replaces <c>{name}</c> with the subject's data; unknown names stay as written.</summary>
    internal static string Fill(string template, DiagnosisSubject subject)
    {
        if (!template.Contains('{', StringComparison.Ordinal))
        {
            return template;
        }

        var output = new StringBuilder(template.Length);
        var i = 0;
        while (i < template.Length)
        {
            var open = template.IndexOf('{', i);
            var close = open < 0 ? -1 : template.IndexOf('}', open + 1);
            if (open < 0 || close < 0)
            {
                output.Append(template, i, template.Length - i);
                break;
            }

            output.Append(template, i, open - i);
            var name = template[(open + 1)..close];
            output.Append(Lookup(name, subject) ?? template[open..(close + 1)]);
            i = close + 1;
        }

        return output.ToString();
    }

    private static string? Lookup(string name, DiagnosisSubject subject) => name switch
    {
        "component" => subject.Component,
        "check" => subject.Check,
        "exit_code" => subject.ExitCode?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        _ => subject.Data.GetValueOrDefault(name),
    };
}
