using System.Globalization;
using System.Text;

namespace Tend.Core.Workflows.Conditions;

/// <summary>
/// Cuts a condition into tokens on demand: the parser pulls one at a time, so that after
/// <c>steps</c> it can read an id such as <c>1.001</c> as raw text rather than as a number.
/// </summary>
internal sealed class WhenLexer(string text)
{
    private int _position;

    /// <summary>The character right after the last token, without skipping spaces.</summary>
    public char? PeekChar() => _position < text.Length ? text[_position] : null;

    /// <summary>The next character that is not a space.</summary>
    public char? PeekNonSpace()
    {
        var i = _position;
        while (i < text.Length && char.IsWhiteSpace(text[i]))
        {
            i++;
        }

        return i < text.Length ? text[i] : null;
    }

    /// <summary>
    /// After <c>steps</c>, at a dot: the text up to the first character that cannot be in an id
    /// (<c>1.001.outcome</c>); the parser splits off the final segment.
    /// </summary>
    public (string Path, int Column) ReadStepPath()
    {
        _position++;
        var start = _position;
        while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '-' or '.'))
        {
            _position++;
        }

        return (text[start.._position], start + 1);
    }

    public (WhenToken? Token, WhenError? Error) Next()
    {
        while (_position < text.Length && char.IsWhiteSpace(text[_position]))
        {
            _position++;
        }

        if (_position >= text.Length)
        {
            return (new WhenToken(WhenTokenKind.End, "", text.Length + 1), null);
        }

        var column = _position + 1;
        var c = text[_position];
        var next = _position + 1 < text.Length ? text[_position + 1] : '\0';
        switch (c)
        {
            case '(': return Symbol(WhenTokenKind.LeftParen, 1);
            case ')': return Symbol(WhenTokenKind.RightParen, 1);
            case '[': return Symbol(WhenTokenKind.LeftBracket, 1);
            case ']': return Symbol(WhenTokenKind.RightBracket, 1);
            case '.': return Symbol(WhenTokenKind.Dot, 1);
            case ',': return Symbol(WhenTokenKind.Comma, 1);
            case '=' when next == '=': return Symbol(WhenTokenKind.Equal, 2);
            case '=': return Fail(column, "a single = does not compare: write ==");
            case '!' when next == '=': return Symbol(WhenTokenKind.NotEqual, 2);
            case '!': return Symbol(WhenTokenKind.Bang, 1);
            case '<' when next == '=': return Symbol(WhenTokenKind.LessOrEqual, 2);
            case '<': return Symbol(WhenTokenKind.Less, 1);
            case '>' when next == '=': return Symbol(WhenTokenKind.GreaterOrEqual, 2);
            case '>': return Symbol(WhenTokenKind.Greater, 1);
            case '&' when next == '&': return Symbol(WhenTokenKind.AndAnd, 2);
            case '&': return Fail(column, "a single & is not an operator: write && (or and)");
            case '|' when next == '|': return Symbol(WhenTokenKind.OrOr, 2);
            case '|': return Fail(column, "a single | is not an operator: write || (or or)");
            case '\'' or '"': return String(c);
            default: break;
        }

        if (char.IsAsciiDigit(c) || (c == '-' && char.IsAsciiDigit(next)))
        {
            return Number();
        }

        if (char.IsAsciiLetter(c) || c == '_')
        {
            var start = _position;
            while (_position < text.Length && (char.IsAsciiLetterOrDigit(text[_position]) || text[_position] is '_' or '-'))
            {
                _position++;
            }

            return (new WhenToken(WhenTokenKind.Word, text[start.._position], column), null);
        }

        return Fail(column, $"unexpected character {c}");
    }

    private (WhenToken?, WhenError?) Symbol(WhenTokenKind kind, int length)
    {
        var token = new WhenToken(kind, text.Substring(_position, length), _position + 1);
        _position += length;
        return (token, null);
    }

    private static (WhenToken?, WhenError?) Fail(int column, string message) => (null, new WhenError(column, message));

    private (WhenToken?, WhenError?) Number()
    {
        var start = _position;
        if (text[_position] == '-')
        {
            _position++;
        }

        SkipDigits();
        if (_position < text.Length && text[_position] == '.')
        {
            _position++;
            if (_position >= text.Length || !char.IsAsciiDigit(text[_position]))
            {
                return Fail(_position + 1, "expected a digit after the decimal point");
            }

            SkipDigits();
        }

        var written = text[start.._position];
        return (new WhenToken(WhenTokenKind.Number, written, start + 1, double.Parse(written, CultureInfo.InvariantCulture)), null);
    }

    private void SkipDigits()
    {
        while (_position < text.Length && char.IsAsciiDigit(text[_position]))
        {
            _position++;
        }
    }

    private (WhenToken?, WhenError?) String(char quote)
    {
        var column = _position + 1;
        var value = new StringBuilder();
        _position++;
        while (_position < text.Length)
        {
            var c = text[_position];
            if (c == quote)
            {
                _position++;
                return (new WhenToken(WhenTokenKind.String, value.ToString(), column), null);
            }

            if (c == '\\')
            {
                var escaped = _position + 1 < text.Length ? text[_position + 1] : '\0';
                if (escaped is not ('\\' or '\'' or '"'))
                {
                    return Fail(_position + 1, @"unknown escape in a string: only \\, \' and \"" are escapes");
                }

                value.Append(escaped);
                _position += 2;
                continue;
            }

            value.Append(c);
            _position++;
        }

        return Fail(column, $"unterminated string: the {quote} at column {column} has no closing {quote}");
    }
}
