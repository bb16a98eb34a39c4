using Tend.Core.Text;

namespace Tend.Core.Model;

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
    Pattern? Match,
    int? ExitCode,
    string Cause,
    ValueList<string> Actions) : Located;
