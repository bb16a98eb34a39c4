namespace Tend.Core.Processes;

/// <summary>Finds a program as the shell would: a path with a slash as given, a bare name on PATH.</summary>
public static class ExecutableLookup
{
    public static string? Find(string program, string workingDirectory, Func<string, string?>? environment = null)
    {
        if (program.Contains('/', StringComparison.Ordinal))
        {
            var path = Path.IsPathRooted(program) ? program : Path.GetFullPath(Path.Combine(workingDirectory, program));
            return File.Exists(path) ? path : null;
        }

        var searchPath = (environment ?? Environment.GetEnvironmentVariable)("PATH") ?? "/usr/local/bin:/usr/bin:/bin";
        foreach (var directory in searchPath.Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(directory, program);
            if (File.Exists(candidate) && IsExecutable(candidate))
            {
                return candidate;
            }
        }

        return null;
    }

    public static bool IsExecutable(string path)
    {
        try
        {
            var mode = File.GetUnixFileMode(path);
            return (mode & (UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute)) != 0;
        }
        catch (IOException)
        {
            return false;
        }
        catch (UnauthorizedAccessException)
        {
            return false;
        }
    }
}
