using System.Text;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Rounds;

namespace Tend.Core.Tests.Rounds;

/// <summary>
/// The built-in rule sets against the lines an agent really prints: those of
/// <c>Tend.Dummy stream-json SCENARIO</c> (tests/Tend.Dummy/Commands/StreamJsonLines.cs), which
/// copies <c>claude -p --output-format stream-json --verbose</c>.
/// </summary>
public sealed class ClassifierPresetsSpecs
{
    private static readonly DateTimeOffset Now = new(2025, 12, 31, 20, 0, 0, TimeSpan.Zero);

    private const long NewYear = 1767225600;

    private const string Init = """{"type":"system","subtype":"init","cwd":"/work/agent","session_id":"00000000-0000-4000-8000-00000000d00d","model":"dummy-model","tools":["Bash","Read"],"permissionMode":"bypassPermissions"}""";

    private static string RateLimitEvent(long epoch) =>
        $$$"""{"type":"rate_limit_event","resets_at":{{{epoch}}},"rate_limit_info":{"status":"rejected","resetsAt":{{{epoch}}},"rateLimitType":"five_hour"},"session_id":"00000000-0000-4000-8000-00000000d00d"}""";

    /// <param name="text">The message, already escaped as JSON.</param>
    private static string Assistant(string text, string? error = null) => error is null
        ? $$$"""{"type":"assistant","message":{"id":"msg_dummy","type":"message","role":"assistant","model":"dummy-model","content":[{"type":"text","text":"{{{text}}}"}],"usage":{"input_tokens":12,"output_tokens":34}},"parent_tool_use_id":null,"session_id":"00000000-0000-4000-8000-00000000d00d"}"""
        : $$$"""{"type":"assistant","message":{"id":"msg_dummy","type":"message","role":"assistant","model":"<synthetic>","content":[{"type":"text","text":"{{{text}}}"}],"usage":{"input_tokens":12,"output_tokens":0}},"parent_tool_use_id":null,"session_id":"00000000-0000-4000-8000-00000000d00d","error":"{{{error}}}","is_api_error_message":true}""";

    /// <param name="text">The result, already escaped as JSON.</param>
    private static string Result(string text, int? status = null) => status is null
        ? $$$"""{"type":"result","subtype":"success","is_error":false,"duration_ms":1234,"duration_api_ms":1000,"num_turns":1,"result":"{{{text}}}","session_id":"00000000-0000-4000-8000-00000000d00d","total_cost_usd":0.0123,"usage":{"input_tokens":12,"output_tokens":34}}"""
        : $$$"""{"type":"result","subtype":"success","is_error":true,"api_error_status":{{{status}}},"duration_ms":1234,"duration_api_ms":1000,"num_turns":1,"result":"{{{text}}}","session_id":"00000000-0000-4000-8000-00000000d00d","total_cost_usd":0,"usage":{"input_tokens":12,"output_tokens":0}}""";

    private static string[] RateLimitScenario(long epoch) =>
    [
        Init,
        RateLimitEvent(epoch),
        Assistant($"Claude AI usage limit reached|{epoch}", "rate_limit"),
        Result($"Claude AI usage limit reached|{epoch}", 429),
    ];

    private const string ServerError = """API Error: 500 {\"type\":\"error\",\"error\":{\"type\":\"api_error\",\"message\":\"Internal server error\"}}""";

    private const string AuthError = """API Error: 401 {\"type\":\"error\",\"error\":{\"type\":\"authentication_error\",\"message\":\"invalid x-api-key\"}} · Please run /login""";

    private static RoundClassification? Classify(string preset, params string[] lines)
    {
        var classifier = new RoundClassifier(ClassifierPresets.Get(preset)!, new FakeTimeProvider(Now));
        foreach (var line in lines)
        {
            classifier.Observe(Encoding.UTF8.GetBytes(line));
        }

        return classifier.Result;
    }

