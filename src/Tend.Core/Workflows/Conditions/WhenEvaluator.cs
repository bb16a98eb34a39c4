using System.Text.Json;

namespace Tend.Core.Workflows.Conditions;

/// <summary>Evaluates a parsed condition against what has happened so far (docs/workflows.md, "Evaluation").</summary>
internal static class WhenEvaluator
{
    public static WhenValue Evaluate(WhenNode node, IWhenContext context) => node switch
    {
        WhenNode.Literal literal => literal.Value,
        WhenNode.Step step => Step(step, context),
        WhenNode.Not not => Not(Evaluate(not.Operand, context)),
        WhenNode.Logical logical => Logical(logical, context),
        WhenNode.Comparison comparison => Compare(comparison, context),
        WhenNode.Call call => Call(call, context),
        WhenNode.Access access => Access(access, Evaluate(access.Target, context)),
        _ => throw new InvalidOperationException($"no evaluation for {node.GetType().Name}"),
    };

    /// <summary>== as conditions see it: same type and value; different types are never equal.</summary>
    public static bool AreEqual(WhenValue left, WhenValue right) => left is not WhenValue.Json && left.Equals(right);

    private static WhenValue Step(WhenNode.Step step, IWhenContext context)
    {
        if (context.OutcomeOf(step.StepId) is not { } outcome)
        {
            return new WhenValue.Failure($"steps.{step.StepId}: step {step.StepId} has not ended yet (or there is no such step)");
        }

        return step.Property switch
        {
            StepProperty.Succeeded => WhenValue.Of(outcome == StepOutcome.Succeeded),
            StepProperty.Failed => WhenValue.Of(outcome == StepOutcome.Failed),
            _ => new WhenValue.Text(outcome.ToString().ToLowerInvariant()),
        };
    }

    private static WhenValue Not(WhenValue operand) => operand switch
    {
        WhenValue.Failure => operand,
        WhenValue.Boolean b => WhenValue.Of(!b.Value),
        _ => new WhenValue.Failure($"not takes true or false, not {operand.Describe()} (not binds tighter than ==: write not (a == b))"),
    };

    private static WhenValue Logical(WhenNode.Logical logical, IWhenContext context)
    {
        var word = logical.Operator == LogicalOperator.And ? "and" : "or";
        var left = Evaluate(logical.Left, context);
        if (left is WhenValue.Failure)
        {
            return left;
        }

        if (left is not WhenValue.Boolean { Value: var l })
        {
            return new WhenValue.Failure($"{word} takes true or false on each side; its left side is {left.Describe()}");
        }

        // Short-circuit, so that "exists(f) and json(f).ok" never reads a missing file.
        if (l == (logical.Operator == LogicalOperator.Or))
        {
            return left;
        }

        var right = Evaluate(logical.Right, context);
        return right is WhenValue.Boolean or WhenValue.Failure
            ? right
            : new WhenValue.Failure($"{word} takes true or false on each side; its right side is {right.Describe()}");
    }

    private static WhenValue Compare(WhenNode.Comparison comparison, IWhenContext context)
    {
        var left = Evaluate(comparison.Left, context);
        if (left is WhenValue.Failure)
        {
            return left;
        }

        var right = Evaluate(comparison.Right, context);
        if (right is WhenValue.Failure)
        {
            return right;
        }

        if (left is WhenValue.Json || right is WhenValue.Json)
        {
            var container = left is WhenValue.Json ? left : right;
            return new WhenValue.Failure($"{comparison.Symbol} does not compare {container.Describe()}: compare len(...) or a field of it");
        }

        int order;
        switch (comparison.Operator)
        {
            case ComparisonOperator.Equal:
                return WhenValue.Of(AreEqual(left, right));
            case ComparisonOperator.NotEqual:
                return WhenValue.Of(!AreEqual(left, right));
            default:
                if (left is WhenValue.Number a && right is WhenValue.Number b)
                {
                    order = a.Value.CompareTo(b.Value);
                }
                else if (left is WhenValue.Text s && right is WhenValue.Text t)
                {
                    order = string.CompareOrdinal(s.Value, t.Value);
                }
                else
                {
                    return new WhenValue.Failure($"{comparison.Symbol} compares two numbers or two strings, not {left.Describe()} and {right.Describe()}");
                }

                break;
        }

        return WhenValue.Of(comparison.Operator switch
        {
            ComparisonOperator.Less => order < 0,
            ComparisonOperator.LessOrEqual => order <= 0,
            ComparisonOperator.Greater => order > 0,
            _ => order >= 0,
        });
    }

    private static WhenValue Call(WhenNode.Call call, IWhenContext context)
    {
        var arguments = new WhenValue[call.Arguments.Count];
        for (var i = 0; i < arguments.Length; i++)
        {
            arguments[i] = Evaluate(call.Arguments[i], context);
            if (arguments[i] is WhenValue.Failure)
            {
                return arguments[i];
            }
        }

        return WhenFunctions.Call(call.Function, arguments, context);
    }

    /// <summary>A missing field or index is null, and so is anything read from null, so that a report without a field reads as "no value".</summary>
    private static WhenValue Access(WhenNode.Access access, WhenValue target)
    {
        switch (target)
        {
            case WhenValue.Failure or WhenValue.NullValue:
                return target;
            case WhenValue.Json { Element.ValueKind: JsonValueKind.Object } json when access.Field is { } field:
                return json.Element.TryGetProperty(field, out var value) ? WhenValue.FromJson(value) : WhenValue.Null;
            case WhenValue.Json { Element.ValueKind: JsonValueKind.Array } json when access.Field is null:
                return access.Index < json.Element.GetArrayLength() ? WhenValue.FromJson(json.Element[access.Index]) : WhenValue.Null;
            case WhenValue.Json { Element.ValueKind: JsonValueKind.Array } json:
                return new WhenValue.Failure($"{access.Written} reads a field, but this is {json.Describe()}: write [0] for an item");
            default:
                return new WhenValue.Failure($"{access.Written} cannot be read from {target.Describe()}");
        }
    }
}
