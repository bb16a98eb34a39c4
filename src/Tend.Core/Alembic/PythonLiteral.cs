namespace Tend.Core.Alembic;

public enum PythonValueKind
{
    None,
    String,
    Sequence,
}

/// <summary>A constant alembic reads from a revision file: None, a string, or a tuple or list of strings (<see cref="Items"/>: a string is one item).</summary>
public sealed record PythonValue(PythonValueKind Kind, IReadOnlyList<string> Items)
{
    /// <summary>None; also what alembic's <c>to_tuple</c> makes of an empty tuple.</summary>
    public static readonly PythonValue NoneValue = new(PythonValueKind.None, []);
}

/// <summary>
/// Reads the right-hand side of an assignment as the literals revision files use:
/// <c>'abc'</c>, <c>None</c>, <c>('a', 'b')</c>, <c>['a', 'b']</c>, <c>'a', 'b'</c> (a bare tuple),
/// <c>('a',)</c>, <c>()</c> and adjacent strings that Python joins. Anything else (a name, a call,
/// an f-string) is not a constant tend can know without running Python.
/// </summary>
public static class PythonLiteral
{
    public static bool TryParse(IReadOnlyList<PythonToken> tokens, out PythonValue value, out string error)
    {
        value = PythonValue.NoneValue;
        error = "";
        if (tokens.Count == 0)
        {
            error = "has no value";
            return false;
        }

        var index = 0;
        var items = new List<string>();
        var kind = PythonValueKind.None;
        var count = 0;
        var trailingComma = false;
        while (index < tokens.Count)
        {
            if (!TryAtom(tokens, ref index, out var atom, out error))
            {
                return false;
            }

            count++;
            trailingComma = false;
            if (index < tokens.Count)
            {
                if (!tokens[index].IsOperator(","))
                {
                    error = $"is not a constant (unexpected '{tokens[index].Text}')";
                    return false;
                }

                index++;
                trailingComma = true;
            }

            if (count == 1 && !trailingComma && index >= tokens.Count)
            {
                value = atom;
                return true;
            }

            if (atom.Kind != PythonValueKind.String)
            {
                error = "is a tuple whose items are not all strings";
                return false;
            }

            items.AddRange(atom.Items);
            kind = PythonValueKind.Sequence;
        }

        value = new PythonValue(kind, items);
        return true;
    }

    private static bool TryAtom(IReadOnlyList<PythonToken> tokens, ref int index, out PythonValue value, out string error)
    {
        value = PythonValue.NoneValue;
        error = "";
        var token = tokens[index];
        if (token.Kind == PythonTokenKind.String)
        {
            var text = "";
            while (index < tokens.Count && tokens[index].Kind == PythonTokenKind.String)
            {
                if (!tokens[index].IsPlainString)
                {
                    error = $"is a {tokens[index].Prefix}-string, not a plain string constant";
                    return false;
                }

                text += tokens[index].Text;
                index++;
            }

            value = new PythonValue(PythonValueKind.String, [text]);
            return true;
        }

        if (token.Kind == PythonTokenKind.Name && token.Text == "None")
        {
            index++;
            return true;
        }

        if (token.IsOperator("(") || token.IsOperator("["))
        {
            return TryBracketed(tokens, ref index, token.Text == "(" ? ")" : "]", out value, out error);
        }

        error = token.Kind == PythonTokenKind.Name
            ? $"refers to '{token.Text}', which tend cannot evaluate without Python"
            : $"is not a constant (unexpected '{token.Text}')";
        return false;
    }

    private static bool TryBracketed(IReadOnlyList<PythonToken> tokens, ref int index, string close, out PythonValue value, out string error)
    {
        value = PythonValue.NoneValue;
        error = "";
        var isList = close == "]";
        index++;
        var items = new List<string>();
        var count = 0;
        var sawComma = false;
        while (true)
        {
            if (index >= tokens.Count)
            {
                error = $"is missing its closing '{close}'";
                return false;
            }

            if (tokens[index].IsOperator(close))
            {
                index++;
                break;
            }

            if (!TryAtom(tokens, ref index, out var item, out error))
            {
                return false;
            }

            // ('abc') is a string in parentheses, not a tuple.
            if (!isList && count == 0 && index < tokens.Count && tokens[index].IsOperator(close) && !sawComma)
            {
                index++;
                value = item;
                return true;
            }

            if (item.Kind != PythonValueKind.String)
            {
                error = "is a tuple or list whose items are not all strings";
                return false;
            }

            items.AddRange(item.Items);
            count++;
            if (index < tokens.Count && tokens[index].IsOperator(","))
            {
                sawComma = true;
                index++;
            }
            else if (index < tokens.Count && !tokens[index].IsOperator(close))
            {
                error = $"is not a constant (unexpected '{tokens[index].Text}')";
                return false;
            }
        }

        // An empty tuple or list is what alembic's to_tuple turns None into.
        value = items.Count == 0 ? PythonValue.NoneValue : new PythonValue(PythonValueKind.Sequence, items);
        return true;
    }
}
