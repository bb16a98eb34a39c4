using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Persistence;

namespace Tend.Daemon;

/// <summary>
/// The stack file as the daemon last took it, kept in the state directory. A later daemon reads it
/// as if it stood where the stack file does, and compares definitions by value: a job with
/// once = true that completed under an unchanged definition stays completed.
/// </summary>
public static class StackCopy
{
    public static void Save(DaemonPaths paths, StackFile stack)
    {
        try
        {
            AtomicFile.WriteAllText(paths.StackCopy, File.ReadAllText(stack.Path), durable: false);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Without the copy the next daemon runs once-jobs again: the safe side.
        }
    }

    /// <summary>The stack the copy describes, read as if at <paramref name="stackFilePath"/>; null when there is none or it no longer loads.</summary>
    public static StackFile? Load(DaemonPaths paths, string stackFilePath)
    {
        string text;
        try
        {
            text = File.ReadAllText(paths.StackCopy);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return StackFileLoader.Parse(text, stackFilePath, paths.StackCopy, Environment.GetEnvironmentVariable, new ConfigProblems()).Stack;
    }
}
