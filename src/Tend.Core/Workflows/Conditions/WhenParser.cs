using Tend.Core.Text;

namespace Tend.Core.Workflows.Conditions;

/// <summary>
/// Recursive descent over the grammar of docs/workflows.md, one method per level of
/// precedence (or &lt; and &lt; comparison &lt; not &lt; value). Written by hand rather than with
/// a parser library: the grammar is a dozen rules, and a hand-written parser gives exact
/// columns and messages that say what was expected, with no dependency to keep AOT-clean.
/// </summary>
internal sealed class WhenParser
{
    /// <summary>Deep enough for any real condition; deeper text would only overflow the stack.</summary>
    private const int MaxDepth = 64;

    private static readonly string[] Properties = ["outcome", "succeeded", "failed"];
    private static readonly string[] Keywords = ["true", "false", "null", "and", "or", "not", "steps"];

    private readonly WhenLexer _lexer;
    private readonly List<string> _steps = [];
    private WhenToken _current = new(WhenTokenKind.End, "", 1);
    private WhenError? _error;
    private int _depth;

    private WhenParser(string text) => _lexer = new WhenLexer(text);

    public static (WhenNode? Node, IReadOnlyList<string> Steps, WhenError? Error) Parse(string text)
    {
        if (string.IsNullOrWhiteSpace(text))
        {
            return (null, [], new WhenError(1, "the condition is empty: write one (e.g. steps.build.succeeded), or remove when"));
        }

        var parser = new WhenParser(text);
        var node = parser.ParseAll();
        return node is null ? (null, [], parser._error) : (node, parser._steps, null);
    }

    private WhenNode? ParseAll()
    {
        if (!Advance() || ParseOr() is not { } node)
        {
            return null;
        }

        return _current.Kind == WhenTokenKind.End
            ? node
            : Fail(_current.Column, $"expected and, or or the end of the condition, found {_current.Describe()}");
    }

    private bool Advance()
    {
        var (token, error) = _lexer.Next();
        if (error is not null)
        {
            _error ??= error;
            return false;
        }

        _current = token!;
        return true;
    }

    private WhenNode? Fail(int column, string message)
    {
        _error ??= new WhenError(column, message);
        return null;
    }

    private WhenNode? ParseOr()
    {
        var left = ParseAnd();
        while (left is not null && (_current.Kind == WhenTokenKind.OrOr || _current.IsWord("or")))
        {
            var column = _current.Column;
            if (!Advance() || ParseAnd() is not { } right)
            {
                return null;
            }

            left = new WhenNode.Logical(LogicalOperator.Or, left, right, column);
        }

        return left;
    }

    private WhenNode? ParseAnd()
    {
        var left = ParseComparison();
        while (left is not null && (_current.Kind == WhenTokenKind.AndAnd || _current.IsWord("and")))
        {
            var column = _current.Column;
            if (!Advance() || ParseComparison() is not { } right)
            {
                return null;
            }

            left = new WhenNode.Logical(LogicalOperator.And, left, right, column);
        }

        return left;
    }

    private static ComparisonOperator? ComparisonOf(WhenToken token) => token.Kind switch
    {
        WhenTokenKind.Equal => ComparisonOperator.Equal,
        WhenTokenKind.NotEqual => ComparisonOperator.NotEqual,
        WhenTokenKind.Less => ComparisonOperator.Less,
        WhenTokenKind.LessOrEqual => ComparisonOperator.LessOrEqual,
        WhenTokenKind.Greater => ComparisonOperator.Greater,
        WhenTokenKind.GreaterOrEqual => ComparisonOperator.GreaterOrEqual,
        _ => null,
    };

    private WhenNode? ParseComparison()
    {
        var left = ParseUnary();
        if (left is null || ComparisonOf(_current) is not { } op)
        {
            return left;
        }

        var symbol = _current;
        if (!Advance() || ParseUnary() is not { } right)
        {
            return null;
        }

        return ComparisonOf(_current) is null
            ? new WhenNode.Comparison(op, symbol.Text, left, right, symbol.Column)
            : Fail(_current.Column, $"comparisons do not chain: join two with and (a < b and b < c)");
    }

