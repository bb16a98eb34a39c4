using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Rounds;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Rounds;

/// <summary>
/// A <c>kind = "rounds"</c> component as a stack file writes it, loaded by <see cref="StackFileLoader"/>
/// from a scratch directory: every value it can give, and every mistake an error at its place, so
/// that <c>tend validate</c> finds it and not round 500.
/// </summary>
public sealed class RoundsReaderSpecs : IDisposable
{
    private const string FileName = "tend.toml";

    /// <summary>Lines 1-3 of every stack below; what a test adds starts on line 4.</summary>
    private const string Agent = """
        [components.agent]
        kind = "rounds"
        command = ["claude"]

        """;

    private readonly TempDirectory _directory = new();

    public RoundsReaderSpecs()
    {
        _directory.Write("prompts/_common.md", "Be brief.");
        _directory.Write("prompts/diverge.md", "Try something new.");
        _directory.Write("prompts/converge.md", "Pick the best.");
    }

    public void Dispose() => _directory.Dispose();

    private string Prompts => Path.Combine(_directory.Path, "prompts");

    private StackLoadResult Load(string toml) => StackFileLoader.Load(_directory.Write(FileName, toml), _ => null, FileName);

    private RoundsPolicy LoadRounds(string toml)
    {
        var result = Load(toml);
        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var agent = result.Stack.ShouldNotBeNull().Find("agent").ShouldNotBeNull();
        agent.Kind.ShouldBe(ComponentKind.Rounds);
        return agent.Rounds.ShouldNotBeNull();
    }

    /// <summary>The one error of a stack that must not load.</summary>
    private ConfigProblem SingleError(string toml)
    {
        var result = Load(toml);
        result.Stack.ShouldBeNull();
        return result.Errors.ShouldHaveSingleItem(string.Join("\n", result.Errors));
    }

    private static void ShouldBeAt(ConfigProblem error, int line, int column) =>
        error.Location.ShouldBe(new SourceLocation(FileName, line, column), error.ToString());

    // ---- A rounds component that loads ----