    [Fact]
    public void Claude_hitting_its_usage_limit_waits_until_the_reset_time_of_the_rate_limit_event()
    {
        var result = Classify("claude", RateLimitScenario(NewYear))!;

        result.Bucket.ShouldBe(RoundBucket.RateLimitReset);
        result.ResetAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(NewYear));
        result.Rule.Origin.ShouldBe("preset claude[0]");
        result.Rule.Action.ShouldBe(RoundAction.BackOff);
        result.Line.ShouldStartWith("""{"type":"rate_limit_event",""");
    }

    [Fact]
    public void Claude_without_a_rate_limit_event_still_gives_the_reset_time_of_its_result_text()
    {
        var lines = RateLimitScenario(NewYear).Where(l => !l.Contains("rate_limit_event", StringComparison.Ordinal)).ToArray();

        var result = Classify("claude", lines)!;

        result.Bucket.ShouldBe(RoundBucket.RateLimitReset);
        result.ResetAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(NewYear));
        result.Rule.Origin.ShouldBe("preset claude[1]");
    }

    [Fact]
    public void Claude_with_a_reset_time_past_30_days_backs_off_as_a_plain_rate_limit()
    {
        var farAway = Now.AddDays(90).ToUnixTimeSeconds();

        var result = Classify("claude", RateLimitScenario(farAway))!;

        result.Bucket.ShouldBe(RoundBucket.RateLimit);
        result.ResetAt.ShouldBeNull();
        result.Rule.BackOffBase.ShouldBe(TimeSpan.FromSeconds(60));
    }

    [Fact]
    public void A_429_result_without_a_usage_limit_is_a_rate_limit()
    {
        var result = Classify("claude", Init, Assistant("API Error: 429 rate_limit_error", "rate_limit"), Result("API Error: 429 rate_limit_error", 429))!;

        result.Bucket.ShouldBe(RoundBucket.RateLimit);
        result.Line.ShouldStartWith("""{"type":"result",""");
    }

    [Fact]
    public void Claude_on_a_server_error_backs_off()
    {
        var result = Classify("claude", Init, Assistant(ServerError, "server_error"), Result(ServerError, 500))!;

        result.Bucket.ShouldBe(RoundBucket.ServerError);
        result.Rule.Action.ShouldBe(RoundAction.BackOff);
        result.Line.ShouldStartWith("""{"type":"result",""");
    }

    [Fact]
    public void Claude_with_refused_credentials_stops()
    {
        var result = Classify("claude", Init, Assistant(AuthError, "authentication_failed"), Result(AuthError, 401))!;

        result.Bucket.ShouldBe(RoundBucket.Auth);
        result.Rule.Action.ShouldBe(RoundAction.Stop);
        result.Line.ShouldStartWith("""{"type":"result",""");
    }

    [Fact]
    public void Words_the_agent_read_in_its_transcript_are_not_the_rounds_own_failure()
    {
        // A failed round whose agent ran tests that print ECONNREFUSED and read code about authentication_error.
        var transcript = Classify("claude", Init, Assistant("the test log says: connect ECONNREFUSED 127.0.0.1:5432; see authentication_error in auth.py"), Result("I could not fix it"));
        var onStderr = Classify("claude", Init, "Error: connect ECONNREFUSED 104.18.0.1:443");

        transcript.ShouldBeNull();
        onStderr!.Bucket.ShouldBe(RoundBucket.Network);
    }

    [Fact]
    public void A_claude_round_that_succeeded_has_no_classification() =>
        Classify("claude", Init, Assistant("Done: the task is complete."), Result("Done: the task is complete.")).ShouldBeNull();

    [Theory]
    [InlineData(401, RoundBucket.Auth)]
    [InlineData(403, RoundBucket.Auth)]
    [InlineData(408, RoundBucket.Timeout)]
    [InlineData(429, RoundBucket.RateLimit)]
    [InlineData(500, RoundBucket.ServerError)]
    [InlineData(502, RoundBucket.ServerError)]
    [InlineData(503, RoundBucket.ServerError)]
    [InlineData(504, RoundBucket.ServerError)]
    [InlineData(529, RoundBucket.ServerError)]
    public void Claude_results_are_classified_by_their_api_error_status(int status, RoundBucket bucket) =>
        Classify("claude", Result("failed", status))!.Bucket.ShouldBe(bucket);

    [Theory]
    [InlineData("Error: OAuth token has expired", RoundBucket.Auth)]
    [InlineData("Invalid API key · Please run /login", RoundBucket.Auth)]
    [InlineData("Error: connect ECONNREFUSED 127.0.0.1:443", RoundBucket.Network)]
    [InlineData("TypeError: fetch failed", RoundBucket.Network)]
    [InlineData("API Error: 503 upstream connect error", RoundBucket.ServerError)]
    [InlineData("""API Error: {"type":"error","error":{"type":"overloaded_error"}}""", RoundBucket.ServerError)]
    public void Claude_messages_without_a_result_are_classified_by_their_text(string line, RoundBucket bucket) =>
        Classify("claude", Init, line)!.Bucket.ShouldBe(bucket);

    [Theory]
    [InlineData("HTTP 429 Too Many Requests", RoundBucket.RateLimit)]
    [InlineData("error: rate limit exceeded, try later", RoundBucket.RateLimit)]
    [InlineData("request failed: 401 Unauthorized", RoundBucket.Auth)]
    [InlineData("Authentication failed for user bot", RoundBucket.Auth)]
    [InlineData("upstream said 502: server error", RoundBucket.ServerError)]
    [InlineData("503 Service Unavailable", RoundBucket.ServerError)]
    [InlineData("Error: connect ETIMEDOUT 10.0.0.1:443", RoundBucket.Network)]
    [InlineData("socket hang up", RoundBucket.Network)]
    [InlineData("the request timed out after 600s", RoundBucket.Timeout)]
    public void The_generic_rules_read_the_usual_words_of_any_cli(string line, RoundBucket bucket) =>
        Classify("generic", "starting", line)!.Bucket.ShouldBe(bucket);

    [Fact]
    public void The_generic_rules_leave_ordinary_output_alone() =>
        Classify("generic", "starting", "wrote 12 files", "done in 4.2s").ShouldBeNull();

    [Fact]
    public void Every_preset_is_found_by_its_name_and_an_unknown_name_finds_none()
    {
        ClassifierPresets.Names.ShouldBe(["claude", "generic"]);
        ClassifierPresets.Names.ShouldAllBe(name => ClassifierPresets.Get(name) != null && ClassifierPresets.Get(name)!.Count > 0);
        ClassifierPresets.Get("codex").ShouldBeNull();
    }

    [Fact]
    public void Preset_rules_take_the_default_action_and_back_off_of_their_bucket()
    {
        foreach (var rule in ClassifierPresets.Names.SelectMany(name => ClassifierPresets.Get(name)!))
        {
            rule.Action.ShouldBe(RoundBuckets.DefaultAction(rule.Bucket), rule.Origin);
            rule.BackOffBase.ShouldBe(RoundBuckets.DefaultBackOff(rule.Bucket), rule.Origin);
            rule.Location.ShouldBe(SourceLocation.None, "a preset rule was written in no stack file");
        }
    }
}
