using Tend.Core.Model;

namespace Tend.Core.Config;

public enum ProblemSeverity
{
    Error,
    Warning,
}

/// <summary>Something wrong in a stack file: where, what, and what to do instead.</summary>
public sealed record ConfigProblem(ProblemSeverity Severity, SourceLocation Location, string Message, string? Hint = null)
{
    public bool IsError => Severity == ProblemSeverity.Error;

    public override string ToString()
    {
        var label = IsError ? "error" : "warning";
        var text = $"{Location}: {label}: {Message}";
        return Hint is null ? text : $"{text} ({Hint})";
    }
}

/// <summary>Collects problems while a stack file is read, so one run reports all of them.</summary>
public sealed class ConfigProblems
{
    private readonly List<ConfigProblem> _items = [];

    public IReadOnlyList<ConfigProblem> Items => _items;

    public bool HasErrors => _items.Exists(p => p.IsError);

    public void Error(SourceLocation location, string message, string? hint = null) =>
        _items.Add(new ConfigProblem(ProblemSeverity.Error, location, message, hint));

    public void Warning(SourceLocation location, string message, string? hint = null) =>
        _items.Add(new ConfigProblem(ProblemSeverity.Warning, location, message, hint));

    /// <summary>Problems sorted by their place in the file, errors of one place before warnings.</summary>
    public IReadOnlyList<ConfigProblem> Sorted() =>
        [.. _items.OrderBy(p => p.Location.File, StringComparer.Ordinal)
            .ThenBy(p => p.Location.Line)
            .ThenBy(p => p.Location.Column)
            .ThenBy(p => p.Severity)];
}
