using Tend.Core.Checks.Kinds;
using Tend.Core.Config;
using Tend.Core.Config.Toml;

namespace Tend.Core.Checks;

/// <summary>A kind of check: the TOML key that selects it and how to read its options.</summary>
public sealed record CheckKind(string Key, string Summary, TimeSpan DefaultTimeout, Func<CheckBinding, CheckSpec?> Bind);

/// <summary>What a kind's binder gets: the table of the check and the entry that named the kind.</summary>
public sealed class CheckBinding(TableReader reader, TomlEntry kindEntry)
{
    public TableReader Reader { get; } = reader;

    /// <summary>The <c>kind = value</c> entry, e.g. <c>postgres = "postgresql://..."</c>.</summary>
    public TomlEntry KindEntry { get; } = kindEntry;

    public string What => Reader.Describe(KindEntry.Key);

    /// <summary>The kind's value as a string (interpolated), or an error.</summary>
    public string? KindString() => Reader.AsString(KindEntry.Value, What);

    /// <summary>The kind's value as an argv array.</summary>
    public IReadOnlyList<string>? KindArgv() => KindEntry.Value is TomlStringNode single
        ? [Reader.Context.Interpolate(single)]
        : Reader.AsStringList(KindEntry.Value, What);

    public void Error(string message, string? hint = null) =>
        Reader.Problems.Error(KindEntry.Value.Location, message, hint);
}

/// <summary>The registry of check kinds. A check table names exactly one kind key.</summary>
public static class CheckKinds
{
    public static readonly IReadOnlyList<CheckKind> All =
    [
        TcpCheck.Definition,
        HttpCheck.Definition,
        PostgresCheck.Definition,
        RedisCheck.Definition,
        EtcdCheck.Definition,
        AlembicCheck.Definition,
        FileCheck.Definition,
        CommandCheck.Definition,
        PortFreeCheck.Definition,
        DirWritableCheck.Definition,
        DiskSpaceCheck.Definition,
        DockerCheck.Definition,
        GpuCheck.Definition,
        ExecCheck.Definition,
    ];

    public static IEnumerable<string> Keys => All.Select(k => k.Key);

    public static CheckKind? Find(string key) => All.FirstOrDefault(k => k.Key == key);

    /// <summary>Reads one check table; reports problems and returns null when it cannot.</summary>
    public static CheckSpec? Bind(TableReader reader, IReadOnlyCollection<string>? extraKeys = null)
    {
        var named = reader.Table.Entries.Where(e => Find(e.Key) is not null).ToList();
        if (named.Count == 0)
        {
            var guess = reader.Table.Entries.Select(e => DidYouMean.Suggest(e.Key, Keys)).FirstOrDefault(s => s is not null);
            reader.Problems.Error(
                reader.Location,
                $"{reader.Path} names no check kind; expected one of {string.Join(", ", Keys)}",
                guess is null ? "e.g. { tcp = \"127.0.0.1:5432\" }" : $"did you mean '{guess}'?");
            return null;
        }

        if (named.Count > 1)
        {
            reader.Problems.Error(named[1].KeyLocation, $"{reader.Path} names two check kinds ('{named[0].Key}' and '{named[1].Key}')", "write each check as its own table");
            return null;
        }

        var entry = named[0];
        var kind = Find(entry.Key)!;
        reader.Allow(entry.Key);
        if (extraKeys is not null)
        {
            reader.Allow([.. extraKeys]);
        }

        var name = reader.String("name");
        var timeout = reader.Duration("timeout");
        var optional = reader.Boolean("optional");
        var spec = kind.Bind(new CheckBinding(reader, entry));
        reader.Finish();
        if (spec is null)
        {
            return null;
        }

        if (timeout is { } t && t <= TimeSpan.Zero)
        {
            reader.Problems.Error(reader.Location, $"{reader.Describe("timeout")} must be longer than zero");
        }

        return spec with
        {
            Name = name,
            Timeout = timeout ?? kind.DefaultTimeout,
            Optional = optional ?? false,
            Location = entry.KeyLocation,
        };
    }
}
