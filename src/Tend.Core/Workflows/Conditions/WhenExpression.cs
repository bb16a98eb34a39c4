namespace Tend.Core.Workflows.Conditions;

/// <summary>How a step ended, as <c>steps.ID.outcome</c> reads it.</summary>
public enum StepOutcome
{
    Succeeded,
    Failed,
    Skipped,
    Omitted,
}

/// <summary>What a condition may read: the outcomes of steps that ended, and files under the workflow's directory.</summary>
public interface IWhenContext
{
    /// <summary>The outcome of a step that ended; null for one that has not (or does not exist).</summary>
    StepOutcome? OutcomeOf(string stepId);

    /// <summary>Paths in conditions resolve against this.</summary>
    string Directory { get; }
}

/// <summary>A problem in a condition's text, at a 1-based column of that text.</summary>
public sealed record WhenError(int Column, string Message);

/// <summary>
/// A step's <c>when</c> condition, parsed. PLACEHOLDER until the expression language lands
/// (docs/workflows.md, "Conditions"): only <c>true</c> and <c>false</c> parse.
/// </summary>
public sealed class WhenExpression
{
    private readonly bool _value;
    private readonly string[] _steps = [];

    private WhenExpression(bool value) => _value = value;

    /// <summary>The expression, or where and why it does not parse.</summary>
    public static (WhenExpression? Expression, WhenError? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        return text.Trim() switch
        {
            "true" => (new WhenExpression(true), null),
            "false" => (new WhenExpression(false), null),
            _ => (null, new WhenError(1, "expected true or false")),
        };
    }

    /// <summary>The ids of steps it reads (<c>steps.ID.outcome</c>): verify checks they exist, and the step waits for them as if it depended on them.</summary>
    public IReadOnlyList<string> StepsRead => _steps;

    /// <summary>Whether it holds now; an error in words when it cannot be decided (a file that is not JSON, a field missing).</summary>
    public (bool Value, string? Error) Evaluate(IWhenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return (_value, null);
    }
}
