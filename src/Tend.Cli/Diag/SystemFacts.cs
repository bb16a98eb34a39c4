using System.Globalization;
using System.Runtime.InteropServices;
using System.Text;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Text;

namespace Tend.Cli.Diag;

/// <summary>system.txt and ports.txt: the machine under the stack, read from /proc and statvfs, no tool needed.</summary>
internal static class SystemFacts
{
    private static readonly string[] MemoryKeys = ["MemTotal", "MemFree", "MemAvailable", "Buffers", "Cached", "SwapTotal", "SwapFree"];

    /// <summary>Listeners listed at most: each holder is found by a walk of /proc.</summary>
    private const int MaxListeners = 200;

    public static void Add(BundleDraft draft, StackFile stack, string stateDirectory, string tendVersion)
    {
        draft.Add("system.txt", System(stack, stateDirectory, tendVersion));
        draft.Add("ports.txt", Ports());
    }

    private static string System(StackFile stack, string stateDirectory, string tendVersion)
    {
        var text = new StringBuilder();
        text.Append(CultureInfo.InvariantCulture, $"tend: {tendVersion} ({RuntimeInformation.FrameworkDescription})\n");
        text.Append(CultureInfo.InvariantCulture, $"host: {Environment.MachineName}\n");
        text.Append(CultureInfo.InvariantCulture, $"kernel: {Read("/proc/sys/kernel/ostype")} {Read("/proc/sys/kernel/osrelease")} {Read("/proc/sys/kernel/version")} {RuntimeInformation.OSArchitecture}\n");
        text.Append(CultureInfo.InvariantCulture, $"cpus: {Environment.ProcessorCount}\n");
        text.Append(CultureInfo.InvariantCulture, $"load: {Read("/proc/loadavg")}\n");
        text.Append(CultureInfo.InvariantCulture, $"uptime seconds: {Read("/proc/uptime").Split(' ')[0]}\n");

        text.Append("\n[memory] (/proc/meminfo)\n");
        foreach (var line in Lines("/proc/meminfo").Where(l => MemoryKeys.Any(k => l.StartsWith(k + ":", StringComparison.Ordinal))))
        {
            text.Append(line).Append('\n');
        }

        text.Append("\n[disk]\n");
        foreach (var (what, path) in new[] { ("state directory", stateDirectory), ("stack directory", stack.Directory) })
        {
            text.Append(CultureInfo.InvariantCulture, $"{what} {path}: {Disk(path)}\n");
        }

        text.Append("\n[os-release] (/etc/os-release)\n");
        foreach (var line in Lines("/etc/os-release"))
        {
            text.Append(line).Append('\n');
        }

        return text.ToString();
    }

    /// <summary>Space on the file system that holds <paramref name="path"/> (statvfs, through DriveInfo), or why it is unknown.</summary>
    private static string Disk(string path)
    {
        var existing = path;
        while (!Directory.Exists(existing) && Path.GetDirectoryName(existing) is { } parent)
        {
            existing = parent;
        }

        try
        {
            var drive = new DriveInfo(existing);
            var used = drive.TotalSize == 0 ? 0 : 100.0 * (drive.TotalSize - drive.TotalFreeSpace) / drive.TotalSize;
            return string.Create(CultureInfo.InvariantCulture, $"{drive.DriveFormat}, {Quantities.FormatSize(drive.AvailableFreeSpace)} available of {Quantities.FormatSize(drive.TotalSize)}, {used:0.#}% used");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException)
        {
            return $"unknown: {e.Message}";
        }
    }

    private static string Ports()
    {
        var text = new StringBuilder("listening TCP sockets, with the process that holds each (from /proc, as ss -ltnp)\n");
        var listeners = ProcNet.AllListeners();
        foreach (var listener in listeners.Take(MaxListeners))
        {
            var holder = ProcNet.FindHolder(listener.Inode);
            var who = holder is null
                ? string.Create(CultureInfo.InvariantCulture, $"uid {listener.Uid} (not visible to this user)")
                : string.Create(CultureInfo.InvariantCulture, $"pid {holder.Pid} ({holder.Program}): {holder.CommandLine}");
            var address = listener.Address.AddressFamily == global::System.Net.Sockets.AddressFamily.InterNetworkV6 ? $"[{listener.Address}]" : listener.Address.ToString();
            text.Append(CultureInfo.InvariantCulture, $"{address}:{listener.Port}  {who}\n");
        }

        if (listeners.Count > MaxListeners)
        {
            text.Append(CultureInfo.InvariantCulture, $"... and {listeners.Count - MaxListeners} more\n");
        }

        return text.ToString();
    }

    private static string Read(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static string[] Lines(string path)
    {
        try
        {
            return File.ReadAllLines(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"(cannot read {path}: {e.Message})"];
        }
    }
}
