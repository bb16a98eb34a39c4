using System.Diagnostics;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

/// <summary>supervisord #629 (crashed on a missing log directory) and its tracebacks on a full disk: here the run goes on, the loss is counted and marked.</summary>
public sealed class WriteFailureSpecs
{
    private const string LostMarker = "[tend: lost ";

    private static byte[] Line(int number) => Encoding.ASCII.GetBytes($"2026-11-23T12:03:11.123Z o line {number:D6}\n");

    private static byte[] Lines(int from, int count) => [.. Enumerable.Range(from, count).SelectMany(Line)];

    [Fact(Timeout = 10_000)]
    public async Task A_missing_log_directory_is_created_private_to_the_user()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "state", "logs", "api");
        var capture = new RunLogCapture(directory, 3);

        await capture.CaptureAsync(new MemoryStream("hello\n"u8.ToArray()), Stream.Null, TestContext.Current.CancellationToken);

        LogFileContent.Lines(directory).Single().Text.ShouldBe("hello");
        File.GetUnixFileMode(directory).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        File.GetUnixFileMode(Path.Combine(directory, "run-000003.log")).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact(Timeout = 10_000)]
    public void A_directory_deleted_mid_run_is_created_again_and_the_run_goes_on_in_a_new_file()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var time = new FakeTimeProvider();
        using var files = new RunLogFiles(directory, 1, LogSettings.Default, time);
        files.Write(Lines(1, 10));

        Directory.Delete(directory, recursive: true);
        time.Advance(LogSettings.Default.ExistenceCheckInterval);
        files.Write(Lines(11, 10));

        var kept = LogFileContent.Files(directory);
        kept.Select(f => f.Name).ShouldBe(["run-000001.2.log"]);
        LogFileContent.Lines(directory).Select(l => l.Text).ShouldBe(Enumerable.Range(11, 10).Select(n => $"line {n:D6}"));
        LogFileContent.Current(directory).ShouldBe(kept[0].Path);
        files.BytesLost.ShouldBe(0);
    }

    [Fact(Timeout = 10_000)]
    public void A_directory_that_cannot_be_created_loses_output_without_throwing_and_a_marker_says_so_once_it_can()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var time = new FakeTimeProvider();
        using var files = new RunLogFiles(directory, 1, LogSettings.Default, time);
        files.Write(Lines(1, 5));
        Directory.Delete(directory, recursive: true);
        // A file where the directory should be: even root cannot create the directory or a file in it.
        File.WriteAllText(directory, "in the way");
        time.Advance(LogSettings.Default.ExistenceCheckInterval);

        files.Write(Lines(6, 5));
        files.Write(Lines(11, 5)); // within the retry interval: counted, not attempted

        files.BytesLost.ShouldBe(Lines(6, 10).Length);
        files.LastError.ShouldNotBeNull();

        File.Delete(directory);
        time.Advance(LogSettings.Default.RetryInterval);
        files.Write(Lines(16, 5));

        var lines = LogFileContent.Lines(directory);
        lines[0].Stream.ShouldBe(LogStream.Tend);
        lines[0].Text.ShouldStartWith($"{LostMarker}{Lines(6, 10).Length} bytes of log: writing failed: ");
        lines.Skip(1).Select(l => l.Text).ShouldBe(Enumerable.Range(16, 5).Select(n => $"line {n:D6}"));
    }

    [Fact(Timeout = 10_000)]
    public void A_read_only_directory_at_rotation_loses_output_without_throwing()
    {
        using var temp = new TempDirectory();
        var directory = Path.Combine(temp.Path, "api");
        var time = new FakeTimeProvider();
        var settings = new LogSettings { MaxFileBytes = 1024 };
        using var files = new RunLogFiles(directory, 1, settings, time);
        files.Write(Lines(1, 10));
        using var readOnly = ReadOnlyDirectory.Make(directory);

        files.Write(Lines(11, 40)); // needs a second file, which cannot be created

        files.BytesLost.ShouldBeGreaterThan(0);
        files.LastError.ShouldNotBeNull();
        readOnly.Dispose();
        time.Advance(settings.RetryInterval);
        files.Write(Lines(51, 1));

        var lines = LogFileContent.Lines(directory);
        lines.ShouldContain(l => l.Stream == LogStream.Tend && l.Text.StartsWith(LostMarker, StringComparison.Ordinal));
        lines[^1].Text.ShouldBe("line 000051");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_full_disk_loses_output_at_line_boundaries_and_the_child_runs_to_its_end()
    {
        using var temp = new TempDirectory();
        using var disk = SmallDisk.Mount(Path.Combine(temp.Path, "disk"), "1m");
        var directory = Path.Combine(disk.Path, "api");
        var capture = new RunLogCapture(directory, 1);

        var run = await ChildCapture.RunAsync(capture, ["flood", "5000000"], cancellationToken: TestContext.Current.CancellationToken);

        run.ExitCode.ShouldBe(0);
        run.Stats.BytesRead.ShouldBe(5_000_000);
        run.Stats.BytesLost.ShouldBeGreaterThan(0);
        run.Stats.LastError.ShouldNotBeNull();
        // Every line in the file is whole: a write cut short by the full disk was taken back.
        LogFileContent.Lines(directory).ShouldAllBe(l => l.Stream == LogStream.Out && l.Text.Length == 99);
    }

    [Fact(Timeout = 30_000)]
    public void Once_a_full_disk_has_room_again_a_marker_tells_how_much_was_lost()
    {
        using var temp = new TempDirectory();
        using var disk = SmallDisk.Mount(Path.Combine(temp.Path, "disk"), "256k");
        var ballast = Path.Combine(disk.Path, "ballast");
        File.WriteAllBytes(ballast, new byte[128 * 1024]);
        var directory = Path.Combine(disk.Path, "api");
        var time = new FakeTimeProvider();
        using var files = new RunLogFiles(directory, 1, LogSettings.Default, time);

        for (var i = 0; i < 100; i++)
        {
            files.Write(Lines(i * 100, 100));
            time.Advance(LogSettings.Default.RetryInterval);
        }

        files.BytesLost.ShouldBeGreaterThan(0);
        File.Delete(ballast);
        files.Write(Lines(10_000, 1));

        var lines = LogFileContent.Lines(directory);
        lines.ShouldAllBe(l => l.Stream != LogStream.Unknown);
        lines[^2].Text.ShouldStartWith(LostMarker);
        lines[^2].Text.ShouldContain("No space left on device");
        lines[^1].Text.ShouldBe("line 010000");
        // A disk that frees a little between failures gets a marker each time; together they count every byte.
        lines.Where(l => l.Stream == LogStream.Tend).Sum(l => long.Parse(l.Text.Split(' ')[2], System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(files.BytesLost);
    }

    /// <summary>A directory nobody can write into, root included (chattr +i), or skip.</summary>
    private sealed class ReadOnlyDirectory : IDisposable
    {
        private readonly string _path;
        private bool _immutable;

        private ReadOnlyDirectory(string path)
        {
            _path = path;
        }

        public static ReadOnlyDirectory Make(string path)
        {
            var made = new ReadOnlyDirectory(path);
            File.SetUnixFileMode(path, UnixFileMode.UserRead | UnixFileMode.UserExecute);
            if (CanCreateIn(path))
            {
                // Root ignores modes; the immutable attribute stops it.
                made._immutable = Run("chattr", "+i", path) && !CanCreateIn(path);
                if (!made._immutable)
                {
                    made.Dispose();
                    Assert.Skip("cannot make a directory read-only here (root without chattr)");
                }
            }

            return made;
        }

        public void Dispose()
        {
            if (_immutable)
            {
                Run("chattr", "-i", _path);
                _immutable = false;
            }

            File.SetUnixFileMode(_path, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }

        private static bool CanCreateIn(string path)
        {
            var probe = Path.Combine(path, ".probe");
            try
            {
                File.WriteAllText(probe, "");
                File.Delete(probe);
                return true;
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return false;
            }
        }

        public static bool Run(string program, params string[] args)
        {
            try
            {
                var info = new ProcessStartInfo(program) { RedirectStandardError = true, RedirectStandardOutput = true };
                foreach (var arg in args)
                {
                    info.ArgumentList.Add(arg);
                }

                using var process = Process.Start(info)!;
                process.WaitForExit();
                return process.ExitCode == 0;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }

    /// <summary>A tmpfs of a few hundred kilobytes: a really full disk. Needs root; skips otherwise.</summary>
    private sealed class SmallDisk : IDisposable
    {
        private SmallDisk(string path)
        {
            Path = path;
        }

        public string Path { get; }

        public static SmallDisk Mount(string path, string size)
        {
            Directory.CreateDirectory(path);
            if (!ReadOnlyDirectory.Run("mount", "-t", "tmpfs", "-o", $"size={size}", "tmpfs", path))
            {
                Assert.Skip("cannot mount a small tmpfs here (needs root)");
            }

            return new SmallDisk(path);
        }

        public void Dispose() => ReadOnlyDirectory.Run("umount", "-l", Path);
    }
}
