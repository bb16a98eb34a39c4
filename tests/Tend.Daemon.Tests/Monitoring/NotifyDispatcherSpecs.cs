using System.Diagnostics;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Daemon.Monitoring.Notify;
using Tend.Daemon.Tests.Support;
using static Tend.Daemon.Tests.Monitoring.Support.Notifiers;

namespace Tend.Daemon.Tests.Monitoring;

/// <summary>The dispatcher as the daemon uses it: never in the way of supervision, a queue per notifier, severities, and `tend alerts test`.</summary>
public sealed class NotifyDispatcherSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task Post_returns_at_once_even_when_every_receiver_is_dead_and_the_failures_are_reported()
    {
        var dead = $"http://127.0.0.1:{LocalServer.FreePort()}/hook";
        var reports = new DeliveryReports();
        await using var dispatcher = new NotifyDispatcher(
            [Webhook(dead, name: "a", attempts: 1), Webhook(dead, name: "b", attempts: 1), Exec(["/bin/sh", "-c", "exit 1"], attempts: 1)],
            NoEnvironment,
            new FakeTimeProvider(),
            reports.Add);
        dispatcher.Post(Alert("m-0"));
        var clock = Stopwatch.StartNew();

        // After the first (which may pay for JIT compilation), as the daemon would post them.
        for (var i = 1; i < 20; i++)
        {
            dispatcher.Post(Alert($"m-{i}"));
        }

        clock.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(50));
        var first = await reports.NextAsync("a");
        first.ShouldBe(new DeliveryReport("a", NotifierKind.Webhook, "m-0", 1, Succeeded: false, Final: true, "connection refused", null));
        (await reports.NextAsync("b")).Reason.ShouldBe("connection refused");
    }

    [Fact(Timeout = 30_000)]
    public async Task Messages_below_a_notifiers_min_severity_are_not_sent_to_it()
    {
        await using var everything = new WebhookReceiver(200);
        await using var pager = new WebhookReceiver(200);
        var reports = new DeliveryReports();
        await using var dispatcher = new NotifyDispatcher(
            [Webhook(everything.Url, name: "everything"), Webhook(pager.Url, name: "pager", minSeverity: AlertSeverity.Critical)],
            NoEnvironment,
            new FakeTimeProvider(),
            reports.Add);

        dispatcher.Post(Alert("info", AlertSeverity.Info));
        dispatcher.Post(Alert("warning", AlertSeverity.Warning));
        dispatcher.Post(Alert("critical", AlertSeverity.Critical));
        var toPager = await reports.NextAsync("pager");
        for (var i = 0; i < 3; i++)
        {
            await everything.NextAsync();
        }

        // A queue keeps order: had the warning been queued for the pager, it would have come first.
        toPager.MessageId.ShouldBe("critical");
        pager.Requests.Select(r => r.Header("X-Tend-Delivery")).ShouldBe(["critical"]);
        everything.Requests.Select(r => r.Header("X-Tend-Delivery")).ShouldBe(["info", "warning", "critical"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_full_queue_drops_its_oldest_message_with_a_report_and_dispose_stops_a_delivery_that_hangs()
    {
        var receiver = WebhookReceiver.Hold();
        var reports = new DeliveryReports();
        var dispatcher = new NotifyDispatcher([Webhook(receiver.Url)], NoEnvironment, new FakeTimeProvider(), reports.Add);

        dispatcher.Post(Alert("in-flight"));
        (await receiver.NextAsync()).Header("X-Tend-Delivery").ShouldBe("in-flight");
        for (var i = 1; i <= 101; i++)
        {
            dispatcher.Post(Alert($"q-{i}"));
        }

        var dropped = await reports.NextAsync();
        var disposing = dispatcher.DisposeAsync().AsTask();
        (await Task.WhenAny(disposing, Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, TestContext.Current.CancellationToken))).ShouldBe(disposing);
        await receiver.DisposeAsync();

        dropped.ShouldBe(new DeliveryReport("hook", NotifierKind.Webhook, "q-1", 0, Succeeded: false, Final: true, "dropped: the queue was full (100 messages waiting)", null));
        dropped.Dropped.ShouldBeTrue();
        reports.All.ShouldHaveSingleItem();
        dispatcher.Post(Alert("after"));
    }

    [Fact(Timeout = 30_000)]
    public async Task SendTestAsync_sends_once_to_every_notifier_whatever_the_severity_and_returns_one_report_each()
    {
        await using var up = new WebhookReceiver(200);
        await using var failing = new WebhookReceiver(500, 200);
        using var directory = new TempDirectory();
        var file = Path.Combine(directory.Path, "got.json");
        var reports = new DeliveryReports();
        await using var dispatcher = new NotifyDispatcher(
            [
                Webhook(up.Url, name: "up", minSeverity: AlertSeverity.Critical),
                Webhook(failing.Url, name: "failing"),
                Exec(["/bin/sh", "-c", "cat > \"$0\"", file], name: "script", minSeverity: AlertSeverity.Critical),
                Exec(["/bin/sh", "-c", "echo broken >&2; exit 2"], name: "broken"),
            ],
            NoEnvironment,
            new FakeTimeProvider(),
            reports.Add);
        var message = Alert("test-1", AlertSeverity.Info);

        var results = await dispatcher.SendTestAsync(message, TestContext.Current.CancellationToken);

        results.Select(r => (r.Notifier, r.Succeeded, r.Reason)).ShouldBe([("up", true, "HTTP 200"), ("failing", false, "HTTP 500"), ("script", true, "exit 0"), ("broken", false, "exit 2: broken")]);
        results.ShouldAllBe(r => r.Attempt == 1 && r.Final && r.NextDelay == null && r.MessageId == "test-1");
        failing.Requests.Count.ShouldBe(1);
        File.ReadAllBytes(file).ShouldBe(message.Json);
        reports.All.ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task The_secret_never_appears_in_any_report()
    {
        const string secret = "hunter2-do-not-print-me";
        await using var ok = new WebhookReceiver(200);
        await using var failing = new WebhookReceiver(500);
        await using var refusing = new WebhookReceiver(401);
        var slow = WebhookReceiver.Hold();
        var reports = new DeliveryReports();
        var environment = (string name) => name == "SECRET" ? secret : null;
        await using var dispatcher = new NotifyDispatcher(
            [
                Webhook(ok.Url, name: "ok", secretEnv: "SECRET"),
                Webhook(failing.Url, name: "failing", secretEnv: "SECRET", attempts: 2),
                Webhook(refusing.Url, name: "refusing", secretEnv: "SECRET"),
                Webhook(slow.Url, name: "slow", secretEnv: "SECRET", timeout: TimeSpan.FromMilliseconds(200), attempts: 1),
                Webhook($"http://127.0.0.1:{LocalServer.FreePort()}/{secret}", name: "dead", secretEnv: "SECRET", attempts: 1),
                Webhook(ok.Url, name: "unset", secretEnv: "NOT_SET"),
            ],
            environment,
            TimeProvider.System,
            reports.Add);

        dispatcher.Post(Alert());
        var tested = await dispatcher.SendTestAsync(Alert("t"), TestContext.Current.CancellationToken);
        foreach (var name in new[] { "ok", "refusing", "slow", "dead", "unset" })
        {
            (await reports.NextAsync(name)).Final.ShouldBeTrue();
        }

        await slow.DisposeAsync();
        tested.Count.ShouldBe(6);
        reports.All.Concat(tested).ShouldAllBe(r => !r.ToString().Contains(secret) && !(r.Output ?? "").Contains(secret));
        reports.All.Concat(tested).Single(r => r.Notifier == "unset" && r.Attempt == 1 && r.MessageId == "t").Reason.ShouldContain("NOT_SET");
    }

    [Fact]
    public void The_back_off_doubles_from_one_second_up_to_a_minute()
    {
        Enumerable.Range(1, 9).Select(RetryDelay.After).Select(d => d.TotalSeconds).ShouldBe([1, 2, 4, 8, 16, 32, 60, 60, 60]);
    }
}