    private WhenNode? ParseUnary()
    {
        if (_current.Kind != WhenTokenKind.Bang && !_current.IsWord("not"))
        {
            return ParsePrimary();
        }

        var column = _current.Column;
        if (++_depth > MaxDepth)
        {
            return Fail(column, $"nested more than {MaxDepth} deep");
        }

        var operand = Advance() ? ParseUnary() : null;
        _depth--;
        return operand is null ? null : new WhenNode.Not(operand, column);
    }

    private WhenNode? ParsePrimary()
    {
        var token = _current;
        switch (token.Kind)
        {
            case WhenTokenKind.String:
                return Advance() ? new WhenNode.Literal(new WhenValue.Text(token.Text), token.Column) : null;
            case WhenTokenKind.Number:
                return Advance() ? new WhenNode.Literal(new WhenValue.Number(token.Number), token.Column) : null;
            case WhenTokenKind.LeftParen:
                return ParseParenthesized();
            case WhenTokenKind.Word:
                return ParseWord();
            default:
                return Fail(token.Column, $"expected a value (a string, a number, steps.ID.outcome or a function such as exists(...)), found {token.Describe()}");
        }
    }

    private WhenNode? ParseParenthesized()
    {
        var open = _current;
        if (++_depth > MaxDepth)
        {
            return Fail(open.Column, $"nested more than {MaxDepth} deep");
        }

        if (!Advance() || ParseOr() is not { } inner)
        {
            return null;
        }

        _depth--;
        if (_current.Kind != WhenTokenKind.RightParen)
        {
            return Fail(_current.Column, $"expected ) to close ( at column {open.Column}, found {_current.Describe()}");
        }

        return Advance() ? ParseAccesses(inner) : null;
    }

    private WhenNode? ParseWord()
    {
        var token = _current;
        switch (token.Text)
        {
            case "true":
                return Advance() ? new WhenNode.Literal(WhenValue.True, token.Column) : null;
            case "false":
                return Advance() ? new WhenNode.Literal(WhenValue.False, token.Column) : null;
            case "null":
                return Advance() ? new WhenNode.Literal(WhenValue.Null, token.Column) : null;
            case "steps":
                return ParseStep();
            case "and" or "or":
                return Fail(token.Column, $"expected a value before {token.Text}");
            default:
                break;
        }

        if (_lexer.PeekNonSpace() == '(')
        {
            return ParseCall();
        }

        var hint = DidYouMean.Suggest(token.Text, Keywords) is { } keyword
            ? $"did you mean {keyword}?"
            : $"a string needs quotes: '{token.Text}'";
        return Fail(token.Column, $"unknown name {token.Text} — {hint}");
    }

    private WhenNode? ParseCall()
    {
        var name = _current;
        if (!WhenFunctions.Arity.TryGetValue(name.Text, out var arity))
        {
            var hint = DidYouMean.Suggest(name.Text, WhenFunctions.Arity.Keys) is { } known
                ? $"did you mean {known}?"
                : $"the functions are {string.Join(", ", WhenFunctions.Arity.Keys)}";
            return Fail(name.Column, $"unknown function {name.Text} — {hint}");
        }

        if (!Advance())
        {
            return null;
        }

        var open = _current;
        if (++_depth > MaxDepth)
        {
            return Fail(open.Column, $"nested more than {MaxDepth} deep");
        }

        var arguments = new List<WhenNode>();
        if (!Advance())
        {
            return null;
        }

        while (_current.Kind != WhenTokenKind.RightParen)
        {
            if (ParseOr() is not { } argument)
            {
                return null;
            }

            arguments.Add(argument);
            if (_current.Kind == WhenTokenKind.Comma)
            {
                if (!Advance())
                {
                    return null;
                }
            }
            else if (_current.Kind != WhenTokenKind.RightParen)
            {
                return Fail(_current.Column, $"expected , or ) to close ( at column {open.Column}, found {_current.Describe()}");
            }
        }

        _depth--;
        if (arguments.Count != arity.Count)
        {
            return Fail(name.Column, $"{name.Text} takes {arity.Count} argument{(arity.Count == 1 ? "" : "s")} ({name.Text}({arity.Names})), found {arguments.Count}");
        }

        return Advance() ? ParseAccesses(new WhenNode.Call(name.Text, arguments, name.Column)) : null;
    }

