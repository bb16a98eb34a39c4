namespace Tend.Core.Alembic;

/// <summary>Where the revision files are: the version directories in alembic's order.</summary>
public sealed record ScriptLocation(string Source, IReadOnlyList<string> VersionDirectories, bool Recursive);

/// <summary>A script location found, or why not.</summary>
public sealed record ScriptLocationResult(ScriptLocation? Location, AlembicProblem? Problem);

/// <summary>How to read a project's alembic configuration, beyond the path the user gave.</summary>
/// <param name="Section">The ini section, as <c>alembic -n NAME</c> picks it (default <c>alembic</c>).</param>
/// <param name="Scripts">A script directory that overrides script_location (the check's <c>scripts</c> option).</param>
/// <param name="PythonPath">Directories of the project's Python path (its interpreter's sys.path), searched for a package:dir location.</param>
public sealed record ScriptOptions(string Section = ScriptLocator.IniSection, string? Scripts = null, IReadOnlyList<string>? PythonPath = null)
{
    public static readonly ScriptOptions Default = new();
}

/// <summary>
/// Finds the version directories from what the user points at: an <c>alembic.ini</c> (its
/// <c>[alembic]</c> <c>script_location</c>, and <c>version_locations</c> when set), a script
/// directory (one holding <c>versions/</c>), a directory holding <c>alembic.ini</c>, or the
/// versions directory itself.
/// </summary>
public static class ScriptLocator
{
    public const string IniSection = "alembic";

    public static async Task<ScriptLocationResult> FindAsync(string path, CancellationToken cancellationToken = default) =>
        await FindAsync(path, ScriptOptions.Default, cancellationToken);

