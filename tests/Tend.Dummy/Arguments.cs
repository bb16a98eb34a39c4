namespace Tend.Dummy;

/// <summary>
/// The words after the command: positionals, <c>--name value</c> options and <c>--flag</c>s.
/// Parsed by hand so the dummy starts without loading a command-line library.
/// </summary>
internal sealed class Arguments
{
    private readonly List<string> _positionals = [];
    private readonly Dictionary<string, string> _options = [];
    private readonly HashSet<string> _flags = [];

    private Arguments()
    {
    }

    /// <param name="words">The words after the command name.</param>
    /// <param name="valueOptions">Options that take a value, e.g. <c>--delay-ms</c>.</param>
    /// <param name="flags">Options without a value, e.g. <c>--ignore-term</c>.</param>
    public static Arguments Parse(IReadOnlyList<string> words, string[] valueOptions, string[] flags)
    {
        var parsed = new Arguments();
        for (var i = 0; i < words.Count; i++)
        {
            var word = words[i];
            if (flags.Contains(word))
            {
                parsed._flags.Add(word);
            }
            else if (valueOptions.Contains(word))
            {
                if (i + 1 >= words.Count)
                {
                    throw new UsageException($"{word} needs a value");
                }

                parsed._options[word] = words[++i];
            }
            else if (word.StartsWith("--", StringComparison.Ordinal))
            {
                throw new UsageException($"unknown option {word}");
            }
            else
            {
                parsed._positionals.Add(word);
            }
        }

        return parsed;
    }

    public IReadOnlyList<string> Positionals => _positionals;

    public string Positional(int index, string name) =>
        index < _positionals.Count ? _positionals[index] : throw new UsageException($"missing {name}");

    public long Number(int index, string name) => ToNumber(Positional(index, name), name);

    public string? Option(string name) => _options.GetValueOrDefault(name);

    public long Number(string name, long fallback) =>
        _options.TryGetValue(name, out var text) ? ToNumber(text, name) : fallback;

    public bool Flag(string name) => _flags.Contains(name);

    private static long ToNumber(string text, string name) =>
        long.TryParse(text, out var value) ? value : throw new UsageException($"{name} must be a number, not '{text}'");
}
