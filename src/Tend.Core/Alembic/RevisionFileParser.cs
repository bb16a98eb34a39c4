using System.Text.RegularExpressions;

namespace Tend.Core.Alembic;

/// <summary>A revision file read, or why it could not be.</summary>
public sealed record RevisionFileResult(AlembicRevision? Revision, AlembicProblem? Problem);

/// <summary>
/// Reads a revision file's module-level <c>revision</c>, <c>down_revision</c>, <c>branch_labels</c>
/// and <c>depends_on</c> as Python would see them once the module ran: the last assignment wins,
/// type annotations are skipped, and the docstring (including its <c>Revises:</c> line, which
/// alembic writes for people and never reads) only gives the message.
/// </summary>
public static partial class RevisionFileParser
{
    private static readonly HashSet<string> Names = ["revision", "down_revision", "branch_labels", "depends_on"];

    public static RevisionFileResult Parse(string source, string displayPath)
    {
        var module = PythonTokenizer.Split(source);
        if (module.Error is not null)
        {
            return Fail(displayPath, $"{displayPath}:{module.ErrorLine}: {module.Error}");
        }

        var values = new Dictionary<string, (PythonValue Value, int Line)>(StringComparer.Ordinal);
        var skipped = new List<string>();
        foreach (var statement in module.Statements.Where(s => s.TopLevel && s.Tokens[0].Kind == PythonTokenKind.Name && Names.Contains(s.Tokens[0].Text)))
        {
            var name = statement.Tokens[0].Text;
            var where = $"{displayPath}:{statement.Line}";
            if (statement.Tokens.Count < 2)
            {
                continue;
            }

            var next = statement.Tokens[1];
            if (next.Kind == PythonTokenKind.Operator && next.Text.Length == 2 && next.Text[1] == '=' && next.Text is not ("==" or "!=" or "<=" or ">="))
            {
                return Fail(displayPath, $"{where}: {name} is changed with '{next.Text}', which tend cannot follow without Python");
            }

            var equals = next.IsOperator("=") ? 1 : next.IsOperator(":") ? TopLevelEquals(statement.Tokens, 2) : -1;
            if (equals < 0)
            {
                // A bare annotation (`revision: str`) or not an assignment to the name at all.
                continue;
            }

            var valueTokens = statement.Tokens.Skip(equals + 1).ToList();
            if (TopLevelEquals(valueTokens, 0) >= 0)
            {
                return Fail(displayPath, $"{where}: {name} is assigned in a chain (a = b = ...), which tend does not read");
            }

            if (!PythonLiteral.TryParse(valueTokens, out var value, out var error))
            {
                // Labels and dependencies given as imported constants (Neutron's `(cli.EXPAND_BRANCH,)`) need Python to
                // evaluate: skipped and said, since they change the count only when something names them.
                if (name is "branch_labels" or "depends_on")
                {
                    skipped.Add($"{where}: {name} = {string.Join(' ', valueTokens.Select(t => t.Text))}");
                    values.Remove(name);
                    continue;
                }

                return Fail(displayPath, $"{where}: {name} {error}");
            }

            values[name] = (value, statement.Line);
        }

        string id;
        if (values.TryGetValue("revision", out var revision))
        {
            if (revision.Value.Kind != PythonValueKind.String || revision.Value.Items[0].Length == 0)
            {
                return Fail(displayPath, $"{displayPath}:{revision.Line}: revision must be a non-empty string");
            }

            id = revision.Value.Items[0];
        }
        else if (LegacyFileName().Match(Path.GetFileName(displayPath)) is { Success: true } legacy)
        {
            // Alembic 0.1 named files by their revision and had no `revision` variable.
            id = legacy.Groups[1].Value;
        }
        else
        {
            return Fail(displayPath, $"{displayPath}: no module-level `revision = '...'`; alembic refuses every .py file in a versions directory that lacks one");
        }

        if (id.IndexOfAny(['@', '-', '+']) >= 0)
        {
            return Fail(displayPath, $"{displayPath}: revision '{id}' contains '@', '-' or '+', which alembic does not allow in an id");
        }

        if (!values.TryGetValue("down_revision", out var down))
        {
            return Fail(displayPath, $"{displayPath}: no module-level `down_revision = ...` (write `down_revision = None` for a base)");
        }

        return new RevisionFileResult(
            new AlembicRevision(
                id,
                down.Value.Items,
                values.TryGetValue("depends_on", out var depends) ? depends.Value.Items : [],
                values.TryGetValue("branch_labels", out var labels) ? labels.Value.Items : [],
                displayPath,
                Message(module)) { Skipped = skipped },
            null);
    }

    /// <summary>The first paragraph of the module docstring, as alembic's <c>Script.doc</c> gives it.</summary>
    private static string Message(PythonSource module)
    {
        if (module.Statements.Count == 0 || module.Statements[0].Tokens is not [{ Kind: PythonTokenKind.String }, ..] tokens || tokens.Any(t => t.Kind != PythonTokenKind.String))
        {
            return "";
        }

        var text = string.Concat(tokens.Select(t => t.Text)).Trim();
        var paragraph = text.Split("\n\n", 2)[0];
        return WhiteSpace().Replace(paragraph, " ").Trim();
    }

    private static int TopLevelEquals(IReadOnlyList<PythonToken> tokens, int from)
    {
        var depth = 0;
        for (var i = from; i < tokens.Count; i++)
        {
            var t = tokens[i];
            if (t.Kind != PythonTokenKind.Operator)
            {
                continue;
            }

            if (t.Text is "(" or "[" or "{")
            {
                depth++;
            }
            else if (t.Text is ")" or "]" or "}")
            {
                depth--;
            }
            else if (t.Text == "=" && depth == 0)
            {
                return i;
            }
        }

        return -1;
    }

    private static RevisionFileResult Fail(string displayPath, string fact) =>
        new(null, AlembicProblem.Parse($"cannot read revision file {Path.GetFileName(displayPath)}", fact));

    [GeneratedRegex(@"^([a-f0-9]+)\.py$")]
    private static partial Regex LegacyFileName();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhiteSpace();
}
