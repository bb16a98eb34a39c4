using System.Diagnostics;

namespace Tend.Dummy;

/// <summary>Starts another copy of the dummy, the same way this one was started.</summary>
internal static class Self
{
    /// <summary>
    /// The child inherits stdin, stdout, the process group and (unless redirected to the parent)
    /// stderr, as a forked helper of a real service would: a test that kills only the leader
    /// leaves it behind, still holding the pipes.
    /// </summary>
    public static Process Start(string[] args, bool redirectStandardError = false)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(host) { UseShellExecute = false, RedirectStandardError = redirectStandardError };
        if (Path.GetFileNameWithoutExtension(host) == "dotnet")
        {
            info.ArgumentList.Add(Path.Combine(AppContext.BaseDirectory, "Tend.Dummy.dll"));
        }

        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        return Process.Start(info) ?? throw new InvalidOperationException("the child did not start");
    }
}
