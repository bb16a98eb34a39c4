using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace Tend.Cli.Tests.Support;

/// <summary>What a daemon keeps beside a test's stack file (.tend/, or the stack's state_dir): its events and PID, and a clean-up that leaves nothing running.</summary>
public sealed class DaemonState(string stackDirectory, string stateDirectory = ".tend")
{
    public string Directory { get; } = Path.Combine(stackDirectory, stateDirectory);

    public int? ReadDaemonPid()
    {
        var path = Path.Combine(Directory, "daemon.pid");
        return File.Exists(path) && int.TryParse(File.ReadAllText(path).Trim(), CultureInfo.InvariantCulture, out var pid) ? pid : null;
    }

    /// <summary>Every whole event line so far, oldest first.</summary>
    public List<JsonElement> ReadEvents()
    {
        var directory = Path.Combine(Directory, "events");
        if (!System.IO.Directory.Exists(directory))
        {
            return [];
        }

        return [.. System.IO.Directory.GetFiles(directory, "events-*.jsonl").Order(StringComparer.Ordinal).SelectMany(File.ReadAllLines).Where(l => l.EndsWith('}')).Select(l => JsonDocument.Parse(l).RootElement.Clone())];
    }

    /// <summary>Whatever a test left: the daemon and what it runs stopped, by the daemon's own PID file.</summary>
    public async Task StopDaemonAsync()
    {
        await TendBinary.RunAsync(stackDirectory, "daemon", "stop");
        if (ReadDaemonPid() is { } pid && IsAlive(pid))
        {
            Process.GetProcessById(pid).Kill(entireProcessTree: true);
        }
    }

    /// <summary>Alive and not a zombie. A process can end between finding its /proc entry and reading it (ESRCH): that is "not alive", not a test failure.</summary>
    public static bool IsAlive(int pid)
    {
        try
        {
            return !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ", StringComparison.Ordinal);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Polls (real time, 30 s at most) until <paramref name="condition"/> holds, and fails the test when it never does.</summary>
    public static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 600 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        condition().ShouldBeTrue();
    }
}
