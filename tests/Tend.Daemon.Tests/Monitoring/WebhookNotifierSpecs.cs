using System.Security.Cryptography;
using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Daemon.Monitoring.Notify;
using Tend.Daemon.Tests.Monitoring.Support;
using Tend.Daemon.Tests.Support;
using static Tend.Daemon.Tests.Monitoring.Support.Notifiers;

namespace Tend.Daemon.Tests.Monitoring;

/// <summary>Webhooks against a real HTTP receiver on loopback: what is sent, how it is signed, and which answers are tried again.</summary>
public sealed class WebhookNotifierSpecs
{
    private const string Secret = "s3cr3t-hmac-key-Ω";

    private static Func<string, string?> SecretIn(string variable) => name => name == variable ? Secret : null;

    private static NotifyDispatcher Dispatcher(NotifierSpec spec, DeliveryReports reports, TimeProvider? time = null, Func<string, string?>? environment = null) =>
        new([spec], environment ?? NoEnvironment, time ?? new FakeTimeProvider(), reports.Add);

    [Fact(Timeout = 30_000)]
    public async Task A_signed_webhook_posts_the_exact_body_with_a_signature_the_receiver_can_verify()
    {
        await using var receiver = new WebhookReceiver(200);
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url, secretEnv: "HOOK_SECRET"), reports, environment: SecretIn("HOOK_SECRET"));
        var message = Alert("d-42");

        dispatcher.Post(message);
        var request = await receiver.NextAsync();
        var report = await reports.NextAsync();

        request.Method.ShouldBe("POST");
        request.Body.ShouldBe(message.Json);
        request.Header("Content-Type").ShouldBe("application/json");
        request.Header("User-Agent").ShouldBe("tend");
        request.Header("X-Tend-Delivery").ShouldBe("d-42");
        var expected = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(Secret), request.Body));
        request.Header("X-Tend-Signature-256").ShouldBe(expected);
        var otherKey = "sha256=" + Convert.ToHexStringLower(HMACSHA256.HashData("another key"u8, request.Body));
        request.Header("X-Tend-Signature-256").ShouldNotBe(otherKey);
        report.ShouldBe(new DeliveryReport("hook", NotifierKind.Webhook, "d-42", 1, Succeeded: true, Final: true, "HTTP 200", null));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_webhook_without_a_secret_is_sent_unsigned()
    {
        await using var receiver = new WebhookReceiver(204);
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url), reports);

        dispatcher.Post(Alert());
        var request = await receiver.NextAsync();

        request.Headers.ContainsKey("X-Tend-Signature-256").ShouldBeFalse();
        (await reports.NextAsync()).Succeeded.ShouldBeTrue();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_secret_fails_by_the_variable_name_and_nothing_is_sent_unsigned()
    {
        await using var receiver = new WebhookReceiver(200);
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url, secretEnv: "HOOK_SECRET"), reports, environment: name => name == "HOOK_SECRET" ? "" : null);

        dispatcher.Post(Alert());
        var report = await reports.NextAsync();

        report.Succeeded.ShouldBeFalse();
        report.Final.ShouldBeTrue();
        report.Attempt.ShouldBe(1);
        report.Reason.ShouldContain("HOOK_SECRET");
        receiver.Requests.ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_receiver_answering_500_then_200_gets_the_message_on_the_second_attempt()
    {
        await using var receiver = new WebhookReceiver(500, 200);
        var reports = new DeliveryReports();
        var time = new FakeTimeProvider();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url), reports, time);

        dispatcher.Post(Alert("r-1"));
        var first = await reports.NextAsync();
        time.Advance(first.NextDelay!.Value);
        var second = await reports.NextAsync();

        first.ShouldBe(new DeliveryReport("hook", NotifierKind.Webhook, "r-1", 1, Succeeded: false, Final: false, "HTTP 500", TimeSpan.FromSeconds(1)));
        second.ShouldBe(new DeliveryReport("hook", NotifierKind.Webhook, "r-1", 2, Succeeded: true, Final: true, "HTTP 200", null));
        receiver.Requests.Select(r => r.Header("X-Tend-Delivery")).ShouldBe(["r-1", "r-1"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_retry_waits_for_the_back_off_on_the_clock()
    {
        await using var receiver = new WebhookReceiver(503, 200);
        var reports = new DeliveryReports();
        var time = new FakeTimeProvider();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url), reports, time);

        dispatcher.Post(Alert());
        await reports.NextAsync();
        time.Advance(TimeSpan.FromMilliseconds(999));
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System, TestContext.Current.CancellationToken);

        receiver.Requests.Count.ShouldBe(1);
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await reports.NextAsync()).Succeeded.ShouldBeTrue();
    }

    [Theory(Timeout = 30_000)]
    [InlineData(429)]
    [InlineData(408)]
    [InlineData(502)]
    public async Task Too_many_requests_a_request_timeout_and_5xx_are_tried_again(int status)
    {
        await using var receiver = new WebhookReceiver(status, 200);
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url), reports);

        dispatcher.Post(Alert());
        var first = await reports.NextAsync();

        first.Reason.ShouldBe($"HTTP {status}");
        first.Final.ShouldBeFalse();
        first.NextDelay.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Theory(Timeout = 30_000)]
    [InlineData(400)]
    [InlineData(404)]
    [InlineData(301)]
    public async Task A_4xx_or_a_redirect_is_final_and_not_retried(int status)
    {
        await using var receiver = new WebhookReceiver(status, 200);
        var reports = new DeliveryReports();
        var time = new FakeTimeProvider();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url), reports, time);

        dispatcher.Post(Alert("bad"));
        var report = await reports.NextAsync();
        time.Advance(TimeSpan.FromMinutes(5));
        dispatcher.Post(Alert("next"));
        var next = await reports.NextAsync();

        report.ShouldBe(new DeliveryReport("hook", NotifierKind.Webhook, "bad", 1, Succeeded: false, Final: true, $"HTTP {status}", null));
        next.MessageId.ShouldBe("next");
        receiver.Requests.Select(r => r.Header("X-Tend-Delivery")).ShouldBe(["bad", "next"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_receiver_that_does_not_answer_in_time_is_a_timeout_worth_another_try()
    {
        await using var receiver = WebhookReceiver.Hold();
        var reports = new DeliveryReports();
        await using var dispatcher = Dispatcher(Webhook(receiver.Url, timeout: TimeSpan.FromMilliseconds(300), attempts: 2), reports, TimeProvider.System);

        dispatcher.Post(Alert());
        var report = await reports.NextAsync();

        report.Reason.ShouldBe("timed out after 300ms");
        report.NextDelay.ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_dead_receiver_fails_with_connection_refused_and_backs_off_1_2_4_seconds_until_the_attempts_run_out()
    {
        var reports = new DeliveryReports();
        var time = new FakeTimeProvider();
        await using var dispatcher = Dispatcher(Webhook($"http://127.0.0.1:{LocalServer.FreePort()}/hook", attempts: 4), reports, time);

        dispatcher.Post(Alert());
        var seen = new List<DeliveryReport>();
        for (var i = 0; i < 4; i++)
        {
            var report = await reports.NextAsync();
            seen.Add(report);
            if (report.NextDelay is { } delay)
            {
                time.Advance(delay);
            }
        }

        seen.Select(r => r.Attempt).ShouldBe([1, 2, 3, 4]);
        seen.ShouldAllBe(r => r.Reason == "connection refused" && !r.Succeeded);
        seen.Select(r => r.NextDelay).ShouldBe([TimeSpan.FromSeconds(1), TimeSpan.FromSeconds(2), TimeSpan.FromSeconds(4), null]);
        seen[^1].GaveUp.ShouldBeTrue();
    }
}
