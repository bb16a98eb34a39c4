using System.Globalization;
using System.Text;
using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Persistence;

namespace Tend.Core.Updates;

/// <summary>A component's version as tend.lock records it.</summary>
/// <param name="Digest">What <c>current</c> printed after the version (an image digest, a checksum); null when nothing.</param>
/// <param name="SetAt">When tend update committed it; null when written by hand.</param>
public sealed record LockedVersion(string Version, string? Digest, DateTimeOffset? SetAt);

/// <summary>
/// tend.lock beside the stack file: the version each updatable component runs, written by
/// <c>tend update</c> when a new version passed its gate, and committed by the user like any
/// lock file. TOML, like the stack file, so that a diff reads well:
/// <code>
/// [components.api]
/// version = "1.4.2"
/// digest = "sha256:9f86d0..."
/// set_at = "2026-11-29T10:12:03Z"
/// </code>
/// </summary>
public sealed record LockFile(IReadOnlyDictionary<string, LockedVersion> Components)
{
    public const string FileName = "tend.lock";

    public static readonly LockFile Empty = new(new Dictionary<string, LockedVersion>(StringComparer.Ordinal));

    public LockedVersion? Of(string component) => Components.GetValueOrDefault(component);

    public LockFile With(string component, LockedVersion version) =>
        new(new Dictionary<string, LockedVersion>(Components, StringComparer.Ordinal) { [component] = version });

    /// <summary>The lock at <paramref name="path"/>; empty when there is none, problems at their lines when it does not read.</summary>
    public static (LockFile? Lock, IReadOnlyList<ConfigProblem> Problems) Read(string path)
    {
        string text;
        try
        {
            text = File.ReadAllText(path);
        }
        catch (FileNotFoundException)
        {
            return (Empty, []);
        }
        catch (DirectoryNotFoundException)
        {
            return (Empty, []);
        }

        return Parse(text, path);
    }

    public static (LockFile? Lock, IReadOnlyList<ConfigProblem> Problems) Parse(string text, string path)
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse(text, path, problems);
        if (root is null)
        {
            return (null, problems.Sorted());
        }

        var components = new Dictionary<string, LockedVersion>(StringComparer.Ordinal);
        foreach (var entry in root.Entries)
        {
            if (entry.Key != "components" || entry.Value is not TomlTableNode table)
            {
                problems.Error(entry.KeyLocation, $"{Path.GetFileName(path)} holds only [components.NAME] tables, not '{entry.Key}'", "tend update writes this file; remove what was added by hand");
                continue;
            }

            foreach (var component in table.Entries)
            {
                if (Version(component, problems) is { } version)
                {
                    components[component.Key] = version;
                }
            }
        }

        return problems.HasErrors ? (null, problems.Sorted()) : (new LockFile(components), []);
    }

    private static LockedVersion? Version(TomlEntry component, ConfigProblems problems)
    {
        if (component.Value is not TomlTableNode table)
        {
            problems.Error(component.KeyLocation, $"components.{component.Key} must be a table with version = \"...\"");
            return null;
        }

        string? version = null, digest = null;
        DateTimeOffset? setAt = null;
        foreach (var field in table.Entries)
        {
            var text = field.Value switch
            {
                TomlStringNode s => s.Value,
                TomlDateTimeNode d => d.Text,
                _ => null,
            };
            switch (field.Key)
            {
                case "version" when text is not null:
                    version = text;
                    break;
                case "digest" when text is not null:
                    digest = text;
                    break;
                case "set_at" when text is not null && DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at):
                    setAt = at;
                    break;
                default:
                    problems.Error(field.KeyLocation, $"components.{component.Key}.{field.Key}: tend.lock knows version, digest and set_at (strings)");
                    break;
            }
        }

        if (version is null)
        {
            problems.Error(component.KeyLocation, $"components.{component.Key} has no version");
            return null;
        }

        return new LockedVersion(version, digest, setAt);
    }

    public string Write()
    {
        var text = new StringBuilder();
        text.Append("# tend.lock: the version each component runs, written by `tend update` when a new\n");
        text.Append("# version passed its health gate. Commit it with the stack file.\n");
        foreach (var (name, version) in Components.OrderBy(c => c.Key, StringComparer.Ordinal))
        {
            text.Append(CultureInfo.InvariantCulture, $"\n[components.{Key(name)}]\n");
            text.Append(CultureInfo.InvariantCulture, $"version = {Quote(version.Version)}\n");
            if (version.Digest is { } digest)
            {
                text.Append(CultureInfo.InvariantCulture, $"digest = {Quote(digest)}\n");
            }

            if (version.SetAt is { } at)
            {
                text.Append(CultureInfo.InvariantCulture, $"set_at = {Quote(at.ToUniversalTime().ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", CultureInfo.InvariantCulture))}\n");
            }
        }

        return text.ToString();
    }

    /// <summary>Writes the lock whole or not at all (temp file, fsync, rename).</summary>
    public void Save(string path) => AtomicFile.WriteAllText(path, Write());

    private static string Key(string name) => name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-') ? name : Quote(name);

    /// <summary>A TOML basic string.</summary>
    private static string Quote(string value)
    {
        var text = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => text.Append("\\\""),
                '\\' => text.Append("\\\\"),
                '\n' => text.Append("\\n"),
                '\t' => text.Append("\\t"),
                '\r' => text.Append("\\r"),
                _ when char.IsControl(c) => text.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}"),
                _ => text.Append(c),
            };
        }

        return text.Append('"').ToString();
    }
}
