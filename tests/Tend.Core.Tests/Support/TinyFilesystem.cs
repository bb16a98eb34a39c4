using System.Diagnostics;

namespace Tend.Core.Tests.Support;

/// <summary>
/// A real, small filesystem (tmpfs of a few hundred KiB) to fill up: ENOSPC from the kernel, not
/// from a fake. Mounted in a mount namespace of its own by <c>unshare -rm</c> (no root needed
/// where user namespaces are allowed), held open by a sleeping process, and reached from this
/// process through that process's root, <c>/proc/PID/root/...</c>. Ended by its PID.
/// </summary>
public sealed class TinyFilesystem : IDisposable
{
    private readonly Process _holder;
    private readonly TempDirectory _mountPoint;

    private TinyFilesystem(Process holder, TempDirectory mountPoint, string path)
    {
        _holder = holder;
        _mountPoint = mountPoint;
        Path = path;
    }

    /// <summary>The filesystem's root, as this process sees it.</summary>
    public string Path { get; }

    public static async Task<TinyFilesystem> MountAsync(int kibibytes)
    {
        var mountPoint = new TempDirectory();
        var info = new ProcessStartInfo("unshare")
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (var arg in (string[])["-rm", "sh", "-c", "mount -t tmpfs -o size=\"$1k\" tmpfs \"$2\" && echo mounted && exec sleep 3600", "sh", kibibytes.ToString(System.Globalization.CultureInfo.InvariantCulture), mountPoint.Path])
        {
            info.ArgumentList.Add(arg);
        }

        Process holder;
        try
        {
            holder = Process.Start(info)!;
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            mountPoint.Dispose();
            return Unavailable($"unshare cannot be run: {e.Message}");
        }

        var line = await holder.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        if (line != "mounted")
        {
            var error = await holder.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            holder.Kill();
            holder.Dispose();
            mountPoint.Dispose();
            return Unavailable($"a tmpfs cannot be mounted in a namespace of its own (unshare -rm): {error.Trim()}");
        }

        return new TinyFilesystem(holder, mountPoint, $"/proc/{holder.Id}/root{mountPoint.Path}");
    }

    /// <summary>Fills what is left of the filesystem with one file; removing it frees the space.</summary>
    public string Fill()
    {
        var filler = System.IO.Path.Combine(Path, "filler");
        using var stream = new FileStream(filler, FileMode.Append, FileAccess.Write, FileShare.None, bufferSize: 0);
        var page = new byte[4096];
        try
        {
            while (true)
            {
                stream.Write(page);
            }
        }
        catch (IOException)
        {
            // Full: what was wanted.
        }

        return filler;
    }

    public void Dispose()
    {
        // The mount goes with the namespace, and the namespace with its last process.
        if (!_holder.HasExited)
        {
            _holder.Kill();
            _holder.WaitForExit();
        }

        _holder.Dispose();
        _mountPoint.Dispose();
    }

    private static TinyFilesystem Unavailable(string why)
    {
        var message = $"{why}. The full-disk specs need a real small filesystem.";
        if (TestServers.UnderCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return null!;
    }
}
