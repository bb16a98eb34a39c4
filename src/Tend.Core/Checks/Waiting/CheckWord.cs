using Tend.Core.Model;

namespace Tend.Core.Checks.Waiting;

/// <summary>A check as typed on a command line, read into the spec the stack file would make of it, or why it cannot be.</summary>
public sealed record CheckWordReading(CheckSpec? Spec, string? Problem, string? Hint)
{
    public bool Succeeded => Spec is not null;
}

/// <summary>
/// Reads the checks <c>tend wait</c> takes as words: a URL whose scheme names the protocol
/// (<c>postgres://</c>, <c>redis://</c>, <c>http://</c>, <c>tcp://</c>, <c>etcd://</c>,
/// <c>file:</c>) or any string-valued check kind as <c>KIND=VALUE</c> (<c>tcp=db:5432</c>,
/// <c>dir-writable=/var/lib/x</c>). The kind's own code reads the value, exactly as it reads the
/// same value in a stack file, so a word and a <c>requires</c> entry can never disagree.
/// </summary>
public static class CheckWord
{
    /// <summary>The forms, for help and for the error of a word that has none of them.</summary>
    public const string Forms = "postgres://…, redis://…, http(s)://…, tcp://HOST:PORT, etcd://HOST:PORT, file:PATH, or KIND=VALUE";

    private static readonly string[] Schemes = ["postgres", "postgresql", "redis", "rediss", "http", "https", "tcp", "etcd", "file"];

    public static CheckWordReading Read(string word)
    {
        ArgumentNullException.ThrowIfNull(word);
        var reading = ReadUnmasked(word);

        // The word is echoed in the problem; a URL's password must not be (it is in the shell's history already, not in a CI log).
        return reading.Succeeded ? reading : reading with { Problem = Events.Redactor.Redact(reading.Problem!), Hint = reading.Hint is null ? null : Events.Redactor.Redact(reading.Hint) };
    }

    private static CheckWordReading ReadUnmasked(string word)
    {
        var (kindKey, value, tls) = Split(word);
        if (kindKey is null)
        {
            var scheme = word.IndexOf("://", StringComparison.Ordinal) is var at and > 0 ? word[..at] : null;
            var guess = scheme is null ? null : Text.DidYouMean.Suggest(scheme.ToLowerInvariant(), Schemes);
            return new(null, $"'{word}' is not a check", guess is null ? $"write a check as {Forms}" : $"did you mean {guess}://{word[(scheme!.Length + 3)..]}?");
        }

        if (CheckKinds.Find(kindKey) is not { } kind)
        {
            var guess = Text.DidYouMean.Suggest(kindKey, CheckKinds.Keys);
            return new(null, $"'{kindKey}' in '{word}' is no check kind", guess is null ? $"the kinds: {string.Join(", ", CheckKinds.Keys)}" : $"did you mean '{guess}'?");
        }

        if (!kind.ValueForms.HasFlag(CheckValueForms.String))
        {
            return new(null, $"a {kind.Key} check takes a table of options, not one word", $"declare it in a stack file's requires and run: tend preflight");
        }

        if (value.Length == 0)
        {
            return new(null, $"'{word}' names no target", $"e.g. {Example(kind.Key)}");
        }

        var location = new SourceLocation("command line", 0, 0);
        var options = new Dictionary<string, CheckArgument>(StringComparer.Ordinal);
        if (tls)
        {
            options["tls"] = new CheckArgument(true, location);
        }

        string? problem = null;
        string? hint = null;
        // A port alone is a number to the kinds that take one, as `port-free = 8080` is in TOML.
        object read = kind.ValueForms.HasFlag(CheckValueForms.Integer) && long.TryParse(value, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number) ? number : value;

        // A command line typed as one word is what a shell would run; in TOML it would be an argv.
        if (kind.ValueForms.HasFlag(CheckValueForms.StringList) && value.Any(char.IsWhiteSpace))
        {
            read = (ValueList<string>)["sh", "-c", value];
        }

        var arguments = new CheckArguments("", kindKey, new CheckArgument(read, location), options, location, (_, message, h) => (problem, hint) = (problem ?? message, hint ?? h));
        var spec = kind.Create(arguments);
        return spec is null || problem is not null
            ? new(null, $"{word}: {problem ?? "not a valid target"}", hint ?? $"e.g. {Example(kind.Key)}")
            : new(spec with { Timeout = kind.DefaultTimeout }, null, null);
    }

    /// <summary>The kind and the value the kind reads; null kind when the word has no recognisable form.</summary>
    private static (string? Kind, string Value, bool Tls) Split(string word)
    {
        var scheme = word.IndexOf("://", StringComparison.Ordinal);

        // KIND=VALUE, where the kind is a word of letters and dashes before any '://': the value
        // may be a URL (postgres=postgresql://…), and a URL's query has '=' too, after its scheme.
        var equals = word.IndexOf('=', StringComparison.Ordinal);
        if (equals > 0 && (scheme < 0 || equals < scheme) && word[..equals].All(c => char.IsAsciiLetterLower(c) || c == '-'))
        {
            return (word[..equals], word[(equals + 1)..], false);
        }

        if (scheme > 0)
        {
            var rest = word[(scheme + 3)..];
            switch (word[..scheme].ToLowerInvariant())
            {
                case "postgres" or "postgresql":
                    return ("postgres", word, false);
                case "redis":
                    return ("redis", word, false);
                case "rediss":
                    return ("redis", "redis://" + rest, true);
                case "http" or "https":
                    return ("http", word, false);
                case "tcp":
                    return ("tcp", rest.TrimEnd('/'), false);
                case "etcd":
                    return ("etcd", "http://" + rest, false);
                case "file":
                    return ("file", rest, false);
            }
        }

        if (word.StartsWith("file:", StringComparison.OrdinalIgnoreCase))
        {
            return ("file", word[5..], false);
        }

        return (null, "", false);
    }

    private static string Example(string kind) => kind switch
    {
        "tcp" => "tcp://127.0.0.1:5432",
        "http" => "http://127.0.0.1:8080/healthz",
        "postgres" => "postgres://app@127.0.0.1:5432/app",
        "redis" => "redis://127.0.0.1:6379",
        "etcd" => "etcd://127.0.0.1:2379",
        "file" => "file:config/app.toml",
        "alembic" => "alembic=alembic.ini",
        "command" => "command=psql",
        "dir-writable" => "dir-writable=/var/lib/app",
        "disk-space" => "disk-space=/var/lib/app",
        "docker" => "docker=/var/run/docker.sock",
        "exec" => "exec='pg_isready -h 127.0.0.1'",
        "gpu" => "gpu=nvidia",
        "port-free" => "port-free=8080",
        _ => $"{kind}=…",
    };
}
