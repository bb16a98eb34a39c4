using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Status;

/// <summary>Maps the core's results to the documented JSON shapes.</summary>
public static class ReportMapper
{
    public static ProblemJson Problem(ConfigProblem problem) => new(
        problem.IsError ? "error" : "warning",
        problem.Location.File,
        problem.Location.Line,
        problem.Location.Column,
        problem.Message,
        problem.Hint);

    public static DiagnosisJson? Diagnosis(Diagnosis? diagnosis) =>
        diagnosis is null ? null : new DiagnosisJson(diagnosis.RuleId, diagnosis.Cause, diagnosis.Actions);

    public static CheckJson Check(CheckResult result) => new(
        result.Check.Id,
        result.Check.Component,
        result.Check.Role.ToString().ToLowerInvariant(),
        result.Check.Spec.Kind,
        result.Check.Spec.Target,
        result.Check.Spec.Name,
        CheckStatuses.Word(result.Status),
        result.Outcome.Summary,
        result.Outcome.ErrorClass,
        result.Outcome.Facts,
        Math.Round(result.Duration.TotalMilliseconds, 1),
        result.Check.Spec.Optional,
        Diagnosis(result.Diagnosis))
    {
        Migrations = Migrations(result),
    };

    private static MigrationsJson? Migrations(CheckResult result)
    {
        var data = result.Outcome.Data;
        if (result.Check.Spec.Kind != "alembic" || !data.TryGetValue("heads", out var heads))
        {
            return null;
        }

        static List<string> Ids(string? text, char separator) => text is null or "base" ? [] : [.. text.Split(separator, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)];
        var pending = Ids(data.GetValueOrDefault("pending_ids"), ' ');
        return new MigrationsJson(pending.Count, pending, Ids(data.GetValueOrDefault("current"), ','), Ids(heads, ','));
    }

    public static CheckReportJson CheckReport(string stack, IReadOnlyList<string> targets, IReadOnlyList<CheckResult> results, TimeSpan duration) => new(
        stack,
        targets,
        CheckStatuses.Word(CheckSummary.Overall(results)),
        Math.Round(duration.TotalMilliseconds, 1),
        new CountsJson(
            results.Count(r => r.Status == CheckStatus.Pass),
            results.Count(r => r.Status == CheckStatus.Warn),
            results.Count(r => r.Status == CheckStatus.Fail),
            results.Count(r => r.Status == CheckStatus.Skip)),
        [.. results.Select(Check)]);
}
