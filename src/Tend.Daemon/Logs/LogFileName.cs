using System.Globalization;

namespace Tend.Daemon.Logs;

/// <summary>
/// Names of a component's log files: <c>run-000042.log</c>, then <c>run-000042.2.log</c>,
/// <c>.3.log</c>... as the run rotates, and <c>current.log</c>, a symlink to the file being written.
/// </summary>
internal static class LogFileName
{
    public const string Current = "current.log";

    public const string Pattern = "run-*.log";

    public static string For(int run, int part) =>
        part == 1 ? $"run-{run:D6}.log" : $"run-{run:D6}.{part}.log";

    public static bool TryParse(string name, out int run, out int part)
    {
        run = 0;
        part = 1;
        if (!name.StartsWith("run-", StringComparison.Ordinal) || !name.EndsWith(".log", StringComparison.Ordinal))
        {
            return false;
        }

        var middle = name.AsSpan(4, name.Length - 8);
        var dot = middle.IndexOf('.');
        var runText = dot < 0 ? middle : middle[..dot];
        if (!IsNumber(runText) || !int.TryParse(runText, NumberStyles.None, CultureInfo.InvariantCulture, out run))
        {
            return false;
        }

        if (dot < 0)
        {
            return true;
        }

        var partText = middle[(dot + 1)..];
        return IsNumber(partText) && int.TryParse(partText, NumberStyles.None, CultureInfo.InvariantCulture, out part) && part >= 2;
    }

    private static bool IsNumber(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExceptInRange('0', '9');
}
