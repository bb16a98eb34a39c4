using Microsoft.Extensions.Time.Testing;
using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Logs.Support;

namespace Tend.Daemon.Tests.Logs;

public sealed class RetentionSpecs
{
    private static byte[] Lines(int count, int width)
    {
        // Whole lines of a given width (with the newline), as a capture hands them to the files.
        var line = new string('x', width - 1) + "\n";
        return System.Text.Encoding.ASCII.GetBytes(string.Concat(Enumerable.Repeat(line, count)));
    }

    [Fact(Timeout = 10_000)]
    public void Only_the_newest_files_are_kept_and_the_live_one_is_never_deleted()
    {
        using var temp = new TempDirectory();
        var settings = new LogSettings { MaxFileBytes = 1024, KeepFiles = 3 };
        using var files = new RunLogFiles(temp.Path, 1, settings, new FakeTimeProvider());

        // 10 files' worth, in writes of 2.5 lines' worth each: rotation cuts inside writes.
        for (var i = 0; i < 40; i++)
        {
            files.Write(Lines(4, 64));
        }

        var kept = LogFileContent.Files(temp.Path);
        kept.Select(f => f.Name).ShouldBe(["run-000001.8.log", "run-000001.9.log", "run-000001.10.log"]);
        files.CurrentFile.ShouldBe(kept[^1].Path);
        LogFileContent.Current(temp.Path).ShouldBe(kept[^1].Path);
        kept.ShouldAllBe(f => f.Bytes <= 1024 && f.Bytes % 64 == 0);
        files.BytesLost.ShouldBe(0);
    }

    [Fact(Timeout = 10_000)]
    public void Retention_counts_files_across_runs_oldest_run_first()
    {
        using var temp = new TempDirectory();
        var settings = new LogSettings { MaxFileBytes = 1024, KeepFiles = 4 };
        foreach (var run in new[] { 1, 2, 3 })
        {
            using var files = new RunLogFiles(temp.Path, run, settings, new FakeTimeProvider());
            files.Open();
            files.Write(Lines(20, 64)); // 1280 bytes: two files a run
        }

        LogFileContent.Files(temp.Path).Select(f => f.Name).ShouldBe(["run-000002.log", "run-000002.2.log", "run-000003.log", "run-000003.2.log"]);
    }

    [Fact(Timeout = 10_000)]
    public void With_one_file_kept_the_live_file_survives_its_own_retention()
    {
        using var temp = new TempDirectory();
        var settings = new LogSettings { MaxFileBytes = 1024, KeepFiles = 1 };
        using var files = new RunLogFiles(temp.Path, 1, settings, new FakeTimeProvider());

        files.Write(Lines(50, 64));

        LogFileContent.Files(temp.Path).Select(f => f.Name).ShouldBe(["run-000001.4.log"]);
        File.Exists(files.CurrentFile).ShouldBeTrue();
    }

    [Fact(Timeout = 10_000)]
    public void A_file_left_with_the_same_run_number_is_never_written_over()
    {
        using var temp = new TempDirectory();
        File.WriteAllText(Path.Combine(temp.Path, "run-000001.log"), "from an earlier daemon\n");
        using var files = new RunLogFiles(temp.Path, 1, LogSettings.Default, new FakeTimeProvider());

        files.Write(Lines(1, 10));

        File.ReadAllText(Path.Combine(temp.Path, "run-000001.log")).ShouldBe("from an earlier daemon\n");
        Path.GetFileName(files.CurrentFile).ShouldBe("run-000001.2.log");
    }

    [Fact(Timeout = 10_000)]
    public void A_single_line_bigger_than_a_file_goes_alone_into_its_own_file()
    {
        using var temp = new TempDirectory();
        using var files = new RunLogFiles(temp.Path, 1, new LogSettings { MaxFileBytes = 1024 }, new FakeTimeProvider());

        files.Write([.. Lines(1, 100), .. Lines(1, 3000), .. Lines(1, 100)]);

        LogFileContent.Files(temp.Path).Select(f => f.Bytes).ShouldBe([100L, 3000L, 100L]);
    }

    [Fact(Timeout = 10_000)]
    public void A_run_that_rotates_after_a_newer_run_started_leaves_current_log_with_the_newer_run()
    {
        using var temp = new TempDirectory();
        var settings = new LogSettings { MaxFileBytes = 1024 };
        using var old = new RunLogFiles(temp.Path, 1, settings, new FakeTimeProvider());
        old.Open();
        using var newer = new RunLogFiles(temp.Path, 2, settings, new FakeTimeProvider());
        newer.Open();

        old.Write(Lines(40, 64)); // still draining: rotates into run-000001.2.log, .3.log

        LogFileContent.Current(temp.Path).ShouldBe(newer.CurrentFile);
    }
}
