namespace Tend.Core.Status;

// The shapes of --json output, documented in docs/json.md. Fields are only ever added.

public sealed record ProblemJson(string Severity, string File, int Line, int Column, string Message, string? Hint);

public sealed record ErrorJson(string Kind, string Message, IReadOnlyList<ProblemJson> Problems);

public sealed record ErrorReportJson(ErrorJson Error);

public sealed record ValidateReportJson(string Stack, string Path, bool Valid, int Components, IReadOnlyList<ProblemJson> Problems);

public sealed record RequirementJson(string Component, string Condition);

public sealed record CommandJson(string Name, IReadOnlyList<string> Argv, string? Description, bool Blocking, IReadOnlyList<string> Next);

public sealed record ComponentJson(
    string Name,
    string Kind,
    string? Description,
    IReadOnlyList<string>? Command,
    string Cwd,
    IReadOnlyList<RequirementJson> Requires,
    string? Health,
    string? Config,
    int PreflightChecks,
    IReadOnlyList<CommandJson> Commands);

public sealed record LsReportJson(string Stack, string Path, IReadOnlyList<ComponentJson> Components);

public sealed record ComponentCommandsJson(string Name, string Kind, string? Description, IReadOnlyList<CommandJson> Commands);

/// <summary>`tend run --json` (every component) and `tend run COMP --json` (that one): what can be run.</summary>
public sealed record RunListJson(string Stack, IReadOnlyList<ComponentCommandsJson> Components);

public sealed record EdgeJson(string From, string To, string Condition);

public sealed record GraphReportJson(string Stack, IReadOnlyList<IReadOnlyList<string>> Levels, IReadOnlyList<string> Order, IReadOnlyList<EdgeJson> Edges);

public sealed record DiagnosisJson(string Rule, string Cause, IReadOnlyList<string> Actions);

public sealed record CheckJson(
    string Id,
    string Component,
    string Role,
    string Kind,
    string Target,
    string? Name,
    string Status,
    string Summary,
    string? Error,
    IReadOnlyList<string> Facts,
    double DurationMs,
    bool Optional,
    DiagnosisJson? Diagnosis)
{
    /// <summary>An alembic check's reading of the database against the scripts; null for other kinds and when it could not read them.</summary>
    public MigrationsJson? Migrations { get; init; }
}

/// <summary>Revision ids in full: <c>pending</c> in the order <c>alembic upgrade</c> would apply them, <c>current</c> the version table's rows (empty at base).</summary>
public sealed record MigrationsJson(int PendingCount, IReadOnlyList<string> Pending, IReadOnlyList<string> Current, IReadOnlyList<string> Heads);

public sealed record CountsJson(int Pass, int Warn, int Fail, int Skip);

public sealed record CheckReportJson(string Stack, IReadOnlyList<string> Targets, string Status, double DurationMs, CountsJson Counts, IReadOnlyList<CheckJson> Checks);

public sealed record ComponentHealthJson(string Name, string Kind, string Health, CheckJson? Check);

public sealed record HealthReportJson(string Stack, string Overall, string CheckedAt, double DurationMs, IReadOnlyList<ComponentHealthJson> Components);

public sealed record RunReportJson(
    string Stack,
    string Component,
    string Command,
    IReadOnlyList<string> Argv,
    bool Blocking,
    CheckReportJson? Preflight,
    bool Started,
    int? ExitCode,
    double DurationMs,
    string Verdict,
    IReadOnlyList<string> OutputTail,
    DiagnosisJson? Diagnosis,
    IReadOnlyList<string> Next);

public sealed record InitReportJson(string Preset, string Directory, IReadOnlyList<string> Written, IReadOnlyList<string> Kept);