    [Fact]
    public void An_agent_loop_with_every_setting_loads_with_each_value()
    {
        var rounds = LoadRounds("""
            [components.agent]
            kind = "rounds"
            command = ["claude", "--output-format", "stream-json"]

            [components.agent.rounds]
            delay = "5s"
            failure_delay = "2m"
            timeout = "45m"
            max_rounds = 10
            sentinel = "all-done"
            stop_file = "logs/stop"
            result = '"type":"result"'
            grace_after_result = "90s"
            grace_ignore = ['shell-snapshot', '^\s*$']
            short_crash = "30s"
            crash_loop_after = 3
            back_off_max = "2h"
            reset_jitter = "1s..9s"
            classify_preset = "generic"
            phases = ["diverge", "converge", "diverge"]

            [components.agent.prompt]
            files = ["prompts/_common.md"]
            separator = "\n\n---\n\n"
            arg = ["-p", "{prompt}"]

            [components.agent.phase.diverge]
            args = ["--x"]
            env = { A = "1" }
            prompt = ["prompts/_common.md", "prompts/diverge.md"]
            timeout = "30m"

            [components.agent.phase.converge]
            args = ["--y", "--z"]

            [components.agent.hooks]
            on_start = ["./seed.sh"]
            pre_round = ["./prep.sh", "--fast"]
            timeout = "2m"

            [[components.agent.classify]]
            bucket = "auth"
            match = "401"
            action = "stop"

            [[components.agent.classify]]
            bucket = "network"
            match = "ECONNRESET"
            """);

        rounds.Delay.ShouldBe(TimeSpan.FromSeconds(5));
        rounds.FailureDelay.ShouldBe(TimeSpan.FromMinutes(2));
        rounds.Timeout.ShouldBe(TimeSpan.FromMinutes(45));
        rounds.MaxRounds.ShouldBe(10);
        rounds.Sentinel.ShouldBe("all-done");
        rounds.StopFile.ShouldBe(Path.Combine(_directory.Path, "logs", "stop"));
        Path.IsPathRooted(rounds.StopFile).ShouldBeTrue();
        rounds.ResultPattern.ShouldNotBeNull().IsMatch("""{"type":"result","subtype":"success"}""").ShouldBeTrue();
        rounds.ResultPattern.IsMatch("""{"type":"assistant"}""").ShouldBeFalse();
        rounds.GraceAfterResult.ShouldBe(TimeSpan.FromSeconds(90));
        rounds.GraceIgnore.Select(r => r.ToString()).ShouldBe(["shell-snapshot", @"^\s*$"]);
        rounds.ShortCrash.ShouldBe(TimeSpan.FromSeconds(30));
        rounds.CrashLoopAfter.ShouldBe(3);
        rounds.BackOffMax.ShouldBe(TimeSpan.FromHours(2));
        rounds.ResetJitterMin.ShouldBe(TimeSpan.FromSeconds(1));
        rounds.ResetJitterMax.ShouldBe(TimeSpan.FromSeconds(9));

        // The rotation in the order rounds.phases gives, the repeated name twice.
        rounds.Phases.Select(p => p.Name).ShouldBe(["diverge", "converge", "diverge"]);
        rounds.PhaseOf(1).ShouldNotBeNull().Name.ShouldBe("diverge");
        rounds.PhaseOf(2).ShouldNotBeNull().Name.ShouldBe("converge");
        rounds.PhaseOf(4).ShouldNotBeNull().Name.ShouldBe("diverge");
        var diverge = rounds.Phases[0];
        diverge.Args.ShouldBe(["--x"]);
        diverge.Environment.ShouldBe(new Dictionary<string, string> { ["A"] = "1" });
        diverge.PromptFiles.ShouldBe([Path.Combine(Prompts, "_common.md"), Path.Combine(Prompts, "diverge.md")]);
        diverge.Timeout.ShouldBe(TimeSpan.FromMinutes(30));
        rounds.TimeoutOf(diverge).ShouldBe(TimeSpan.FromMinutes(30));
        var converge = rounds.Phases[1];
        converge.Args.ShouldBe(["--y", "--z"]);
        converge.Environment.ShouldBeEmpty();
        converge.PromptFiles.ShouldBeNull();
        converge.Timeout.ShouldBeNull();
        rounds.TimeoutOf(converge).ShouldBe(TimeSpan.FromMinutes(45));
        rounds.PromptFilesOf(converge).ShouldBe([Path.Combine(Prompts, "_common.md")]);

        var prompt = rounds.Prompt.ShouldNotBeNull();
        prompt.Files.ShouldBe([Path.Combine(Prompts, "_common.md")]);
        prompt.Separator.ShouldBe("\n\n---\n\n");
        prompt.ArgTemplate.ShouldBe(["-p", "{prompt}"]);
        prompt.Stdin.ShouldBeFalse();

        rounds.Hooks.OnStart.ShouldBe(["./seed.sh"]);
        rounds.Hooks.PreRound.ShouldBe(["./prep.sh", "--fast"]);
        rounds.Hooks.Timeout.ShouldBe(TimeSpan.FromMinutes(2));

        // The stack file's own rules first, in their order, then the preset's.
        var generic = ClassifierPresets.Get("generic").ShouldNotBeNull();
        rounds.Classify.Count.ShouldBe(2 + generic.Count);
        rounds.Classify[0].Origin.ShouldBe("components.agent.classify[0]");
        rounds.Classify[0].Bucket.ShouldBe(RoundBucket.Auth);
        rounds.Classify[0].Action.ShouldBe(RoundAction.Stop);
        rounds.Classify[1].Origin.ShouldBe("components.agent.classify[1]");
        rounds.Classify[1].Bucket.ShouldBe(RoundBucket.Network);
        rounds.Classify.Skip(2).Select(r => r.Origin).ShouldBe(generic.Select((_, i) => $"preset generic[{i}]"));
    }

