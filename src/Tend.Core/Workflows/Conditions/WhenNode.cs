namespace Tend.Core.Workflows.Conditions;

internal enum LogicalOperator
{
    And,
    Or,
}

internal enum ComparisonOperator
{
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
}

/// <summary>What <c>steps.ID.PROPERTY</c> reads.</summary>
internal enum StepProperty
{
    Outcome,
    Succeeded,
    Failed,
}

/// <summary>A parsed condition; each node keeps the 1-based column it starts at.</summary>
internal abstract record WhenNode(int Column)
{
    public sealed record Literal(WhenValue Value, int Column) : WhenNode(Column);

    public sealed record Step(string StepId, StepProperty Property, int Column) : WhenNode(Column);

    public sealed record Not(WhenNode Operand, int Column) : WhenNode(Column);

    public sealed record Logical(LogicalOperator Operator, WhenNode Left, WhenNode Right, int Column) : WhenNode(Column);

    public sealed record Comparison(ComparisonOperator Operator, string Symbol, WhenNode Left, WhenNode Right, int Column) : WhenNode(Column);

    public sealed record Call(string Function, IReadOnlyList<WhenNode> Arguments, int Column) : WhenNode(Column);

    /// <summary><c>.field</c> or <c>['field']</c> (Field set), or <c>[0]</c> (Index set), on a JSON value.</summary>
    public sealed record Access(WhenNode Target, string? Field, int Index, int Column) : WhenNode(Column)
    {
        public string Written => Field is null ? $"[{Index}]" : $"['{Field}']";
    }
}
