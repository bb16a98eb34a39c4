using Tend.Core.Config;
using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Tests;

public sealed class DiagnosisSpecs
{
    private static DiagnosisSubject Subject(string check, string? error, string text = "", int? exitCode = null, string? component = "api", Dictionary<string, string>? data = null) =>
        new(check, error, component, text, exitCode, data ?? new Dictionary<string, string>());

    [Fact]
    public void The_built_in_rules_load_and_end_with_a_fallback_that_matches_anything()
    {
        var rules = RuleBook.BuiltIn;

        rules.Count.ShouldBeGreaterThan(30);
        rules[^1].Id.ShouldBe("fallback");
        rules[^1].Matches(Subject("tcp", "anything")).ShouldBeTrue();
    }

    [Fact]
    public void A_refused_postgres_gets_the_postgres_cause_with_host_and_port_filled_in()
    {
        var diagnosis = RuleBook.With([]).Explain(Subject("postgres", "refused", data: new() { ["host"] = "127.0.0.1", ["port"] = "8101" }))!;

        diagnosis.RuleId.ShouldBe("postgres-refused");
        diagnosis.Cause.ShouldContain("127.0.0.1:8101");
        diagnosis.Actions.ShouldContain(a => a.Contains("pg_isready -h 127.0.0.1 -p 8101", StringComparison.Ordinal));
    }

    [Fact]
    public void A_missing_config_with_a_sample_says_copy_the_sample()
    {
        var diagnosis = RuleBook.With([]).Explain(Subject("file", "missing_with_sample", data: new() { ["path"] = "manager.toml", ["sample"] = "configs/manager/sample.toml" }))!;

        diagnosis.Actions[0].ShouldBe("Copy the sample: `cp configs/manager/sample.toml manager.toml`");
    }

    [Fact]
    public void A_stack_rule_wins_over_a_built_in_one()
    {
        var mine = new DiagnoseRule("mine", "postgres", "refused", null, null, null, "Run the halfstack.", ["./scripts/run-dev.sh"]);

        var diagnosis = RuleBook.With([mine]).Explain(Subject("postgres", "refused"))!;

        diagnosis.RuleId.ShouldBe("mine");
    }

    [Fact]
    public void Rules_match_on_component_message_pattern_and_exit_code()
    {
        var rule = new DiagnoseRule(
            "oom", "run", null, "worker", Text.Patterns.Create("MemoryError"), 1, "Out of memory.", ["Give it more"]);

        rule.Matches(Subject("run", "exit_code", "Traceback...\nMemoryError", 1, "worker")).ShouldBeTrue();
        rule.Matches(Subject("run", "exit_code", "Traceback...\nMemoryError", 2, "worker")).ShouldBeFalse();
        rule.Matches(Subject("run", "exit_code", "Traceback...\nKeyError", 1, "worker")).ShouldBeFalse();
        rule.Matches(Subject("run", "exit_code", "MemoryError", 1, "api")).ShouldBeFalse();
    }

    [Fact]
    public void A_command_that_is_not_found_is_explained_by_its_exit_code()
    {
        var diagnosis = RuleBook.With([]).Explain(Subject("run", "start_failed", "./nope: not found", 127, data: new() { ["program"] = "./nope" }))!;

        diagnosis.RuleId.ShouldBe("exit-127");
        diagnosis.Actions[0].ShouldContain("command -v ./nope");
    }

    [Fact]
    public void Unknown_placeholders_stay_as_written() =>
        DiagnoseRuleMatching.Fill("at {host}:{nope}", Subject("tcp", "refused", data: new() { ["host"] = "h" })).ShouldBe("at h:{nope}");

    [Fact]
    public void Stack_files_add_rules_under_diagnose()
    {
        var result = StackFileLoader.Parse("""
            [components.api]
            command = ["./api"]
            [[diagnose]]
            id = "api-down"
            component = "api"
            error = "refused"
            cause = "The API is down."
            actions = ["Start it: `tend run api serve`"]
            """, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

        var rule = result.Stack!.DiagnoseRules.ShouldHaveSingleItem();
        rule.Id.ShouldBe("api-down");
        rule.Matches(Subject("http", "refused", component: "api")).ShouldBeTrue();
    }
}
