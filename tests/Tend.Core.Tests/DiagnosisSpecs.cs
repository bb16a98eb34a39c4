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
        var mine = new DiagnoseRule("mine", "postgres", "refused", null, null, null, "Run the halfstack.", ["docker compose -f docker-compose.halfstack.current.yml up -d --wait"]);

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
        diagnosis.Actions.ShouldBe(["If it is installed elsewhere, write its full path in the argv in the stack file (or put its directory on PATH for tend)"], "a program tend knows no package of gets no guess");
    }

    [Fact(Timeout = 120_000)]
    public async Task Every_package_named_in_an_install_step_exists_in_the_distribution()
    {
        if (Core.Processes.ExecutableLookup.Find("apt-cache", "/") is null)
        {
            Assert.Skip("no apt-cache here to ask");
        }

        var info = new System.Diagnostics.ProcessStartInfo("apt-cache", ["policy", .. PackageHints.Debian.Values.Distinct()]) { RedirectStandardOutput = true };
        using var process = System.Diagnostics.Process.Start(info)!;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        if (!output.Contains("python3:", StringComparison.Ordinal) || output.Contains("python3:\n  Installed: (none)\n  Candidate: (none)", StringComparison.Ordinal))
        {
            Assert.Skip("apt has no package lists here (apt-get update has not run)");
        }

        // apt-cache policy prints "NAME:" then "  Candidate: VERSION", "(none)" for a name no source has.
        var missing = PackageHints.Debian.Values.Distinct().Where(p => !System.Text.RegularExpressions.Regex.IsMatch(output, $@"(?m)^{System.Text.RegularExpressions.Regex.Escape(p)}:\n\s+Installed: .*\n\s+Candidate: (?!\(none\))")).ToList();
        missing.ShouldBeEmpty();
    }

    [Fact]
    public void A_missing_program_of_a_known_package_is_told_how_to_install_it_on_debian()
    {
        if (!File.Exists("/etc/debian_version"))
        {
            Assert.Skip("the install step is for apt systems; this one is not");
        }

        var root = Environment.UserName == "root";

        PackageHints.InstallCommand("etcdctl", root).ShouldBe($"{(root ? "" : "sudo ")}apt-get install etcd-client");
        PackageHints.InstallCommand("/opt/bin/redis-cli", isRoot: true).ShouldBe("apt-get install redis-tools");
        PackageHints.InstallCommand("./nope", root).ShouldBeNull();
    }

    [Fact]
    public void An_action_whose_facts_are_missing_is_left_out_and_so_is_a_sentence_of_the_cause()
    {
        var rule = new DiagnoseRule("r", "tcp", null, null, null, null, "Nothing listens on {host}:{port}. It exited with {exit_code}.", new(["Start it on {port}", "See `ss -ltn`", "Look at {nope}"]));

        var diagnosis = rule.Apply(Subject("tcp", "refused", data: new() { ["host"] = "h", ["port"] = "1" }));

        diagnosis.Cause.ShouldBe("Nothing listens on h:1.");
        diagnosis.Actions.ShouldBe(["Start it on 1", "See `ss -ltn`"]);
        rule.Apply(Subject("tcp", "refused", data: new() { ["summary"] = "connection refused" })).Cause.ShouldBe("connection refused");
    }

    [Fact]
    public void A_step_that_needs_a_tool_is_shown_only_where_the_tool_is_installed()
    {
        var rule = new DiagnoseRule("r", null, null, null, null, null, "Down.", new(["Probe it: `{tool_sh} -c true`", "Ping it: `{tool_no_such_tool_here} {host}`", "Ask the peer: `{tool_redis_cli} ping`"]));

        var actions = rule.Apply(Subject("tcp", "refused", data: new() { ["host"] = "h", ["tool_redis_cli"] = "redis-cli" })).Actions;

        actions.ShouldBe(["Probe it: `sh -c true`", "Ask the peer: `redis-cli ping`"]);
    }

    [Fact]
    public void A_check_typed_on_a_command_line_gets_steps_for_what_was_typed_and_none_for_a_stack_file_or_a_preflight()
    {
        var data = new Dictionary<string, string> { ["host"] = "db", ["port"] = "5432", ["user"] = "app", ["password_in_url"] = "****" };
        var rule = RuleBook.BuiltIn.Single(r => r.Id == "postgres-auth");

        var typed = rule.Apply(Subject("postgres", "auth_failed", component: null, data: data) with { Typed = true }).Actions;
        var stacked = rule.Apply(Subject("postgres", "auth_failed", data: data)).Actions;

        typed.ShouldContain("Fix the password written in the check given on the command line (****): a password written there wins over PGPASSWORD");
        typed.ShouldNotContain(a => a.Contains("stack file", StringComparison.Ordinal) || a.Contains("tend preflight", StringComparison.Ordinal));
        stacked.ShouldContain("Fix the password written in the check's target in the stack file (****): a password written there wins over PGPASSWORD");
        stacked.ShouldNotContain(a => a.Contains("command line", StringComparison.Ordinal));
        RuleBook.BuiltIn.Single(r => r.Id == "postgres-refused").Apply(Subject("postgres", "refused", data: data)).Actions.ShouldContain(a => a.Contains("`tend preflight`", StringComparison.Ordinal) || a.Contains("the stack file", StringComparison.Ordinal));
    }

    [Fact]
    public void Braces_that_are_not_placeholders_are_text() =>
        new DiagnoseRule("r", null, null, null, null, null, "JSON {\"a\": 1} and ${HOME}", new(["x"])).Apply(Subject("tcp", null)).Cause.ShouldBe("JSON {\"a\": 1} and ${HOME}");

    /// <summary>Every built-in rule, rendered with every fact it names and with each one missing in turn: never a placeholder, never a hole.</summary>
    [Fact]
    public void Every_built_in_rule_renders_whole_with_all_its_facts_and_with_any_one_missing()
    {
        var problems = new List<string>();
        foreach (var rule in RuleBook.BuiltIn)
        {
            var names = rule.Actions.Append(rule.Cause).SelectMany(DiagnoseRuleMatching.Placeholders).Distinct().ToList();
            var all = names.Where(n => n is not ("component" or "check" or "exit_code")).ToDictionary(n => n, n => $"<{n}>");
            all["summary"] = "the summary";
            var cases = new List<(string Label, DiagnosisSubject Subject)> { ("all facts", Subject(rule.Check ?? "tcp", rule.ErrorClass, exitCode: 3, data: all)) };
            foreach (var name in names)
            {
                var without = new Dictionary<string, string>(all);
                without.Remove(name);
                cases.Add(($"without {name}", Subject(rule.Check ?? "tcp", rule.ErrorClass, exitCode: name == "exit_code" ? null : 3, component: name == "component" ? null : "api", data: without)));
            }

            foreach (var (label, subject) in cases)
            {
                var diagnosis = rule.Apply(subject);
                foreach (var text in diagnosis.Actions.Prepend(diagnosis.Cause))
                {
                    if (DiagnoseRuleMatching.Placeholders(text).Any() || text.Contains("  ", StringComparison.Ordinal) || text.Contains("``", StringComparison.Ordinal) || string.IsNullOrWhiteSpace(text))
                    {
                        problems.Add($"{rule.Id} ({label}): \"{text}\"");
                    }
                }
            }

            if (rule.Apply(cases[0].Subject).Actions.Count == 0)
            {
                problems.Add($"{rule.Id}: no action even with every fact");
            }
        }

        problems.ShouldBeEmpty();
    }

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
