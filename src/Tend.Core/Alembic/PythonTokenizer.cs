using System.Text;

namespace Tend.Core.Alembic;

/// <summary>The statements of a Python source, or where it could not be split.</summary>
public sealed record PythonSource(IReadOnlyList<PythonStatement> Statements, int ErrorLine = 0, string? Error = null);

/// <summary>
/// Splits Python source into statements of tokens, enough to read module-level constants
/// without an interpreter: strings of every quoting (docstrings, triple quotes, prefixes,
/// f-strings with nested quotes), comments, brackets spanning lines, backslash continuations and
/// semicolons. It does not parse expressions; <see cref="PythonLiteral"/> reads the few it needs.
/// </summary>
public static class PythonTokenizer
{
    private static readonly HashSet<string> TwoCharOperators =
    [
        "==", "!=", "<=", ">=", ":=", "->", "**", "//", "<<", ">>",
        "+=", "-=", "*=", "/=", "%=", "&=", "|=", "^=", "@=",
    ];

    public static PythonSource Split(string source)
    {
        var scanner = new Scanner(source);
        return scanner.Run();
    }

    private sealed class Scanner(string text)
    {
        private readonly List<PythonStatement> _statements = [];
        private readonly List<PythonToken> _tokens = [];
        private int _pos;
        private int _line = 1;
        private int _lineStart;
        private int _depth;
        private int _bracketLine;
        private bool? _logicalTopLevel;

