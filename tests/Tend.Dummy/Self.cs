using System.Diagnostics;

namespace Tend.Dummy;

/// <summary>Starts another copy of the dummy, the same way this one was started.</summary>
internal static class Self
{
    /// <summary>
    /// The child inherits stdin, stdout, stderr and the process group, as a forked helper of a
    /// real service would: a test that kills only the leader leaves it behind.
    /// </summary>
    public static Process Start(params string[] args)
    {
        var host = Environment.ProcessPath ?? throw new InvalidOperationException("no process path");
        var info = new ProcessStartInfo(host) { UseShellExecute = false };
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
