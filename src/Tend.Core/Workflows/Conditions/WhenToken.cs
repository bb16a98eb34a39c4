namespace Tend.Core.Workflows.Conditions;

internal enum WhenTokenKind
{
    End,
    Word,
    String,
    Number,
    LeftParen,
    RightParen,
    LeftBracket,
    RightBracket,
    Dot,
    Comma,
    Equal,
    NotEqual,
    Less,
    LessOrEqual,
    Greater,
    GreaterOrEqual,
    AndAnd,
    OrOr,
    Bang,
}

/// <summary>One token of a condition.</summary>
/// <param name="Text">As written; for a string, its value with the escapes undone.</param>
/// <param name="Column">1-based, in the condition's text.</param>
internal sealed record WhenToken(WhenTokenKind Kind, string Text, int Column, double Number = 0)
{
    public bool IsWord(string word) => Kind == WhenTokenKind.Word && Text == word;

    /// <summary>How an error message names it: "found )".</summary>
    public string Describe() => Kind switch
    {
        WhenTokenKind.End => "the end of the condition",
        WhenTokenKind.String => $"the string '{Text}'",
        _ => Text,
    };
}