        public PythonSource Run()
        {
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c == '\n')
                {
                    NewLine();
                    if (_depth == 0)
                    {
                        EndStatement(endsLogicalLine: true);
                    }
                }
                else if (c is ' ' or '\t' or '\f' or '\r')
                {
                    _pos++;
                }
                else if (c == '#')
                {
                    while (_pos < text.Length && text[_pos] != '\n')
                    {
                        _pos++;
                    }
                }
                else if (c == '\\' && Peek(1) == '\n' || c == '\\' && Peek(1) == '\r' && Peek(2) == '\n')
                {
                    _pos += Peek(1) == '\r' ? 2 : 1;
                    NewLine();
                }
                else if (c is '"' or '\'')
                {
                    if (ReadString("") is { } error)
                    {
                        return error;
                    }
                }
                else if (char.IsLetter(c) || c == '_' || c > 127)
                {
                    var start = _pos;
                    while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] == '_' || text[_pos] > 127))
                    {
                        _pos++;
                    }

                    var name = text[start.._pos];
                    if (_pos < text.Length && text[_pos] is '"' or '\'' && IsStringPrefix(name))
                    {
                        _pos = start;
                        _pos += name.Length;
                        if (ReadString(name, start) is { } error)
                        {
                            return error;
                        }
                    }
                    else
                    {
                        Add(PythonTokenKind.Name, name, start);
                    }
                }
                else if (char.IsDigit(c))
                {
                    var start = _pos;
                    while (_pos < text.Length && (char.IsLetterOrDigit(text[_pos]) || text[_pos] is '_' or '.'))
                    {
                        _pos++;
                    }

                    Add(PythonTokenKind.Number, text[start.._pos], start);
                }
                else
                {
                    ReadOperator();
                }
            }

            if (_depth > 0)
            {
                return Fail(_bracketLine, "a bracket opened here is never closed");
            }

            EndStatement(endsLogicalLine: true);
            return new PythonSource(_statements);
        }

        private char Peek(int ahead) => _pos + ahead < text.Length ? text[_pos + ahead] : '\0';

        private void NewLine()
        {
            _pos++;
            _line++;
            _lineStart = _pos;
        }

        private void Add(PythonTokenKind kind, string value, int start, int line = 0, int column = -1, string prefix = "")
        {
            var tokenLine = line > 0 ? line : _line;
            var tokenColumn = column >= 0 ? column : start - _lineStart;
            _logicalTopLevel ??= tokenColumn == 0;
            _tokens.Add(new PythonToken(kind, value, tokenLine, tokenColumn, prefix));
        }

        private void EndStatement(bool endsLogicalLine)
        {
            if (_tokens.Count > 0)
            {
                _statements.Add(new PythonStatement([.. _tokens], _logicalTopLevel ?? false));
                _tokens.Clear();
            }

            if (endsLogicalLine)
            {
                _logicalTopLevel = null;
            }
        }

        private void ReadOperator()
        {
            var start = _pos;
            var two = _pos + 1 < text.Length ? text.Substring(_pos, 2) : "";
            var op = TwoCharOperators.Contains(two) ? two : text[_pos].ToString();
            _pos += op.Length;
            if (op is "(" or "[" or "{")
            {
                if (_depth == 0)
                {
                    _bracketLine = _line;
                }

                _depth++;
            }
            else if (op is ")" or "]" or "}")
            {
                _depth = Math.Max(0, _depth - 1);
            }
            else if (op == ";" && _depth == 0)
            {
                // A semicolon ends a statement but not the line: the next statement keeps its indent.
                EndStatement(endsLogicalLine: false);
                return;
            }

            Add(PythonTokenKind.Operator, op, start);
        }

        private static bool IsStringPrefix(string name) =>
            name.Length <= 2 && name.All(ch => "rRuUbBfF".Contains(ch, StringComparison.Ordinal))
            && !(name.Length == 2 && (name.Contains('u', StringComparison.OrdinalIgnoreCase) || char.ToLowerInvariant(name[0]) == char.ToLowerInvariant(name[1])));

        private PythonSource? ReadString(string prefix, int tokenStart = -1)
        {
            var start = tokenStart >= 0 ? tokenStart : _pos;
            var line = _line;
            var column = start - _lineStart;
            var value = new StringBuilder();
            if (!ScanString(prefix, value, out var error))
            {
                return Fail(line, error);
            }

            Add(PythonTokenKind.String, value.ToString(), start, line, column, prefix);
            return null;
        }

        /// <summary>Reads one string literal starting at its quote; f-strings may nest strings in their braces.</summary>
        private bool ScanString(string prefix, StringBuilder value, out string error)
        {
            error = "";
            var raw = prefix.Contains('r', StringComparison.OrdinalIgnoreCase);
            var formatted = prefix.Contains('f', StringComparison.OrdinalIgnoreCase);
            var quote = text[_pos];
            var triple = Peek(1) == quote && Peek(2) == quote;
            _pos += triple ? 3 : 1;
            while (true)
            {
                if (_pos >= text.Length)
                {
                    error = triple ? "a triple-quoted string starting here is never closed" : "a string starting here is never closed";
                    return false;
                }

                var c = text[_pos];
                if (c == quote && (!triple || Peek(1) == quote && Peek(2) == quote))
                {
                    _pos += triple ? 3 : 1;
                    return true;
                }

                if (c == '\n')
                {
                    if (!triple)
                    {
                        error = "a string starting here ends at the end of the line without its closing quote";
                        return false;
                    }

                    value.Append('\n');
                    NewLine();
                    continue;
                }

                if (c == '\\')
                {
                    ReadEscape(raw, value);
                    continue;
                }

                if (formatted && c == '{')
                {
                    if (Peek(1) == '{')
                    {
                        value.Append('{');
                        _pos += 2;
                        continue;
                    }

                    if (!SkipReplacementField(out error))
                    {
                        return false;
                    }

                    continue;
                }

                value.Append(c);
                _pos++;
            }
        }

        private void ReadEscape(bool raw, StringBuilder value)
        {
            var next = Peek(1);
            if (next == '\n')
            {
                if (raw)
                {
                    value.Append('\\').Append('\n');
                }

                _pos++;
                NewLine();
                return;
            }

            if (raw)
            {
                value.Append('\\');
                if (next != '\0')
                {
                    value.Append(next);
                }

                _pos += 2;
                return;
            }

            value.Append(next switch
            {
                '\\' => "\\",
                '\'' => "'",
                '"' => "\"",
                'n' => "\n",
                't' => "\t",
                'r' => "\r",
                '0' => "\0",
                _ => "\\" + next,
            });
            _pos += 2;
        }

        /// <summary>Skips <c>{expression!r:spec}</c> inside an f-string, strings and brackets in it included.</summary>
        private bool SkipReplacementField(out string error)
        {
            error = "";
            var depth = 0;
            while (_pos < text.Length)
            {
                var c = text[_pos];
                if (c is '{' or '(' or '[')
                {
                    depth++;
                    _pos++;
                }
                else if (c is '}' or ')' or ']')
                {
                    depth--;
                    _pos++;
                    if (depth == 0)
                    {
                        return true;
                    }
                }
                else if (c is '"' or '\'')
                {
                    if (!ScanString("", new StringBuilder(), out error))
                    {
                        return false;
                    }
                }
                else if (c == '\n')
                {
                    NewLine();
                }
                else
                {
                    _pos++;
                }
            }

            error = "an f-string replacement field is never closed";
            return false;
        }

        private PythonSource Fail(int line, string message) => new(_statements, line, message);
    }
}
