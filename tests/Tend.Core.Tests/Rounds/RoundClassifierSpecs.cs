using System.Text;
using System.Text.RegularExpressions;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Rounds;

namespace Tend.Core.Tests.Rounds;

public sealed class RoundClassifierSpecs
{
    private static readonly DateTimeOffset Now = new(2025, 12, 31, 20, 0, 0, TimeSpan.Zero);

    private static ClassifyRule Regex(RoundBucket bucket, string pattern, string origin = "test") =>
        new(bucket, ClassifyRule.Compile(pattern), [], null, RoundBuckets.DefaultAction(bucket), RoundBuckets.DefaultBackOff(bucket), origin);

    private static ClassifyRule Json(RoundBucket bucket, string path, string expected, string? resetAt = null, string? pattern = null, string origin = "test") =>
        new(bucket, pattern is null ? null : ClassifyRule.Compile(pattern), [new JsonCondition(path, expected)], resetAt, RoundBuckets.DefaultAction(bucket), RoundBuckets.DefaultBackOff(bucket), origin);

    private static RoundClassification? Classify(IReadOnlyList<ClassifyRule> rules, params string[] lines)
    {
        var classifier = new RoundClassifier(rules, new FakeTimeProvider(Now));
        foreach (var line in lines)
        {
            classifier.Observe(Encoding.UTF8.GetBytes(line));
        }

        return classifier.Result;
    }

    [Fact]
    public void A_round_whose_output_matches_no_rule_has_no_classification() =>
        Classify([Regex(RoundBucket.Auth, "denied")], "all good", "done").ShouldBeNull();

    [Fact]
    public void The_rule_first_in_the_list_decides_even_when_a_later_rule_matched_an_earlier_line()
    {
        var specific = Regex(RoundBucket.Auth, "invalid x-api-key", "specific");
        var generic = Regex(RoundBucket.ServerError, "API Error", "generic");

        var result = Classify([specific, generic], "API Error: 500 retrying", "API Error: 401 invalid x-api-key", "API Error: 500 again")!;

        result.Rule.Origin.ShouldBe("specific");
        result.Bucket.ShouldBe(RoundBucket.Auth);
        result.Line.ShouldBe("API Error: 401 invalid x-api-key");
    }

    [Fact]
    public void The_line_shown_is_the_first_the_deciding_rule_matched()
    {
        var result = Classify([Regex(RoundBucket.Network, "ECONNRESET")], "first ECONNRESET", "second ECONNRESET")!;

        result.Line.ShouldBe("first ECONNRESET");
    }

    [Fact]
    public void A_rule_with_a_regex_and_json_needs_both_on_the_same_line()
    {
        var rule = Json(RoundBucket.RateLimit, "type", "result", pattern: "limit");

        Classify([rule], """{"type":"result","result":"ok"}""", """{"type":"assistant","text":"limit"}""").ShouldBeNull();
        Classify([rule], """{"type":"result","result":"limit"}""").ShouldNotBeNull();
    }

    [Fact]
    public void Every_json_condition_of_a_rule_must_hold()
    {
        var rule = new ClassifyRule(
            RoundBucket.RateLimit, null, [new JsonCondition("type", "result"), new JsonCondition("api_error_status", "429")], null, RoundAction.BackOff, TimeSpan.FromMinutes(1), "test");

        Classify([rule], """{"type":"result","api_error_status":500}""", """{"type":"assistant","api_error_status":429}""").ShouldBeNull();
        Classify([rule], """{"type":"result","api_error_status":429}""").ShouldNotBeNull();
    }

    [Theory]
    [InlineData("""{"type":"result""")]
    [InlineData("""{not json at all}""")]
    [InlineData("""["type","result"]""")]
    [InlineData("""type: result""")]
    [InlineData("")]
    public void A_line_that_is_not_a_json_object_matches_no_json_rule(string line) =>
        Classify([Json(RoundBucket.Auth, "type", "result")], line).ShouldBeNull();

    [Fact]
    public void A_json_line_may_start_with_blanks_and_end_with_a_carriage_return() =>
        Classify([Json(RoundBucket.Auth, "type", "result", pattern: "result\"}$")], "  \t{\"type\":\"result\"}\r").ShouldNotBeNull();

