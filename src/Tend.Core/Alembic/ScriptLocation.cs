namespace Tend.Core.Alembic;

/// <summary>Where the revision files are: the version directories in alembic's order.</summary>
public sealed record ScriptLocation(string Source, IReadOnlyList<string> VersionDirectories, bool Recursive);

/// <summary>A script location found, or why not.</summary>
public sealed record ScriptLocationResult(ScriptLocation? Location, AlembicProblem? Problem);

/// <summary>
/// Finds the version directories from what the user points at: an <c>alembic.ini</c> (its
/// <c>[alembic]</c> <c>script_location</c>, and <c>version_locations</c> when set), a script
/// directory (one holding <c>versions/</c>), a directory holding <c>alembic.ini</c>, or the
/// versions directory itself.
/// </summary>
public static class ScriptLocator
{
    public const string IniSection = "alembic";

    public static async Task<ScriptLocationResult> FindAsync(string path, CancellationToken cancellationToken = default)
    {
        if (File.Exists(path))
        {
            return await FromIniAsync(path, cancellationToken);
        }

        if (!Directory.Exists(path))
        {
            return Missing($"{path} does not exist", $"tend looked for an alembic.ini or a migrations directory at {path}");
        }

        if (Directory.Exists(Path.Combine(path, "versions")))
        {
            return Found(path, [Path.Combine(path, "versions")], recursive: false);
        }

        var ini = Path.Combine(path, "alembic.ini");
        return File.Exists(ini)
            ? await FromIniAsync(ini, cancellationToken)
            : Found(path, [path], recursive: false);
    }

    private static async Task<ScriptLocationResult> FromIniAsync(string iniPath, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(iniPath, cancellationToken);
        var here = Path.GetDirectoryName(Path.GetFullPath(iniPath))!;
        var ini = IniFile.Parse(text, new Dictionary<string, string> { ["here"] = here }, out var line, out var error);
        if (ini is null)
        {
            return Unreadable(iniPath, $"{iniPath}:{line}: {error}");
        }

        if (!ini.HasSection(IniSection))
        {
            return Unreadable(iniPath, $"{iniPath} has no [{IniSection}] section");
        }

        var scriptLocation = ini.Get(IniSection, "script_location", out error);
        if (error is not null || string.IsNullOrWhiteSpace(scriptLocation))
        {
            return Unreadable(iniPath, error is null ? $"{iniPath}: [{IniSection}] has no script_location" : $"{iniPath}: {error}");
        }

        var scriptDirectory = ResolveLocation(scriptLocation, here);
        if (!Directory.Exists(scriptDirectory))
        {
            return Missing(
                $"script directory {scriptDirectory} does not exist",
                $"{iniPath} sets script_location = {scriptLocation}",
                $"tend resolves relative locations against the ini's directory, where alembic is usually run{(IsPackageResource(scriptLocation) ? "; a package:path location is looked up as a directory under it" : "")}");
        }

        var recursive = IsTrue(ini.Get(IniSection, "recursive_version_locations", out _));
        var versionLocations = ini.Get(IniSection, "version_locations", out error);
        if (error is not null)
        {
            return Unreadable(iniPath, $"{iniPath}: {error}");
        }

        if (string.IsNullOrWhiteSpace(versionLocations))
        {
            var versions = Path.Combine(scriptDirectory, "versions");
            return Directory.Exists(versions)
                ? Found(iniPath, [versions], recursive)
                : Missing($"versions directory {versions} does not exist", $"{iniPath} sets script_location = {scriptLocation}, and alembic reads revisions from its versions/ directory");
        }

        var separator = ini.Get(IniSection, "version_path_separator", out _);
        if (SplitLocations(versionLocations, separator) is not { } locations)
        {
            return Unreadable(iniPath, $"{iniPath}: version_path_separator = {separator} is not one of space, newline, os, ':' or ';'");
        }

        // Alembic skips version locations that do not exist (a new branch's directory may not yet).
        var existing = locations.Select(l => ResolveLocation(l, here)).Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();
        return existing.Count > 0
            ? Found(iniPath, existing, recursive)
            : Missing("none of the version_locations exist", [$"{iniPath} sets version_locations = {versionLocations}", .. locations.Select(l => $"{ResolveLocation(l, here)} does not exist")]);
    }

    /// <summary>Splits as alembic does: by the declared separator, or on commas and spaces when none is declared.</summary>
    private static List<string>? SplitLocations(string value, string? separator)
    {
        // The 1.8 template writes `version_path_separator = os  # Use os.pathsep...`, which alembic
        // 1.8 rejects because configparser keeps the comment; the word before it is what was meant.
        var word = separator?.Split([' ', '\t'], 2, StringSplitOptions.RemoveEmptyEntries).FirstOrDefault();
        string[]? parts = word switch
        {
            null => value.Split([',', ' ', '\n'], StringSplitOptions.RemoveEmptyEntries),
            "space" => value.Split([' ', '\n'], StringSplitOptions.RemoveEmptyEntries),
            "newline" => value.Split('\n', StringSplitOptions.RemoveEmptyEntries),
            "os" or ":" => value.Split(':', StringSplitOptions.RemoveEmptyEntries),
            ";" => value.Split(';', StringSplitOptions.RemoveEmptyEntries),
            _ => null,
        };
        return parts?.Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
    }

    private static string ResolveLocation(string location, string here)
    {
        var path = location.Trim();
        if (IsPackageResource(path))
        {
            // `package.sub:dir` names a directory inside an importable package; without Python the
            // best guess is the package's directory under the ini's.
            var colon = path.IndexOf(':', StringComparison.Ordinal);
            path = Path.Combine(path[..colon].Replace('.', Path.DirectorySeparatorChar), path[(colon + 1)..]);
        }

        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(here, path));
    }

    private static bool IsPackageResource(string location) => location.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(location);

    private static bool IsTrue(string? value) => value?.Trim().ToLowerInvariant() is "true" or "yes" or "on" or "1";

    private static ScriptLocationResult Found(string source, IReadOnlyList<string> directories, bool recursive) =>
        new(new ScriptLocation(source, directories, recursive), null);

    private static ScriptLocationResult Missing(string summary, params string[] facts) => new(null, AlembicProblem.NotFound(summary, facts));

    private static ScriptLocationResult Unreadable(string iniPath, string fact) => new(null, AlembicProblem.Parse($"cannot read {Path.GetFileName(iniPath)}", fact));
}
