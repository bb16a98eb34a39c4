using Microsoft.Extensions.Time.Testing;
using Shouldly;
using Tend.Core.Tests.Support;
using Tend.Core.Model;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>Retries, timeouts, artifacts and budgets.</summary>
public sealed class LimitsSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_failing_step_is_retried_with_exponential_back_off_on_the_clock()
    {
        using var dir = new TempDirectory();
        var time = new FakeTimeProvider(new DateTimeOffset(2026, 11, 29, 12, 0, 0, TimeSpan.Zero));
        var step = Flow.Sh("flaky", "n=$(cat n 2>/dev/null || echo 0); n=$((n+1)); echo $n > n; [ $n -ge 3 ]") with
        {
            Retry = new RetryPolicy(3, Backoff.Exponential, TimeSpan.FromSeconds(10), [], []),
        };
        var delays = new List<TimeSpan>();

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step), time, t =>
        {
            if (t.RetryIn is { } delay)
            {
                delays.Add(delay);
                time.Advance(delay);
            }
        });

        record.State("flaky").ShouldBe(StepState.Succeeded);
        record.Find("flaky")!.Attempts.Count.ShouldBe(3);
        delays.ShouldBe([TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)]);
        var attempts = record.Find("flaky")!.Attempts;
        (attempts[2].Started - attempts[1].Started).ShouldBe(TimeSpan.FromSeconds(20));
    }

    [Fact(Timeout = 60_000)]
    public async Task Linear_back_off_grows_by_the_delay_and_only_listed_exit_codes_retry()
    {
        RetryDelay.After(new RetryPolicy(5, Backoff.Linear, TimeSpan.FromSeconds(2), [], []), 3).ShouldBe(TimeSpan.FromSeconds(6));
        using var dir = new TempDirectory();
        var step = Flow.Sh("s", "echo x >> tries; exit 4") with { Retry = new RetryPolicy(3, Backoff.Linear, TimeSpan.Zero, [75], []) };

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step));

        record.Find("s")!.Attempts.Count.ShouldBe(1, "exit 4 is not in on = [75]");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_transient_failure_class_is_retried_and_an_auth_failure_is_not()
    {
        using var dir = new TempDirectory();
        var transient = Flow.Sh("net", "echo x >> net.tries; echo 'Error: connect ECONNREFUSED 127.0.0.1:443' >&2; exit 1") with { Retry = new RetryPolicy(2, Backoff.Linear, TimeSpan.Zero, [], ["transient"]) };
        var auth = Flow.Sh("auth", "echo x >> auth.tries; echo '401 Unauthorized: invalid api key' >&2; exit 1") with { Retry = new RetryPolicy(2, Backoff.Linear, TimeSpan.Zero, [], ["transient"]), OnFail = OnFail.Continue };

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, transient with { OnFail = OnFail.Continue }, auth));

        record.Find("net")!.Attempts.Count.ShouldBe(3);
        record.Find("net")!.Attempts[0].Class.ShouldBe("network");
        record.Find("auth")!.Attempts.Count.ShouldBe(1);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_past_its_timeout_is_killed_with_its_group_and_fails_with_the_reason()
    {
        using var dir = new TempDirectory();
        var step = Flow.Sh("hang", "sleep 30 & echo $! > child.pid; wait") with { Timeout = TimeSpan.FromSeconds(1) };

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step));

        record.State("hang").ShouldBe(StepState.Failed);
        record.Find("hang")!.Reason.ShouldBe("timed out after 1s");
        var child = int.Parse(File.ReadAllText(Path.Combine(dir.Path, "child.pid")).Trim(), System.Globalization.CultureInfo.InvariantCulture);
        Alive(child).ShouldBeFalse("the grandchild died with the group");
    }

    // Dead or a zombie waiting for init to reap it.
    private static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[(stat.LastIndexOf(')') + 2)..][0] != 'Z';
        }
        catch (IOException)
        {
            return false;
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_schema_invalid_artifact_fails_its_step_with_the_json_pointer()
    {
        using var dir = new TempDirectory();
        dir.Write("lint.schema.json", """{"type":"array","items":{"type":"object","properties":{"line":{"type":"integer"}},"required":["line"]}}""");
        var step = Flow.Sh("lint", "mkdir -p artifacts; echo '[{\"line\": \"seven\"}]' > artifacts/lint.json; : > artifacts/empty.json") with
        {
            Emits = [new ArtifactSpec("artifacts/lint.json", "lint.schema.json"), new ArtifactSpec("artifacts/empty.json", null)],
        };

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step));

        record.State("lint").ShouldBe(StepState.Failed);
        record.Find("lint")!.Reason!.ShouldContain("artifacts/lint.json: /0/line:");
        record.Find("lint")!.Reason!.ShouldContain("artifacts/empty.json: empty");
        File.Exists(Path.Combine(dir.Path, "artifacts/empty.json")).ShouldBeFalse("an empty artifact of a failed step is removed");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_valid_artifact_is_recorded_with_its_size()
    {
        using var dir = new TempDirectory();
        dir.Write("s.json", """{"type":"object"}""");
        var step = Flow.Sh("w", "echo '{}' > out.json") with { Emits = [new ArtifactSpec("out.json", "s.json")] };

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step));

        record.State("w").ShouldBe(StepState.Succeeded);
        record.Find("w")!.Artifacts.ShouldBe([new Core.Workflows.Records.ArtifactRecord("out.json", 3)]);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_budget_overrun_stops_the_run_with_the_reason_and_omits_the_rest()
    {
        using var dir = new TempDirectory();
        var workflow = Flow.Of(dir,
            Flow.Sh("ai", "echo '{\"tokens_used\": 30000}'; echo '{\"tokens_used\": 21200}'; sleep 20"),
            Flow.Sh("reported", "echo '{\"tokens_used\": 0}' > \"$TEND_STEP_REPORT\""),
            Flow.Sh("after", "true", "ai")) with
        {
            Policy = WorkflowPolicy.Default with { MaxTokens = 50_000 },
        };

        var (record, _, _) = await Flow.RunAsync(dir, workflow);

        record.Outcome.ShouldBe(RunOutcome.Stopped);
        record.Reason.ShouldBe("budget: 51,200 tokens used, max_tokens 50,000");
        record.Tokens.ShouldBe(51_200);
        record.State("ai").ShouldBe(StepState.Failed, "killed mid-run");
        record.State("after").ShouldBe(StepState.Omitted);
    }
}