    public static async Task<ScriptLocationResult> FindAsync(string path, ScriptOptions options, CancellationToken cancellationToken = default)
    {
        if (options.Scripts is { } scripts)
        {
            // Given outright: no ini to interpret (a package location resolved by hand, a layout tend cannot follow).
            var versions = Path.Combine(scripts, "versions");
            return Directory.Exists(versions) ? Found(scripts, [versions], recursive: false)
                : Directory.Exists(scripts) ? Found(scripts, [scripts], recursive: false)
                : Missing($"{scripts} does not exist", "the check's scripts option names it");
        }

        if (File.Exists(path))
        {
            return Path.GetFileName(path) == "pyproject.toml"
                ? FromPyproject(path, options)
                : await FromIniAsync(path, options, cancellationToken);
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
        var pyproject = Path.Combine(path, "pyproject.toml");
        return File.Exists(ini) ? await FromIniAsync(ini, options, cancellationToken)
            : PyprojectTable.ScriptLocation(pyproject) is not null ? FromPyproject(pyproject, options)
            : Found(path, [path], recursive: false);
    }

    /// <summary>alembic >= 1.16 reads <c>[tool.alembic]</c> of pyproject.toml: script_location, version_locations and the rest, with the same meanings.</summary>
    private static ScriptLocationResult FromPyproject(string pyprojectPath, ScriptOptions options)
    {
        var here = Path.GetDirectoryName(Path.GetFullPath(pyprojectPath))!;
        if (PyprojectTable.Read(pyprojectPath, out var error) is not { } raw)
        {
            return Unreadable(pyprojectPath, error ?? $"{pyprojectPath} has no [tool.alembic] table");
        }

        // alembic substitutes %(here)s in pyproject's values too, as configparser does in the ini.
        var table = raw.ToDictionary(e => e.Key, e => e.Value.Replace("%(here)s", here, StringComparison.Ordinal), StringComparer.Ordinal);

        if (table.GetValueOrDefault("script_location") is not { Length: > 0 } scriptLocation)
        {
            return Unreadable(pyprojectPath, $"{pyprojectPath}: [tool.alembic] has no script_location");
        }

        return FromSettings(pyprojectPath, here, scriptLocation, table.GetValueOrDefault("version_locations"), "space", table.GetValueOrDefault("recursive_version_locations"), options);
    }

    private static async Task<ScriptLocationResult> FromIniAsync(string iniPath, ScriptOptions options, CancellationToken cancellationToken)
    {
        var text = await File.ReadAllTextAsync(iniPath, cancellationToken);
        var here = Path.GetDirectoryName(Path.GetFullPath(iniPath))!;
        var ini = IniFile.Parse(text, new Dictionary<string, string> { ["here"] = here }, out var line, out var error);
        if (ini is null)
        {
            return Unreadable(iniPath, $"{iniPath}:{line}: {error}");
        }

        var section = options.Section;
        if (!ini.HasSection(section))
        {
            return Unreadable(iniPath, $"{iniPath} has no [{section}] section{(section == IniSection ? "" : " (the check's section option names it, as alembic -n does)")}; its sections: {string.Join(", ", ini.Sections)}");
        }

        var scriptLocation = ini.Get(section, "script_location", out error);
        if (error is not null)
        {
            return Unreadable(iniPath, $"{iniPath}: {error}");
        }

        // alembic >= 1.16: an ini without script_location takes it from pyproject.toml's [tool.alembic] beside it.
        var pyproject = Path.Combine(here, "pyproject.toml");
        if (string.IsNullOrWhiteSpace(scriptLocation))
        {
            return PyprojectTable.ScriptLocation(pyproject) is not null
                ? FromPyproject(pyproject, options)
                : Unreadable(iniPath, $"{iniPath}: [{section}] has no script_location, and no pyproject.toml beside it has [tool.alembic]");
        }

        var versionLocations = ini.Get(section, "version_locations", out error);
        if (error is not null)
        {
            return Unreadable(iniPath, $"{iniPath}: {error}");
        }

        return FromSettings(iniPath, here, scriptLocation, versionLocations, ini.Get(section, "version_path_separator", out _), ini.Get(section, "recursive_version_locations", out _), options);
    }

    private static ScriptLocationResult FromSettings(string source, string here, string scriptLocation, string? versionLocations, string? separator, string? recursiveText, ScriptOptions options)
    {
        var (scriptDirectory, looked) = ResolveScriptDirectory(scriptLocation, here, options.PythonPath ?? []);
        if (scriptDirectory is null)
        {
            return Missing(
                $"script directory for {scriptLocation} not found",
                [$"{source} sets script_location = {scriptLocation}", .. looked.Select(l => $"not at {l}"),
                 IsPackageResource(scriptLocation) ? "a package:dir location is found on the project's Python path: give the check python = \"path/to/venv/bin/python\", or scripts = \"path/to/the/script/directory\"" : "tend resolves relative locations against the ini's directory, where alembic is usually run"]);
        }

        var recursive = IsTrue(recursiveText);

        if (string.IsNullOrWhiteSpace(versionLocations))
        {
            var versions = Path.Combine(scriptDirectory, "versions");
            return Directory.Exists(versions)
                ? Found(source, [versions], recursive)
                : Missing($"versions directory {versions} does not exist", $"{source} sets script_location = {scriptLocation}, and alembic reads revisions from its versions/ directory");
        }

        if (SplitLocations(versionLocations, separator) is not { } locations)
        {
            return Unreadable(source, $"{source}: version_path_separator = {separator} is not one of space, newline, os, ':' or ';'");
        }

        // Alembic skips version locations that do not exist (a new branch's directory may not yet).
        var existing = locations.Select(l => ResolveLocation(l, here)).Where(Directory.Exists).Distinct(StringComparer.Ordinal).ToList();
        return existing.Count > 0
            ? Found(source, existing, recursive)
            : Missing("none of the version_locations exist", [$"{source} sets version_locations = {versionLocations}", .. locations.Select(l => $"{ResolveLocation(l, here)} does not exist")]);
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
        return Path.GetFullPath(Path.IsPathRooted(path) ? path : Path.Combine(here, path));
    }

    /// <summary>
    /// The script directory and, when not found, every place looked. A <c>package.sub:dir</c>
    /// location names a directory inside an importable package, found as Python would: on its
    /// path (the interpreter's sys.path when the check names one), then where projects keep their
    /// packages: beside the ini, under its <c>src/</c>, and the same in the directories above it
    /// (an ini in <c>configs/</c> of a checkout whose code is in <c>src/</c>).
    /// </summary>
    private static (string? Directory, List<string> Looked) ResolveScriptDirectory(string location, string here, IReadOnlyList<string> pythonPath)
    {
        var trimmed = location.Trim();
        if (!IsPackageResource(trimmed))
        {
            var direct = ResolveLocation(trimmed, here);
            return (Directory.Exists(direct) ? direct : null, [direct]);
        }

        var colon = trimmed.IndexOf(':', StringComparison.Ordinal);
        var relative = Path.Combine(trimmed[..colon].Replace('.', Path.DirectorySeparatorChar), trimmed[(colon + 1)..]);
        var roots = new List<string>(pythonPath);
        for (var directory = here; directory is not null && roots.Count < pythonPath.Count + 8; directory = Path.GetDirectoryName(directory))
        {
            roots.Add(directory);
            roots.Add(Path.Combine(directory, "src"));
        }

        var looked = new List<string>();
        foreach (var root in roots.Distinct(StringComparer.Ordinal))
        {
            var candidate = Path.GetFullPath(Path.Combine(root, relative));
            if (Directory.Exists(candidate))
            {
                return (candidate, looked);
            }

            looked.Add(candidate);
        }

        return (null, looked);
    }

    private static bool IsPackageResource(string location) => location.Contains(':', StringComparison.Ordinal) && !Path.IsPathRooted(location);

    private static bool IsTrue(string? value) => value?.Trim().ToLowerInvariant() is "true" or "yes" or "on" or "1";

    private static ScriptLocationResult Found(string source, IReadOnlyList<string> directories, bool recursive) =>
        new(new ScriptLocation(source, directories, recursive), null);

    private static ScriptLocationResult Missing(string summary, params string[] facts) => new(null, AlembicProblem.NotFound(summary, facts));

    private static ScriptLocationResult Unreadable(string iniPath, string fact) => new(null, AlembicProblem.Parse($"cannot read {Path.GetFileName(iniPath)}", fact));
}
