using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Daemon;

namespace Tend.Cli;

/// <summary>
/// The stack to reach a running daemon by when its stack file no longer loads: found in the state
/// directory the file still names (or the default), as the daemon last took it
/// (<c>stack.last.toml</c>), else a stand-in with no components that knows only where the state is.
/// Seeing and stopping what runs must not wait for the file to be fixed.
/// </summary>
internal static class StackFallback
{
    /// <summary>
    /// A stand-in (no components, the right state directory) when the file is the one the daemon
    /// last took; null when it differs, has no copy, or names its own state_dir (then only a parse
    /// finds the copy).
    /// </summary>
    public static StackFile? Unchanged(string path)
    {
        var fullPath = Path.GetFullPath(path);
        try
        {
            var text = File.ReadAllText(fullPath);
            if (text.Contains("state_dir", StringComparison.Ordinal))
            {
                return null;
            }

            var standIn = new StackFile(fullPath, Path.GetFileName(Path.GetDirectoryName(fullPath)) ?? "stack", [], []);
            return File.ReadAllText(new DaemonPaths(standIn.StateDirectory).StackCopy) == text ? standIn : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    public static StackFile For(string path)
    {
        var fullPath = Path.GetFullPath(path);
        var stateDirectory = StackFileLoader.StateDirectoryOf(fullPath);
        var paths = new DaemonPaths(stateDirectory);
        try
        {
            var copy = File.ReadAllText(paths.StackCopy);
            if (StackFileLoader.Parse(copy, fullPath, paths.StackCopy, Environment.GetEnvironmentVariable, new ConfigProblems()).Stack is { } taken)
            {
                return taken with { StateDirectory = stateDirectory };
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // No copy: the stand-in below.
        }

        return new StackFile(fullPath, Path.GetFileName(Path.GetDirectoryName(fullPath)) ?? "stack", [], []) { StateDirectory = stateDirectory };
    }
}
