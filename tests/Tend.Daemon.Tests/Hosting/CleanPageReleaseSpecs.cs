using System.IO.MemoryMappedFiles;
using Tend.Core.Tests.Support;
using Tend.Daemon.Hosting;

namespace Tend.Daemon.Tests.Hosting;

/// <summary>An idle daemon lets go of file pages it read once, and never of a page that differs from its file.</summary>
public sealed class CleanPageReleaseSpecs
{
    private const string Smaps = """
        00400000-00c00000 r-xp 00000000 08:01 42     /usr/bin/tend
        Rss:                9812 kB
        Anonymous:             0 kB
        00c00000-00d00000 r--p 00800000 08:01 42     /usr/bin/tend
        Rss:                 392 kB
        Anonymous:           392 kB
        00d00000-00e00000 rw-p 00900000 08:01 42     /usr/bin/tend
        Rss:                7428 kB
        Anonymous:           428 kB
        00e00000-00f00000 r--p 00a00000 08:01 42     /usr/bin/tend
        Rss:                   0 kB
        Anonymous:             0 kB
        01000000-01100000 rw-p 00000000 00:00 0      [heap]
        Rss:                 268 kB
        Anonymous:           268 kB
        7f0000000000-7f0000100000 r--p 00000000 08:01 43 /usr/lib/libold.so (deleted)
        Rss:                 100 kB
        Anonymous:             0 kB
        7f0000200000-7f0000300000 r--p 00000000 00:00 0
        Rss:                  16 kB
        Anonymous:             0 kB
        7fff00000000-7fff00002000 r-xp 00000000 00:00 0      [vdso]
        Rss:                   8 kB
        Anonymous:             0 kB
        7f0000400000-7f0000500000 r-xp 00000000 08:01 44     /usr/lib/x86_64-linux-gnu/libc.so.6
        Rss:                1112 kB
        Anonymous:             0 kB
        """;

    [Fact]
    public void Only_read_only_file_mappings_with_no_copied_page_and_something_resident_are_released()
    {
        var found = CleanPageRelease.Read(Smaps.Split('\n'));

        found.ShouldBe(
        [
            new CleanPageRelease.CleanMapping(0x00400000, 0x00c00000, 9812),
            new CleanPageRelease.CleanMapping(0x7f0000400000, 0x7f0000500000, 1112),
        ]);
    }

    [Fact]
    public void A_released_file_mapping_leaves_the_process_and_reads_the_same_bytes_again()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        using var directory = new TempDirectory();
        var path = Path.Combine(directory.Path, "pages.bin");
        var content = new byte[4 * 1024 * 1024];
        new Random(7).NextBytes(content);
        File.WriteAllBytes(path, content);

        using var file = MemoryMappedFile.CreateFromFile(path, FileMode.Open, null, 0, MemoryMappedFileAccess.Read);
        using var view = file.CreateViewAccessor(0, 0, MemoryMappedFileAccess.Read);
        long sum = 0;
        for (var offset = 0; offset < content.Length; offset += 4096)
        {
            sum += view.ReadByte(offset);
        }

        ResidentKbOf(path).ShouldBeGreaterThanOrEqualTo(4096, "every page was read");

        CleanPageRelease.Run().ShouldBeGreaterThanOrEqualTo(4096);

        ResidentKbOf(path).ShouldBe(0, "the pages left this process");
        var again = new byte[content.Length];
        view.ReadArray(0, again, 0, again.Length);
        again.ShouldBe(content, "a released page reads as its file says");
        sum.ShouldBeGreaterThan(0);
    }

    private static long ResidentKbOf(string path)
    {
        long resident = 0;
        var inside = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var fields = line.Split(' ', 6, StringSplitOptions.RemoveEmptyEntries);
            if (fields.Length >= 5 && !fields[0].EndsWith(':') && fields[0].Contains('-', StringComparison.Ordinal))
            {
                inside = fields.Length > 5 && fields[5].Trim() == path;
                continue;
            }

            if (inside && line.StartsWith("Rss:", StringComparison.Ordinal))
            {
                resident += long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);
            }
        }

        return resident;
    }
}
