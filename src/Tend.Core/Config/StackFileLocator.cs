namespace Tend.Core.Config;

/// <summary>Finds the stack file: the one given, or <c>tend.toml</c> in this directory or the nearest parent.</summary>
public static class StackFileLocator
{
    public const string DefaultName = "tend.toml";

    public static string? Find(string? given, string workingDirectory)
    {
        if (given is not null)
        {
            var path = Path.GetFullPath(given, workingDirectory);
            return Directory.Exists(path) ? Path.Combine(path, DefaultName) : path;
        }

        for (var directory = new DirectoryInfo(workingDirectory); directory is not null; directory = directory.Parent)
        {
            var candidate = Path.Combine(directory.FullName, DefaultName);
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        return null;
    }
}