    [Fact]
    public void A_rounds_component_without_a_rounds_table_gets_the_defaults()
    {
        var result = Load(Agent);

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var agent = result.Stack.ShouldNotBeNull().Find("agent").ShouldNotBeNull();
        var rounds = agent.Rounds.ShouldNotBeNull();
        rounds.Delay.ShouldBe(TimeSpan.FromSeconds(10));
        rounds.FailureDelay.ShouldBe(TimeSpan.FromSeconds(60));
        rounds.Timeout.ShouldBe(TimeSpan.FromHours(1));
        rounds.MaxRounds.ShouldBeNull();
        rounds.Sentinel.ShouldBe(".tend-done");
        rounds.StopFile.ShouldBeNull();
        rounds.ResultPattern.ShouldBeNull();
        rounds.GraceAfterResult.ShouldBe(TimeSpan.FromSeconds(60));
        rounds.GraceIgnore.ShouldBeEmpty();
        rounds.ShortCrash.ShouldBe(TimeSpan.FromSeconds(60));
        rounds.CrashLoopAfter.ShouldBe(5);
        rounds.BackOffMax.ShouldBe(TimeSpan.FromHours(6));
        rounds.ResetJitterMin.ShouldBe(TimeSpan.FromSeconds(5));
        rounds.ResetJitterMax.ShouldBe(TimeSpan.FromSeconds(30));
        rounds.Prompt.ShouldBeNull();
        rounds.Phases.ShouldBeEmpty();
        rounds.PhaseOf(1).ShouldBeNull();
        rounds.Hooks.ShouldBe(RoundHooks.None);
        rounds.Classify.ShouldBeEmpty();
        agent.Logs.KeepFiles.ShouldBe(100);
    }

    [Fact]
    public void An_empty_rounds_table_gets_the_same_defaults_as_none()
    {
        var rounds = LoadRounds(Agent + "[components.agent.rounds]\n");

        rounds.Delay.ShouldBe(TimeSpan.FromSeconds(10));
        rounds.FailureDelay.ShouldBe(TimeSpan.FromSeconds(60));
        rounds.Timeout.ShouldBe(TimeSpan.FromHours(1));
        rounds.Sentinel.ShouldBe(".tend-done");
        rounds.CrashLoopAfter.ShouldBe(5);
        rounds.ResetJitterMin.ShouldBe(TimeSpan.FromSeconds(5));
        rounds.ResetJitterMax.ShouldBe(TimeSpan.FromSeconds(30));
    }

    [Fact]
    public void Without_rounds_phases_the_phase_tables_rotate_in_file_order()
    {
        var rounds = LoadRounds(Agent + """
            [components.agent.phase.second]
            args = ["--b"]
            [components.agent.phase.first]
            args = ["--a"]
            """);

        rounds.Phases.Select(p => p.Name).ShouldBe(["second", "first"]);
    }

    [Fact]
    public void Two_presets_add_their_rules_in_the_order_named()
    {
        var rounds = LoadRounds(Agent + """
            [components.agent.rounds]
            classify_preset = ["claude", "generic"]
            """);

        var claude = ClassifierPresets.Get("claude").ShouldNotBeNull();
        var generic = ClassifierPresets.Get("generic").ShouldNotBeNull();
        rounds.Classify.Select(r => r.Origin).ShouldBe(claude.Concat(generic).Select(r => r.Origin));
        rounds.Classify[0].Origin.ShouldBe("preset claude[0]");
        rounds.Classify[claude.Count].Origin.ShouldBe("preset generic[0]");
    }

    [Fact]
    public void A_prompt_can_go_on_stdin_or_as_a_file_path()
    {
        LoadRounds(Agent + """
            [components.agent.prompt]
            files = ["prompts/_common.md"]
            stdin = true
            """).Prompt.ShouldNotBeNull().Stdin.ShouldBeTrue();

        var prompt = LoadRounds(Agent + """
            [components.agent.prompt]
            files = ["prompts/_common.md"]
            arg = ["--prompt-file", "{prompt_file}"]
            """).Prompt.ShouldNotBeNull();
        prompt.ArgTemplate.ShouldBe(["--prompt-file", "{prompt_file}"]);
        prompt.Separator.ShouldBe("\n\n");
    }

    // ---- Prompt files that are not there ----

