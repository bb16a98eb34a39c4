namespace Tend.Core.Alembic;

public enum PythonTokenKind
{
    Name,
    String,
    Number,
    Operator,
}

/// <summary>
/// A token of a Python source. For strings <see cref="Text"/> is the decoded value and
/// <see cref="Prefix"/> the letters before the quote (<c>r</c>, <c>u</c>, <c>b</c>, <c>f</c>...).
/// </summary>
public readonly record struct PythonToken(PythonTokenKind Kind, string Text, int Line, int Column, string Prefix = "")
{
    public bool IsOperator(string text) => Kind == PythonTokenKind.Operator && Text == text;

    /// <summary>Bytes and f-strings are not plain string constants.</summary>
    public bool IsPlainString => Kind == PythonTokenKind.String && !Prefix.Contains('b', StringComparison.OrdinalIgnoreCase) && !Prefix.Contains('f', StringComparison.OrdinalIgnoreCase);
}

/// <summary>One statement of the module: its tokens and whether it starts at the module's top level.</summary>
public sealed record PythonStatement(IReadOnlyList<PythonToken> Tokens, bool TopLevel)
{
    public int Line => Tokens[0].Line;
}
