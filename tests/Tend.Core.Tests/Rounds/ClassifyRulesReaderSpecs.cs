using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Tests.Rounds;

/// <summary><c>[[components.NAME.classify]]</c> as a stack file writes it, with every mistake at its place.</summary>
public sealed class ClassifyRulesReaderSpecs
{
    private static (IReadOnlyList<ClassifyRule> Rules, ConfigProblems Problems) Read(string toml)
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse(toml, "tend.toml", problems);
        root.ShouldNotBeNull(string.Join("; ", problems.Items));
        root.TryGet("components", out var components).ShouldBeTrue();
        ((TomlTableNode)components.Value).TryGet("agent", out var agent).ShouldBeTrue();
        var reader = new TableReader((TomlTableNode)agent.Value, "components.agent", new ReadContext(problems, Interpolation.None, "/tmp"));

        var rules = ClassifyRulesReader.Read(reader);
        return (rules, problems);
    }

    private static ConfigProblem SingleError(ConfigProblems problems) => problems.Items.Where(p => p.IsError).ShouldHaveSingleItem();

    [Fact]
    public void A_component_without_classify_rules_has_none()
    {
        var (rules, problems) = Read("""
            [components.agent]
            command = ["claude"]
            """);

        rules.ShouldBeEmpty();
        problems.Items.ShouldBeEmpty();
    }

    [Fact]
    public void Rules_are_read_in_order_with_every_key()
    {
        var (rules, problems) = Read("""
            [components.agent]
            command = ["claude"]

            [[components.agent.classify]]
            bucket = "rate_limit_reset"
            json = { type = "rate_limit_event", rate_limit_info.status = "rejected", "limits.0.hard" = true, code = 429 }
            reset_at = "rate_limit_info.resetsAt"
            action = "alert"
            back_off = "2m"

            [[components.agent.classify]]
            bucket = "auth"
            match = "(?i)token expired"
            """);

        problems.Items.ShouldBeEmpty();
        rules.Count.ShouldBe(2);
        var first = rules[0];
        first.Bucket.ShouldBe(RoundBucket.RateLimitReset);
        first.Match.ShouldBeNull();
        first.Json.ShouldBe([
            new JsonCondition("type", "rate_limit_event"),
            new JsonCondition("rate_limit_info.status", "rejected"),
            new JsonCondition("limits.0.hard", "true"),
            new JsonCondition("code", "429"),
        ]);
        first.ResetAtPath.ShouldBe("rate_limit_info.resetsAt");
        first.Action.ShouldBe(RoundAction.Alert);
        first.BackOffBase.ShouldBe(TimeSpan.FromMinutes(2));
        first.Origin.ShouldBe("components.agent.classify[0]");
        first.Location.Line.ShouldBe(4);
        var second = rules[1];
        second.Origin.ShouldBe("components.agent.classify[1]");
        second.Match.ShouldNotBeNull().IsMatch("OAuth Token Expired").ShouldBeTrue();
        second.Json.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("rate_limit", RoundAction.BackOff, 60)]
    [InlineData("server_error", RoundAction.BackOff, 60)]
    [InlineData("timeout", RoundAction.BackOff, 30)]
    [InlineData("network", RoundAction.Alert, 30)]
    [InlineData("auth", RoundAction.Stop, 60)]
    public void Action_and_back_off_default_by_bucket(string bucket, RoundAction action, int seconds)
    {
        var (rules, problems) = Read($"""
            [components.agent]
            [[components.agent.classify]]
            bucket = "{bucket}"
            match = "x"
            """);

        problems.Items.ShouldBeEmpty();
        rules.ShouldHaveSingleItem().Action.ShouldBe(action);
        rules[0].BackOffBase.ShouldBe(TimeSpan.FromSeconds(seconds));
    }

    [Fact]
    public void An_invalid_regex_is_an_error_at_its_value_with_the_parser_message()
    {
        var (rules, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "auth"
            match = "denied"
            [[components.agent.classify]]
            bucket = "network"
            match = "(unclosed"
            """);

        var error = SingleError(problems);
        error.Location.ShouldBe(new SourceLocation("tend.toml", 7, 9));
        error.Message.ShouldStartWith("components.agent.classify[1].match: invalid regex: ");
        error.Message.ShouldContain("Not enough )");
        rules.ShouldHaveSingleItem().Bucket.ShouldBe(RoundBucket.Auth);
    }

    [Fact]
    public void A_misspelt_bucket_gets_the_closest_name()
    {
        var (rules, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "rate_limt"
            match = "x"
            """);

        var error = SingleError(problems);
        error.Location.ShouldBe(new SourceLocation("tend.toml", 3, 10));
        error.Message.ShouldContain("components.agent.classify[0].bucket must be one of");
        error.Hint.ShouldNotBeNull().ShouldContain("rate_limit");
        rules.ShouldBeEmpty();
    }

    [Fact]
    public void A_rule_needs_a_bucket()
    {
        var (_, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            match = "x"
            """);

        SingleError(problems).Message.ShouldBe("components.agent.classify[0]: missing required key 'bucket'");
    }

    [Fact]
    public void A_rule_with_neither_match_nor_json_is_an_error_at_its_table()
    {
        var (rules, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "auth"
            """);

        var error = SingleError(problems);
        error.Location.Line.ShouldBe(2);
        error.Message.ShouldContain("components.agent.classify[0] needs match");
        rules.ShouldBeEmpty();
    }

    [Fact]
    public void An_unknown_key_is_rejected_with_a_hint()
    {
        var (_, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "auth"
            match = "x"
            backoff = "10s"
            """);

        var error = SingleError(problems);
        error.Location.ShouldBe(new SourceLocation("tend.toml", 5, 1));
        error.Message.ShouldBe("unknown key 'backoff' in components.agent.classify[0]");
        error.Hint.ShouldNotBeNull().ShouldContain("back_off");
    }

    [Fact]
    public void Reset_at_without_json_is_an_error_pointing_to_the_regex_group()
    {
        var (_, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "rate_limit_reset"
            match = "limit"
            reset_at = "resetsAt"
            """);

        var error = SingleError(problems);
        error.Location.ShouldBe(new SourceLocation("tend.toml", 5, 12));
        error.Hint.ShouldNotBeNull().ShouldContain("(?<reset>");
    }

    [Fact]
    public void A_json_value_that_is_not_a_string_integer_or_boolean_is_an_error_at_the_value()
    {
        var (rules, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "rate_limit"
            json = { type = "result", cost = 1.5 }
            """);

        var error = SingleError(problems);
        error.Location.ShouldBe(new SourceLocation("tend.toml", 4, 34));
        error.Message.ShouldBe("components.agent.classify[0].json.cost must be a string, an integer or true/false, not a float");
        rules.ShouldBeEmpty();
    }

    [Theory]
    [InlineData("json = {}", "must name at least one field")]
    [InlineData("json = \"type=result\"", "must be a table")]
    [InlineData("json = { \"a..b\" = \"x\" }", "is not a path")]
    [InlineData("json = { type = \"x\" }\nreset_at = \"a.\"", "is not a path")]
    [InlineData("match = \"x\"\nback_off = \"0s\"", "must be longer than zero")]
    [InlineData("match = \"x\"\nback_off = \"soon\"", "must be a duration")]
    [InlineData("match = \"x\"\naction = \"retry\"", "must be one of \"back_off\", \"stop\", \"alert\"")]
    public void Wrong_values_are_errors(string keys, string message)
    {
        var (_, problems) = Read($"""
            [components.agent]
            [[components.agent.classify]]
            bucket = "rate_limit"
            {keys}
            """);

        SingleError(problems).Message.ShouldContain(message);
    }

    [Fact]
    public void Classify_as_a_plain_table_is_an_error()
    {
        var (_, problems) = Read("""
            [components.agent]
            classify = { bucket = "auth", match = "x" }
            """);

        SingleError(problems).Message.ShouldContain("components.agent.classify must be an array of tables");
    }

    [Fact]
    public void An_inline_array_of_tables_is_read_too()
    {
        var (rules, problems) = Read("""
            [components.agent]
            classify = [{ bucket = "auth", match = "denied" }, { bucket = "network", match = "ECONNRESET" }]
            """);

        problems.Items.ShouldBeEmpty();
        rules.Select(r => r.Bucket).ShouldBe([RoundBucket.Auth, RoundBucket.Network]);
    }

    [Fact]
    public void A_reset_limit_that_reads_no_reset_time_gets_a_warning()
    {
        var (rules, problems) = Read("""
            [components.agent]
            [[components.agent.classify]]
            bucket = "rate_limit_reset"
            match = "usage limit"
            [[components.agent.classify]]
            bucket = "rate_limit_reset"
            match = "usage limit (?<reset>\\d+)"
            """);

        problems.Items.ShouldHaveSingleItem().Severity.ShouldBe(ProblemSeverity.Warning);
        problems.Items[0].Location.Line.ShouldBe(2);
        rules.Count.ShouldBe(2);
    }
}
