namespace Tend.Core.Updates;

/// <summary>
/// What a version may look like. It goes into the user's set command as an argument, so a version
/// that begins with '-' (read as an option: <c>git checkout --force</c>) or holds spaces, control
/// characters or a '/' that climbs (<c>../</c>) is refused before anything runs.
/// </summary>
public static class VersionText
{
    public const int MaxLength = 200;

    /// <summary>Why <paramref name="version"/> cannot be a version; null when it can.</summary>
    public static string? Problem(string? version)
    {
        if (string.IsNullOrEmpty(version))
        {
            return "a version cannot be empty";
        }

        if (version.Length > MaxLength)
        {
            return $"a version is at most {MaxLength} characters";
        }

        if (version[0] == '-')
        {
            return $"'{version}' begins with '-': the set command would read it as an option";
        }

        if (version.Any(c => char.IsWhiteSpace(c) || char.IsControl(c)))
        {
            return $"'{Printable(version)}' holds spaces or control characters";
        }

        if (version.Split('/').Any(part => part == ".."))
        {
            return $"'{version}' climbs out of its directory (..)";
        }

        return null;
    }

    private static string Printable(string text) => new([.. text.Select(c => char.IsControl(c) ? '?' : c)]);
}
