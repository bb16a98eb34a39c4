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
/// A step's <c>when</c> condition, parsed (the language: docs/workflows.md).
/// Parse once when the workflow is read; evaluate when the step's turn comes.
/// </summary>
public sealed class WhenExpression
{
    private readonly WhenNode _root;
    private readonly IReadOnlyList<string> _steps;

    private WhenExpression(WhenNode root, IReadOnlyList<string> steps) => (_root, _steps) = (root, steps);

    /// <summary>The expression, or where and why it does not parse.</summary>
    public static (WhenExpression? Expression, WhenError? Error) Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var (node, steps, error) = WhenParser.Parse(text);
        return node is null ? (null, error) : (new WhenExpression(node, steps), null);
    }

    /// <summary>The ids of steps it reads (<c>steps.ID.outcome</c>), each once, in the order written: verify checks they exist, and the step waits for them as if it depended on them.</summary>
    public IReadOnlyList<string> StepsRead => _steps;

    /// <summary>Whether it holds now; an error in words when it cannot be decided (a file that is not JSON, a step that has not ended, a result that is not true or false).</summary>
    public (bool Value, string? Error) Evaluate(IWhenContext context)
    {
        ArgumentNullException.ThrowIfNull(context);
        return WhenEvaluator.Evaluate(_root, context) switch
        {
            WhenValue.Boolean result => (result.Value, null),
            WhenValue.Failure failure => (false, failure.Message),
            var other => (false, $"when must be true or false, this is {other.Describe()}"),
        };
    }
}