    /// <summary><c>.field</c>, <c>['field']</c> and <c>[0]</c> after a call or a parenthesis: how <c>json(path)</c> is read into.</summary>
    private WhenNode? ParseAccesses(WhenNode target)
    {
        while (true)
        {
            var start = _current;
            if (start.Kind == WhenTokenKind.Dot)
            {
                if (!Advance())
                {
                    return null;
                }

                if (_current.Kind != WhenTokenKind.Word)
                {
                    return Fail(_current.Column, $"expected a field name after ., found {_current.Describe()} (write ['name'] for a name with spaces, [0] for an index)");
                }

                target = new WhenNode.Access(target, _current.Text, 0, start.Column);
            }
            else if (start.Kind == WhenTokenKind.LeftBracket)
            {
                if (!Advance())
                {
                    return null;
                }

                var key = _current;
                if (key.Kind == WhenTokenKind.String)
                {
                    target = new WhenNode.Access(target, key.Text, 0, start.Column);
                }
                else if (key.Kind == WhenTokenKind.Number && key.Number >= 0 && key.Number == Math.Floor(key.Number) && key.Number <= int.MaxValue)
                {
                    target = new WhenNode.Access(target, null, (int)key.Number, start.Column);
                }
                else
                {
                    return Fail(key.Column, $"expected a field name in quotes or an index from 0 after [, found {key.Describe()}");
                }

                if (!Advance())
                {
                    return null;
                }

                if (_current.Kind != WhenTokenKind.RightBracket)
                {
                    return Fail(_current.Column, $"expected ] to close [ at column {start.Column}, found {_current.Describe()}");
                }
            }
            else
            {
                return target;
            }

            if (!Advance())
            {
                return null;
            }
        }
    }

    /// <summary><c>steps.ID.outcome</c> (the id runs up to the last dot, so <c>steps.1.001.outcome</c> reads step 1.001) or <c>steps['ID'].outcome</c>.</summary>
    private WhenNode? ParseStep()
    {
        var steps = _current;
        string id;
        int idColumn;
        WhenToken property;
        if (_lexer.PeekChar() == '.')
        {
            var (path, column) = _lexer.ReadStepPath();
            var last = path.LastIndexOf('.');
            if (last <= 0)
            {
                return path.Length == 0 || Array.IndexOf(Properties, path) >= 0 || last == 0
                    ? Fail(column, "expected a step id after steps.")
                    : Fail(column + path.Length, $"expected .outcome, .succeeded or .failed after steps.{path}");
            }

            (id, idColumn) = (path[..last], column);
            property = new WhenToken(WhenTokenKind.Word, path[(last + 1)..], column + last + 1);
            if (id.Split('.').Any(s => s.Length == 0))
            {
                return Fail(column, $"a step id has no empty part between dots: {id}");
            }
        }
        else if (_lexer.PeekChar() == '[')
        {
            if (!Advance() || !Advance())
            {
                return null;
            }

            if (_current.Kind != WhenTokenKind.String)
            {
                return Fail(_current.Column, $"expected the step id in quotes after steps[, found {_current.Describe()}");
            }

            (id, idColumn) = (_current.Text, _current.Column);
            if (!Advance())
            {
                return null;
            }

            if (_current.Kind != WhenTokenKind.RightBracket)
            {
                return Fail(_current.Column, $"expected ] after steps['{id}', found {_current.Describe()}");
            }

            if (!Advance())
            {
                return null;
            }

            if (_current.Kind != WhenTokenKind.Dot || _lexer.PeekChar() is not { } c || !char.IsAsciiLetter(c))
            {
                return Fail(_current.Column, $"expected .outcome, .succeeded or .failed after steps['{id}'], found {_current.Describe()}");
            }

            if (!Advance())
            {
                return null;
            }

            property = _current;
        }
        else
        {
            return Fail(steps.Column + steps.Text.Length, "expected .ID.outcome or ['ID'].outcome after steps");
        }

        if (Array.IndexOf(Properties, property.Text) is var index && index < 0)
        {
            var found = property.Text.Length == 0 ? "the end of it" : property.Text;
            return Fail(property.Column, $"expected outcome, succeeded or failed after steps.{id}., found {found}");
        }

        if (id.Length == 0)
        {
            return Fail(idColumn, "the step id is empty");
        }

        if (!_steps.Contains(id))
        {
            _steps.Add(id);
        }

        return Advance() ? new WhenNode.Step(id, (StepProperty)index, steps.Column) : null;
    }
}
