using System.Text;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// <c>${VAR}</c> substitution as docker compose does it: <c>${VAR:-default}</c> when unset or empty,
/// <c>${VAR-default}</c> when unset, <c>${VAR:?message}</c> to require a value, <c>$$</c> for a
/// literal dollar. An unset plain <c>${VAR}</c> becomes empty with a warning.
/// </summary>
public sealed class Interpolation(Func<string, string?> lookup)
{
    public static readonly Interpolation None = new(_ => null);

    private readonly Dictionary<string, string> _used = new(StringComparer.Ordinal);

    /// <summary>The variables substituted so far, with their values: the stack's secrets are among them.</summary>
    public IReadOnlyDictionary<string, string> Used => _used;

    public string Apply(string text, SourceLocation location, ConfigProblems problems)
    {
        if (!text.Contains('$', StringComparison.Ordinal))
        {
            return text;
        }

        var output = new StringBuilder(text.Length);
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                output.Append(c);
                i++;
                continue;
            }

            if (text[i + 1] == '$')
            {
                output.Append('$');
                i += 2;
                continue;
            }

            if (text[i + 1] != '{')
            {
                output.Append(c);
                i++;
                continue;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                problems.Error(location, $"unclosed '${{' in \"{text}\"", "write '$$' for a literal dollar sign");
                return text;
            }

            output.Append(Substitute(text[(i + 2)..close], location, problems));
            i = close + 1;
        }

        return output.ToString();
    }

    private string Substitute(string expression, SourceLocation location, ConfigProblems problems)
    {
        var (name, op, argument) = Split(expression);
        if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
        {
            problems.Error(location, $"'${{{expression}}}' is not a variable reference", "names are letters, digits and '_'");
            return "";
        }

        var value = lookup(name);
        if (!string.IsNullOrEmpty(value))
        {
            _used[name] = value;
        }

        switch (op)
        {
            case ":-":
                return string.IsNullOrEmpty(value) ? argument : value;
            case "-":
                return value ?? argument;
            case ":?":
            case "?":
                if (op == ":?" ? string.IsNullOrEmpty(value) : value is null)
                {
                    var reason = argument.Length > 0 ? argument : "required";
                    problems.Error(location, $"variable {name} is not set: {reason}", $"export {name}=... or put it in the stack's .env file");
                    return "";
                }

                return value!;
            default:
                if (value is null)
                {
                    problems.Warning(location, $"variable {name} is not set; using an empty string", $"write ${{{name}:-default}} to give a default");
                    return "";
                }

                return value;
        }
    }

    private static (string Name, string Op, string Argument) Split(string expression)
    {
        foreach (var op in (string[])[":-", ":?", "-", "?"])
        {
            var at = expression.IndexOf(op, StringComparison.Ordinal);
            if (at > 0)
            {
                return (expression[..at], op, expression[(at + op.Length)..]);
            }
        }

        return (expression, "", "");
    }
}
