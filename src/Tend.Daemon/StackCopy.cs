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

    /// <summary>
    /// The stack the copy describes, read as if it stood where <paramref name="current"/>'s file
    /// does; <paramref name="current"/> itself when the file has not changed since (the common
    /// case, and no second parse); null when there is no copy or it no longer loads.
    /// </summary>
    public static StackFile? Load(DaemonPaths paths, StackFile current)
    {
        string text;
        try
        {
            text = File.ReadAllText(paths.StackCopy);
            if (text == File.ReadAllText(current.Path))
            {
                return current;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        return StackFileLoader.Parse(text, current.Path, paths.StackCopy, Environment.GetEnvironmentVariable, new ConfigProblems()).Stack;
    }
}