    [Fact]
    public void A_missing_prompt_file_is_an_error_at_its_place_in_prompt_files()
    {
        var error = SingleError(Agent + """
            [components.agent.prompt]
            files = ["prompts/_common.md", "prompts/gone.md"]
            arg = ["-p", "{prompt}"]
            """);

        ShouldBeAt(error, 5, 32);
        error.Message.ShouldBe($"components.agent.prompt.files[1]: prompt file {Path.Combine(Prompts, "gone.md")} does not exist");
    }

    [Fact]
    public void A_missing_prompt_file_of_a_phase_is_an_error_at_its_place()
    {
        var error = SingleError(Agent + """
            [components.agent.prompt]
            stdin = true
            [components.agent.phase.diverge]
            prompt = ["prompts/divrge.md"]
            """);

        ShouldBeAt(error, 7, 11);
        error.Message.ShouldContain("components.agent.phase.diverge.prompt[0]: prompt file ");
        error.Message.ShouldContain("divrge.md does not exist");
    }

    [Fact]
    public void Phase_prompts_without_a_prompt_table_saying_how_to_pass_them_are_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.phase.diverge]
            prompt = ["prompts/diverge.md"]
            """);

        ShouldBeAt(error, 1, 1);
        error.Message.ShouldContain("there is no [components.agent.prompt]");
    }

    // ---- Phases ----

    [Fact]
    public void A_misspelt_phase_in_rounds_phases_is_an_error_with_the_closest_name()
    {
        var result = Load(Agent + """
            [components.agent.rounds]
            phases = ["diverge", "convrege"]
            [components.agent.phase.diverge]
            args = ["--d"]
            [components.agent.phase.converge]
            args = ["--c"]
            """);

        // The table the typo meant is then unused too, which is reported after it.
        result.Stack.ShouldBeNull();
        var error = result.Errors.First();
        ShouldBeAt(error, 5, 22);
        error.Message.ShouldBe("components.agent.rounds.phases: unknown phase \"convrege\"");
        error.Hint.ShouldBe("did you mean 'converge'?");
    }

    [Fact]
    public void A_phase_unlike_any_table_is_an_error_listing_the_phases()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            phases = ["diverge", "review"]
            [components.agent.phase.diverge]
            args = ["--d"]
            """);

        ShouldBeAt(error, 5, 22);
        error.Message.ShouldContain("unknown phase \"review\"");
        error.Hint.ShouldBe("the phases are diverge");
    }

    [Fact]
    public void A_phase_named_without_any_phase_table_says_how_to_define_it()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            phases = ["diverge"]
            """);

        ShouldBeAt(error, 5, 11);
        error.Hint.ShouldBe("define it as [components.agent.phase.diverge]");
    }

    [Fact]
    public void A_phase_table_left_out_of_rounds_phases_is_an_error_at_its_header()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            phases = ["diverge"]
            [components.agent.phase.diverge]
            args = ["--d"]
            [components.agent.phase.converge]
            args = ["--c"]
            """);

        error.Location.Line.ShouldBe(8);
        error.Message.ShouldBe("components.agent.phase.converge is never used: it is not in rounds.phases");
        error.Hint.ShouldNotBeNull().ShouldContain("add \"converge\" to rounds.phases");
    }

    // ---- Regexes ----

    [Fact]
    public void An_invalid_result_regex_is_an_error_at_its_value()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            result = "(unclosed"
            """);

        ShouldBeAt(error, 5, 10);
        error.Message.ShouldStartWith("components.agent.rounds.result: invalid regex: ");
    }

    [Fact]
    public void An_invalid_grace_ignore_regex_is_an_error_at_its_item()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            grace_ignore = ["fine", "[unclosed"]
            """);

        ShouldBeAt(error, 5, 25);
        error.Message.ShouldStartWith("components.agent.rounds.grace_ignore[1]: invalid regex: ");
    }

    // ---- Sentinel ----

    [Theory]
    [InlineData("logs/done")]
    [InlineData("/tmp/done")]
    [InlineData("..")]
    [InlineData("")]
    [InlineData("current.log")]
    [InlineData("stop-requested")]
    [InlineData("run-000001.log")]
    public void A_sentinel_that_is_not_a_bare_file_name_of_its_own_is_an_error(string sentinel)
    {
        var error = SingleError(Agent + $"""
            [components.agent.rounds]
            sentinel = "{sentinel}"
            """);

        ShouldBeAt(error, 5, 12);
        error.Message.ShouldBe($"components.agent.rounds.sentinel must be a file name of its own (written by the round into $TEND_LOG_DIR), not \"{sentinel}\"");
    }

    [Fact]
    public void A_sentinel_that_is_not_a_string_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            sentinel = 5
            """);

        ShouldBeAt(error, 5, 12);
        error.Message.ShouldBe("components.agent.rounds.sentinel must be a string, not an integer");
    }

    // ---- How the prompt is passed ----

    [Fact]
    public void A_prompt_both_as_arg_and_on_stdin_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.prompt]
            files = ["prompts/_common.md"]
            arg = ["-p", "{prompt}"]
            stdin = true
            """);

        error.Location.Line.ShouldBe(4);
        error.Message.ShouldBe("components.agent.prompt: give the prompt as arg or on stdin, not both");
    }

    [Fact]
    public void A_prompt_neither_as_arg_nor_on_stdin_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.prompt]
            files = ["prompts/_common.md"]
            """);

        error.Location.Line.ShouldBe(4);
        error.Message.ShouldBe("components.agent.prompt must say how the round gets the prompt");
        error.Hint.ShouldNotBeNull().ShouldContain("stdin = true");
    }

    [Fact]
    public void A_prompt_arg_without_a_place_for_the_prompt_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.prompt]
            files = ["prompts/_common.md"]
            arg = ["-p", "prompt"]
            """);

        ShouldBeAt(error, 6, 7);
        error.Message.ShouldBe("components.agent.prompt.arg must contain {prompt} or {prompt_file} where the prompt goes");
    }

    // ---- Presets ----

    [Fact]
    public void A_misspelt_preset_is_an_error_naming_the_presets_with_the_closest()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            classify_preset = "claud"
            """);

        ShouldBeAt(error, 5, 19);
        error.Message.ShouldBe("components.agent.rounds.classify_preset: no rule set named \"claud\"; there are \"claude\", \"generic\"");
        error.Hint.ShouldBe("did you mean 'claude'?");
    }

    // ---- Tables that belong to rounds, on other kinds ----

    [Theory]
    [InlineData("[components.api.rounds]\ndelay = \"1s\"", "rounds")]
    [InlineData("[components.api.prompt]\nstdin = true", "prompt")]
    [InlineData("[components.api.phase.a]\nargs = []", "phase")]
    [InlineData("[components.api.hooks]\non_start = [\"./x\"]", "hooks")]
    [InlineData("[[components.api.classify]]\nbucket = \"auth\"\nmatch = \"x\"", "classify")]
    public void A_rounds_table_on_a_service_is_an_error_saying_it_belongs_to_rounds(string table, string name)
    {
        var error = SingleError($"""
            [components.api]
            command = ["./api"]
            {table}
            """);

        error.Location.Line.ShouldBe(3);
        error.Message.ShouldBe($"components.api is not kind = \"rounds\": {name} belong to rounds components");
        error.Hint.ShouldNotBeNull().ShouldContain("kind = \"rounds\"");
    }

    [Fact]
    public void Rounds_tables_on_a_job_are_all_named_in_one_error()
    {
        var error = SingleError("""
            [components.seed]
            kind = "job"
            command = ["./seed"]
            [components.seed.rounds]
            max_rounds = 3
            [components.seed.hooks]
            on_start = ["./x"]
            """);

        error.Message.ShouldBe("components.seed is not kind = \"rounds\": rounds, hooks belong to rounds components");
    }

    [Fact]
    public void Restart_on_a_rounds_component_is_an_error_pointing_to_the_rounds_table()
    {
        var error = SingleError(Agent + """
            restart = { policy = "always" }
            """);

        ShouldBeAt(error, 4, 1);
        error.Message.ShouldBe("components.agent runs in rounds: the next round is its restart, paced by [components.agent.rounds]");
        error.Hint.ShouldNotBeNull().ShouldContain("rounds.failure_delay");
    }

    [Fact]
    public void A_health_probe_on_a_rounds_component_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.health]
            tcp = "127.0.0.1:8080"
            """);

        error.Location.Line.ShouldBe(4);
        error.Message.ShouldBe("components.agent runs in rounds: each round ends, so it takes no health probe");
    }

    // ---- Keys and numbers ----

    [Fact]
    public void A_misspelt_key_in_the_rounds_table_gets_the_closest_one()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            failure_dealy = "1m"
            """);

        ShouldBeAt(error, 5, 1);
        error.Message.ShouldBe("unknown key 'failure_dealy' in components.agent.rounds");
        error.Hint.ShouldBe("did you mean 'failure_delay'?");
    }

    [Fact]
    public void Zero_max_rounds_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            max_rounds = 0
            """);

        ShouldBeAt(error, 5, 14);
        error.Message.ShouldContain("components.agent.rounds.max_rounds must be between 1 and");
    }

    [Fact]
    public void A_reset_jitter_with_its_ends_reversed_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.rounds]
            reset_jitter = "30s..5s"
            """);

        ShouldBeAt(error, 5, 16);
        error.Message.ShouldContain("components.agent.rounds.reset_jitter must be \"MIN..MAX\"");
    }

    // ---- Waiting for a rounds component ----

    [Theory]
    [InlineData("started", RequirementCondition.Started)]
    [InlineData("completed", RequirementCondition.Completed)]
    public void Another_component_can_wait_for_a_rounds_component_to_start_or_complete(string condition, RequirementCondition expected)
    {
        var result = Load(Agent + $$"""
            [components.report]
            kind = "job"
            command = ["./report"]
            requires = { agent = "{{condition}}" }
            """);

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        var requirement = result.Stack.ShouldNotBeNull().Find("report").ShouldNotBeNull().Requires.ShouldHaveSingleItem();
        requirement.Component.ShouldBe("agent");
        requirement.Condition.ShouldBe(expected);
    }

    [Fact]
    public void The_short_requires_form_waits_for_a_rounds_component_to_start()
    {
        var result = Load(Agent + """
            [components.watcher]
            command = ["./watch"]
            requires = ["agent"]
            """);

        result.Errors.ShouldBeEmpty(string.Join("\n", result.Errors));
        result.Stack.ShouldNotBeNull().Find("watcher").ShouldNotBeNull().Requires.ShouldHaveSingleItem().Condition.ShouldBe(RequirementCondition.Started);
    }

    [Fact]
    public void Waiting_for_a_rounds_component_to_be_healthy_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.report]
            command = ["./report"]
            requires = { agent = "healthy" }
            """);

        ShouldBeAt(error, 6, 14);
        error.Message.ShouldBe("components.report waits for 'agent' to be healthy, but agent runs in rounds, which end one by one");
        error.Hint.ShouldNotBeNull().ShouldContain("completed");
    }

    // ---- Limits that would make rounds spin or timers fail ----

    [Theory]
    [InlineData("timeout = \"60d\"", "components.agent.rounds.timeout must be at most 30 days, not 60d")]
    [InlineData("failure_delay = \"0s\"", "components.agent.rounds.failure_delay must be more than zero")]
    [InlineData("back_off_max = \"0s\"", "components.agent.rounds.back_off_max must be more than zero")]
    public void A_duration_out_of_bounds_is_an_error(string line, string message)
    {
        var error = SingleError(Agent + $"""
            [components.agent.rounds]
            {line}
            """);

        error.Location.Line.ShouldBe(5);
        error.Message.ShouldBe(message);
    }

    [Fact]
    public void A_prompt_with_no_file_anywhere_is_an_error()
    {
        var error = SingleError(Agent + """
            [components.agent.prompt]
            arg = ["-p", "{prompt}"]
            """);

        ShouldBeAt(error, 4, 19);
        error.Message.ShouldBe("components.agent.prompt names no file, and no phase does: every round would get an empty prompt");
    }
}
