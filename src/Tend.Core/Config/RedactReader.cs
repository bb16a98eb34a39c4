using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// <c>[stack] redact = ["regex", ...]</c>: the stack's own secrets by shape (an internal token
/// format, a customer id), masked by `tend diag` beside the built-in rules. Each pattern is
/// compiled here, so a bad one is an error at its file:line before anything runs.
/// </summary>
public static class RedactReader
{
    /// <param name="stack">The <c>[stack]</c> table; null when the file has none.</param>
    public static ValueList<RedactPattern> Read(TableReader? stack)
    {
        if (stack?.Entry("redact") is not { } entry)
        {
            return [];
        }

        if (entry.Value is not TomlArrayNode array)
        {
            stack.TypeError(entry.Value, stack.Describe("redact"), "an array of regular expressions");
            return [];
        }

        var patterns = new List<RedactPattern>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var item = array.Items[i];
            if (stack.AsString(item, $"{stack.Describe("redact")}[{i}]") is not { } text)
            {
                continue;
            }

            if (text.Length == 0)
            {
                stack.Problems.Error(item.Location, $"{stack.Describe("redact")}[{i}] is empty", "an empty pattern matches everywhere; remove it");
                continue;
            }

            try
            {
                patterns.Add(new RedactPattern(Patterns.Create(text)) { Location = item.Location });
            }
            catch (ArgumentException e)
            {
                stack.Problems.Error(item.Location, $"{stack.Describe("redact")}[{i}] is not a valid regular expression: {e.Message}", "write it as .NET regular expressions are written, in a TOML literal string ('...') so that backslashes stay as typed");
            }
        }

        return [.. patterns];
    }
}
