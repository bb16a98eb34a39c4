using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary>A workflow run as a condition sees it: outcomes of the steps that ended, and a scratch directory for its files.</summary>
internal sealed class Condition : IWhenContext, IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly Dictionary<string, StepOutcome> _outcomes = [];

    public string Directory => _directory.Path;

    public StepOutcome? OutcomeOf(string stepId) => _outcomes.TryGetValue(stepId, out var outcome) ? outcome : null;

    public Condition Ended(string stepId, StepOutcome outcome)
    {
        _outcomes[stepId] = outcome;
        return this;
    }

    public Condition File(string relativePath, string content)
    {
        _directory.Write(relativePath, content);
        return this;
    }

    /// <summary>The condition's value; fails the test when it does not parse or cannot be decided.</summary>
    public bool Holds(string text)
    {
        var (value, error) = Evaluate(text);
        error.ShouldBeNull();
        return value;
    }

    /// <summary>Why the condition cannot be decided; fails the test when it can.</summary>
    public string ErrorOf(string text)
    {
        var (_, error) = Evaluate(text);
        error.ShouldNotBeNull($"{text} was expected not to be decidable");
        return error;
    }

    public (bool Value, string? Error) Evaluate(string text)
    {
        var (expression, parseError) = WhenExpression.Parse(text);
        parseError.ShouldBeNull();
        return expression!.Evaluate(this);
    }

    /// <summary>Why the text does not parse; fails the test when it does.</summary>
    public static WhenError ParseErrorOf(string text)
    {
        var (expression, error) = WhenExpression.Parse(text);
        expression.ShouldBeNull();
        return error.ShouldNotBeNull();
    }

    public void Dispose() => _directory.Dispose();
}
