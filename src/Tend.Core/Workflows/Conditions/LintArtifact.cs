using System.Text;
using System.Text.Json;

namespace Tend.Core.Workflows.Conditions;

/// <summary>
/// <c>has_errors(path)</c>: whether a linter's JSON report lists an error. The shapes are those
/// linters print (docs/workflows.md, "has_errors"): ruff's and flake8-json's list of
/// diagnostics, an object with an <c>errors</c> list or count, a <c>summary</c>, mypy's JSON Lines.
/// </summary>
internal static class LintArtifact
{
    private static readonly string[] CountFields = ["errors", "error_count", "errorCount"];
    private static readonly string[] SummaryFields = ["errors", "error_count"];
    private static readonly string[] ListFields = ["diagnostics", "messages", "results"];

    public static WhenValue HasErrors(string fullPath, string written)
    {
        if (!File.Exists(fullPath) && !Directory.Exists(fullPath))
        {
            return WhenValue.False;
        }

        var (bytes, error) = JsonFile.ReadBytes(fullPath, written);
        if (bytes is null)
        {
            return new WhenValue.Failure($"has_errors: {error}");
        }

        var text = Encoding.UTF8.GetString(bytes);
        if (string.IsNullOrWhiteSpace(text))
        {
            return WhenValue.False;
        }

        var (root, problem) = JsonFile.Parse(bytes);
        if (problem is null)
        {
            return WhenValue.Of(IsError(root));
        }

        var lines = text.Split('\n');
        if (lines.Count(l => !string.IsNullOrWhiteSpace(l)) <= 1)
        {
            return new WhenValue.Failure($"has_errors: {written} is not JSON: {problem}");
        }

        // Several documents: JSON Lines, as mypy -O json prints one diagnostic per line.
        var any = false;
        for (var i = 0; i < lines.Length; i++)
        {
            if (string.IsNullOrWhiteSpace(lines[i]))
            {
                continue;
            }

            var (line, lineProblem) = JsonFile.Parse(Encoding.UTF8.GetBytes(lines[i]));
            if (lineProblem is not null)
            {
                return new WhenValue.Failure($"has_errors: {written} is neither JSON nor JSON Lines: line {i + 1}: {lineProblem}");
            }

            any |= IsError(line);
        }

        return WhenValue.Of(any);
    }

    private static bool IsError(JsonElement report) => report.ValueKind switch
    {
        JsonValueKind.Array => report.EnumerateArray().Any(IsErrorEntry),
        JsonValueKind.Object => ObjectHasErrors(report),
        _ => false,
    };

    private static bool ObjectHasErrors(JsonElement report)
    {
        if (report.TryGetProperty("errors", out var errors) && errors.ValueKind == JsonValueKind.Array && errors.GetArrayLength() > 0)
        {
            return true;
        }

        if (CountFields.Any(f => Positive(report, f)))
        {
            return true;
        }

        if (report.TryGetProperty("summary", out var summary) && summary.ValueKind == JsonValueKind.Object && SummaryFields.Any(f => Positive(summary, f)))
        {
            return true;
        }

        foreach (var field in ListFields)
        {
            if (report.TryGetProperty(field, out var list) && list.ValueKind == JsonValueKind.Array && list.EnumerateArray().Any(IsErrorEntry))
            {
                return true;
            }
        }

        // One diagnostic on its own: a line of mypy's JSON Lines.
        return Severity(report) is { } severity && IsErrorSeverity(severity);
    }

    private static bool Positive(JsonElement report, string field) =>
        report.TryGetProperty(field, out var value) && value.ValueKind == JsonValueKind.Number && value.GetDouble() > 0;

    /// <summary>
    /// An entry of a list of diagnostics is an error unless its severity says otherwise
    /// ("warning", "note"); an entry that is itself a report (eslint's one object per file, with
    /// its <c>errorCount</c>) is judged as a report.
    /// </summary>
    private static bool IsErrorEntry(JsonElement entry)
    {
        if (entry.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        if (IsReport(entry))
        {
            return ObjectHasErrors(entry);
        }

        return Severity(entry) is not { } severity || IsErrorSeverity(severity);
    }

    private static bool IsReport(JsonElement entry) =>
        CountFields.Append("summary").Concat(ListFields).Any(f => entry.TryGetProperty(f, out _));

    private static JsonElement? Severity(JsonElement entry) =>
        entry.TryGetProperty("severity", out var severity) ? severity
        : entry.TryGetProperty("level", out var level) ? level
        : null;

    private static bool IsErrorSeverity(JsonElement severity) =>
        severity.ValueKind == JsonValueKind.String && string.Equals(severity.GetString(), "error", StringComparison.OrdinalIgnoreCase);
}
