using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Daemon.Monitoring.Notify;
using Tend.Daemon.Processes;
using Tend.Daemon.Tests.Support;
using static Tend.Daemon.Tests.Monitoring.Support.Notifiers;

namespace Tend.Daemon.Tests.Monitoring;

/// <summary>Exec notifiers as real processes: the alert on stdin, exit codes, output, a command that is missing or hangs.</summary>
public sealed class ExecNotifierSpecs
{
    private static NotifyDispatcher Dispatcher(NotifierSpec spec, DeliveryReports reports, TimeProvider? time = null) =>
        new([spec], NoEnvironment, time ?? new FakeTimeProvider(), reports.Add);

    [Fact(Timeout = 30_000)]
    public async Task The_command_reads_the_exact_json_on_stdin_then_end_of_file()
    {
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "alert.json");
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Exec(["/bin/sh", "-c", "cat > \"$0\"", file]), reports);
        var message = Alert("e-1");

        dispatcher.Post(message);
        var report = await reports.NextAsync();

        report.ShouldBe(new DeliveryReport("exec", NotifierKind.Exec, "e-1", 1, Succeeded: true, Final: true, "exit 0", null) { Output = "" });
        File.ReadAllBytes(file).ShouldBe(message.Json);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_failing_command_is_reported_with_its_exit_code_and_last_stderr_line_and_tried_again()
    {
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Exec(["/bin/sh", "-c", "cat > /dev/null; echo posting; echo 'first problem' >&2; echo 'no route to host' >&2; exit 3"]), reports);

        dispatcher.Post(Alert());
        var report = await reports.NextAsync();

        report.Succeeded.ShouldBeFalse();
        report.Reason.ShouldBe("exit 3: no route to host");
        report.Final.ShouldBeFalse();
        report.NextDelay.ShouldBe(TimeSpan.FromSeconds(1));
        report.Output.ShouldBe("first problem\nno route to host\nposting\n");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_command_that_is_not_found_is_final_at_once_with_a_clear_message()
    {
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Exec(["tend-no-such-notifier-command", "--flag"]), reports);

        dispatcher.Post(Alert());
        var report = await reports.NextAsync();

        report.Attempt.ShouldBe(1);
        report.Final.ShouldBeTrue();
        report.Succeeded.ShouldBeFalse();
        report.Reason.ShouldStartWith("tend-no-such-notifier-command: not found");
    }

    [Fact(Timeout = 30_000)]
    public async Task Output_kept_for_the_report_is_bounded()
    {
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Exec(["/bin/sh", "-c", "head -c 1000000 /dev/zero | tr '\\0' x; echo; echo last >&2; exit 1"], attempts: 1), reports);

        dispatcher.Post(Alert());
        var report = await reports.NextAsync();

        report.Reason.ShouldBe("exit 1: last");
        report.Output!.Length.ShouldBeLessThanOrEqualTo(2 * 4096);
        report.Output.ShouldStartWith("last\n");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_command_that_hangs_is_killed_with_its_whole_process_group_after_the_timeout()
    {
        using var directory = new TempDirectory();
        var pids = Path.Combine(directory.Path, "pids");
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(
            Exec(["/bin/sh", "-c", "sleep 60 & echo $$ $! > \"$0\"; sleep 60", pids], timeout: TimeSpan.FromMilliseconds(500)),
            reports,
            TimeProvider.System);
        var clock = Stopwatch.StartNew();

        var report = (await dispatcher.SendTestAsync(Alert(), TestContext.Current.CancellationToken)).ShouldHaveSingleItem();

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10));
        report.Succeeded.ShouldBeFalse();
        report.Reason.ShouldBe("timed out after 500ms, killed");
        var started = File.ReadAllText(pids).Split(' ', StringSplitOptions.TrimEntries).Select(int.Parse).ToList();
        started.Count.ShouldBe(2);
        foreach (var pid in started)
        {
            await WaitUntilAsync(() => ProcStat.Read(pid) is null or { IsZombie: true });
        }
    }

    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 100 && !condition(); i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        condition().ShouldBeTrue();
    }
}
