namespace Tend.Core.Text;

/// <summary>Words of a command line the user may type as printed: plain when safe, single-quoted otherwise.</summary>
public static class ShellWords
{
    public static string Quote(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        return word.Length > 0 && word.All(c => char.IsAsciiLetterOrDigit(c) || c is '/' or '.' or '_' or '-' or '=' or ':' or ',' or '+' or '@')
            ? word
            : $"'{word.Replace("'", "'\\''", StringComparison.Ordinal)}'";
    }
}
