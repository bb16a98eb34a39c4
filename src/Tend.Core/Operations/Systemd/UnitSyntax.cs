using System.Text;

namespace Tend.Core.Operations.Systemd;

/// <summary>
/// Values as systemd.syntax(7) and systemd.service(5) read them: <c>%</c> starts a specifier in
/// every setting (so <c>%%</c>), ExecStart= expands <c>$VAR</c> (so <c>$$</c>), and a word with
/// blanks, quotes or backslashes is double-quoted with C escapes.
/// </summary>
public static class UnitSyntax
{
    /// <summary>A setting that takes its value literally but for specifiers: Description=, WorkingDirectory=.</summary>
    public static string Plain(string value) => value.Replace("%", "%%", StringComparison.Ordinal);

    /// <summary>One argument of ExecStart=.</summary>
    public static string Argument(string word) => Quoted(word.Replace("$", "$$", StringComparison.Ordinal));

    /// <summary>One assignment of Environment= (which does not expand <c>$</c>).</summary>
    public static string Assignment(string name, string value) => Quoted($"{name}={value}");

    private static string Quoted(string word)
    {
        word = Plain(word);
        // A lone ";" separates commands in ExecStart=; an empty word would vanish unquoted.
        var bare = word.Length > 0 && word != ";" && !word.Any(c => char.IsWhiteSpace(c) || char.IsControl(c) || c is '"' or '\'' or '\\');
        if (bare)
        {
            return word;
        }

        var quoted = new StringBuilder("\"");
        foreach (var c in word)
        {
            quoted.Append(c switch
            {
                '"' => "\\\"",
                '\\' => "\\\\",
                '\n' => "\\n",
                '\t' => "\\t",
                '\r' => "\\r",
                _ when char.IsControl(c) => $"\\x{(int)c:x2}",
                _ => c.ToString(),
            });
        }

        return quoted.Append('"').ToString();
    }
}