    [Fact]
    public void A_reset_time_comes_from_the_json_path_of_the_rule()
    {
        var rule = Json(RoundBucket.RateLimitReset, "type", "rate_limit_event", resetAt: "info.resetsAt");

        var result = Classify([rule], """{"type":"rate_limit_event","info":{"resetsAt":1767225600000}}""")!;

        result.Bucket.ShouldBe(RoundBucket.RateLimitReset);
        result.ResetAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_reset_time_comes_from_the_reset_group_of_the_regex()
    {
        var result = Classify([Regex(RoundBucket.RateLimitReset, @"limit reached\|(?<reset>\d+)")], "Claude AI usage limit reached|1767225600")!;

        result.ResetAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void The_latest_reset_time_among_the_matched_lines_wins()
    {
        var rule = Regex(RoundBucket.RateLimitReset, @"reset at (?<reset>\S+)");

        var result = Classify([rule], "reset at 1767225600", "reset at 1767229200", "reset at garbage", "reset at 1767222000")!;

        result.ResetAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 1, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void Reset_times_of_lines_matched_only_by_rules_that_did_not_decide_are_ignored()
    {
        var first = Regex(RoundBucket.RateLimitReset, @"hard limit, reset (?<reset>\d+)");
        var second = Regex(RoundBucket.RateLimitReset, @"soft limit, reset (?<reset>\d+)");

        var result = Classify([first, second], "soft limit, reset 1767229200", "hard limit, reset 1767225600")!;

        result.ResetAt.ShouldBe(new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero));
    }

    [Fact]
    public void A_reset_limit_without_a_readable_time_falls_back_to_a_plain_rate_limit()
    {
        var rule = Regex(RoundBucket.RateLimitReset, @"limit reached\|(?<reset>\d+)");

        var result = Classify([rule], "usage limit reached|12")!;

        result.Rule.ShouldBe(rule);
        result.Bucket.ShouldBe(RoundBucket.RateLimit);
        result.ResetAt.ShouldBeNull();
    }

    [Fact]
    public void The_line_shown_is_cut_to_300_characters_without_splitting_a_character()
    {
        var result = Classify([Regex(RoundBucket.Auth, "denied")], "denied " + new string('x', 292) + "😀 and more")!;

        result.Line.Length.ShouldBe(299);
        result.Line.ShouldEndWith("x");
    }

    [Fact]
    public void Only_the_first_64_KiB_of_a_line_are_looked_at()
    {
        var rule = Regex(RoundBucket.Auth, "denied");
        var padding = new string('x', RoundClassifier.MaxLineBytes - "denied".Length);

        Classify([rule], padding + "denied").ShouldNotBeNull();
        Classify([rule], padding + "xdenied").ShouldBeNull();
    }

    [Fact(Timeout = 10_000)]
    public void A_regex_that_runs_too_long_does_not_match_and_the_next_rule_still_can()
    {
        var slow = Regex(RoundBucket.Auth, "^(a|aa)+$", "slow");
        var next = Regex(RoundBucket.Network, "a!", "next");
        var line = new string('a', 64) + "!";
        Should.Throw<RegexMatchTimeoutException>(() => slow.Match!.IsMatch(line));

        var result = Classify([slow, next], line)!;

        result.Rule.Origin.ShouldBe("next");
    }

    [Fact]
    public void A_rule_with_neither_a_regex_nor_json_conditions_is_refused() =>
        Should.Throw<ArgumentException>(() => new RoundClassifier(
            [new ClassifyRule(RoundBucket.Auth, null, [], null, RoundAction.Stop, TimeSpan.FromMinutes(1), "empty")], TimeProvider.System));

    [Fact(Timeout = 30_000)]
    public async Task Lines_from_stdout_and_stderr_at_once_still_give_the_first_rule_and_the_latest_reset()
    {
        var rules = new[]
        {
            Regex(RoundBucket.RateLimitReset, @"limit, reset (?<reset>\d+)", "limit"),
            Regex(RoundBucket.ServerError, "API Error: 5", "server"),
        };
        var classifier = new RoundClassifier(rules, new FakeTimeProvider(Now));
        var latest = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero).ToUnixTimeSeconds() + 1999;

        void Feed(int offset)
        {
            for (var i = 0; i < 2000; i++)
            {
                var line = i % 2 == 0 ? "API Error: 500" : $"limit, reset {latest - 1999 + ((i + offset) % 2000)}";
                classifier.Observe(Encoding.UTF8.GetBytes(line));
            }
        }

        await Task.WhenAll(Task.Run(() => Feed(0), TestContext.Current.CancellationToken), Task.Run(() => Feed(1), TestContext.Current.CancellationToken));

        var result = classifier.Result!;
        result.Rule.Origin.ShouldBe("limit");
        result.ResetAt.ShouldBe(DateTimeOffset.FromUnixTimeSeconds(latest));
    }
}
