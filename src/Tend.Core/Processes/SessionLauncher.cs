using System.Diagnostics;

namespace Tend.Core.Processes;

/// <summary>
/// Starts a program as the leader of a new session and process group, so that a stop can signal
/// everything it spawned at once. .NET's Process cannot call setsid() between fork and exec, so
/// the start goes through util-linux's <c>setsid</c>, which execs the program in place: the PID
/// Process reports is the program's own, and it is also the process group id.
/// </summary>
public static class SessionLauncher
{
    private static readonly Lazy<string> SetsidPath = new(() =>
        ExecutableLookup.Find("setsid", "/") ?? (File.Exists("/usr/bin/setsid") ? "/usr/bin/setsid" : "setsid"));

    public static ProcessStartInfo StartInfo(string program, IEnumerable<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment)
    {
        var info = new ProcessStartInfo(SetsidPath.Value)
        {
            WorkingDirectory = workingDirectory,
            UseShellExecute = false,
        };
        info.ArgumentList.Add(program);
        foreach (var argument in arguments)
        {
            info.ArgumentList.Add(argument);
        }

        foreach (var (key, value) in environment)
        {
            info.Environment[key] = value;
        }

        return info;
    }
}
