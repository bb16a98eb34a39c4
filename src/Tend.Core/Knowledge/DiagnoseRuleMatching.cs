using System.Text;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Knowledge;

/// <summary>Whether a rule explains a failure, and its cause and actions filled in for that failure.</summary>
public static class DiagnoseRuleMatching
{
    public static bool Matches(this DiagnoseRule rule, DiagnosisSubject subject) =>
        (rule.Check is null or "*" || rule.Check == subject.Check)
        && (rule.ErrorClass is null || rule.ErrorClass == subject.ErrorClass)
        && (rule.Component is null || rule.Component == subject.Component)
        && (rule.ExitCode is null || rule.ExitCode == subject.ExitCode)
        && (rule.Match is null || rule.Match.IsMatchInTime(subject.Text));

    public static Diagnosis Apply(this DiagnoseRule rule, DiagnosisSubject subject) =>
        new(rule.Id, Fill(rule.Cause, subject), [.. rule.Actions.Select(a => Fill(a, subject))]);

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
