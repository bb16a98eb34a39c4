using System.Globalization;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>A rounds component through the binary: bounded runs in the foreground, what peek, status and why say, and a throttle that outlives the daemon.</summary>
public sealed class RoundsSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public RoundsSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    [Fact(Timeout = 120_000)]
    public async Task Up_once_runs_one_round_in_the_foreground_and_every_view_tells_about_it()
    {
        _directory.Write("prompt.md", "summarise the findings");
        _directory.Write("tend.toml", $$"""
            [components.agent]
            kind = "rounds"
            command = {{Argv("stream-json", "ok")}}
            [components.agent.rounds]
            classify_preset = "claude"
            result = '"type":"result"'
            [components.agent.prompt]
            files = ["prompt.md"]
            arg = ["-p", "{prompt}"]
            """);

        var up = await TendBinary.RunAsync(_directory.Path, "up", "agent", "--once");
        var status = await TendBinary.RunAsync(_directory.Path, "status");
        var peek = await TendBinary.RunAsync(_directory.Path, "peek", "--json");
        var events = await TendBinary.RunAsync(_directory.Path, "events", "--kind", "round_*");
        var logs = await TendBinary.RunAsync(_directory.Path, "logs", "agent");
        var why = await TendBinary.RunAsync(_directory.Path, "why", "agent");
        var again = await TendBinary.RunAsync(_directory.Path, "up", "agent", "--once");

        up.ExitCode.ShouldBe(0, up.ToString());
        again.ExitCode.ShouldBe(0, again.ToString());
        again.Stdout.ShouldContain("agent  completed: ran 1 of 1 rounds");
        ReadEvents().Count(e => e.GetProperty("event").GetString() == "round_started").ShouldBe(2);
        up.Stdout.ShouldContain("agent  completed: ran 1 of 1 rounds");
        // A round's progress names its process; the moment between its exit and its outcome is not a line of its own.
        up.Stdout.Split('\n').Where(l => l.Contains("agent  round ", StringComparison.Ordinal)).ShouldAllBe(l => l.Contains("(pid ", StringComparison.Ordinal));
        status.Stdout.ShouldContain("↳ round 1; 1 of 1 this session · last: ok in");
        var rounds = peek.Json.GetProperty("snapshot").GetProperty("components")[0].GetProperty("rounds");
        rounds.GetProperty("round").GetInt32().ShouldBe(1);
        rounds.GetProperty("last_outcome").GetString().ShouldBe("ok");
        rounds.GetProperty("sentinel_present").GetBoolean().ShouldBeFalse();
        rounds.GetProperty("ended_by").GetString().ShouldBe("rounds_max_reached");
        events.Stdout.ShouldContain("round 1 started");
        events.Stdout.ShouldContain("round 1 ok, exit 0 after");
        events.Stdout.ShouldNotContain("rounds_max_reached");
        logs.Stdout.ShouldContain("got the prompt: summarise the findings");
        why.Stdout.ShouldContain("agent is completed since");
        why.Stdout.ShouldContain("because: ran 1 of 1 rounds");
        why.Stdout.ShouldContain("next: tend start agent for another session");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_rate_limit_throttle_is_kept_by_the_next_daemon_and_why_says_until_when()
    {
        var reset = TimeProvider.System.GetUtcNow().AddHours(1);
        _directory.Write("tend.toml", $$"""
            [components.agent]
            kind = "rounds"
            command = {{Argv("stream-json", "rate-limit", reset.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture))}}
            [components.agent.rounds]
            delay = "0s"
            classify_preset = "claude"
            """);

        (await TendBinary.RunAsync(_directory.Path, "up", "--detach")).ExitCode.ShouldBe(0);
        await WaitUntilAsync(() => ReadEvents().Any(e => e.GetProperty("event").GetString() == "round_throttled"));
        var why = await TendBinary.RunAsync(_directory.Path, "why", "agent");
        (await TendBinary.RunAsync(_directory.Path, "daemon", "stop")).ExitCode.ShouldBe(0);
        (await TendBinary.RunAsync(_directory.Path, "up", "--detach")).ExitCode.ShouldBe(0);
        await WaitUntilAsync(() => ReadEvents().Count(e => e.GetProperty("event").GetString() == "round_throttled") == 2);
        var status = await TendBinary.RunAsync(_directory.Path, "status", "--json");

        why.Stdout.ShouldContain("agent is throttled since");
        why.Stdout.ShouldContain("rate_limit_reset: no round before");
        why.Stdout.ShouldContain("next: nothing to do: rounds resume by themselves");
        var restored = ReadEvents().Last(e => e.GetProperty("event").GetString() == "round_throttled");
        restored.GetProperty("restored").GetBoolean().ShouldBeTrue();
        var until = DateTimeOffset.Parse(restored.GetProperty("until").GetString()!, CultureInfo.InvariantCulture);
        until.ShouldBeInRange(reset.AddSeconds(4), reset.AddSeconds(31));
        ReadEvents().Count(e => e.GetProperty("event").GetString() == "round_started").ShouldBe(1);
        status.Json.GetProperty("components")[0].GetProperty("state").GetString().ShouldBe("throttled");
    }

    [Fact(Timeout = 60_000)]
    public async Task Validate_finds_a_missing_prompt_file_and_an_unknown_phase_before_any_round()
    {
        _directory.Write("tend.toml", """
            [components.agent]
            kind = "rounds"
            command = ["claude"]
            [components.agent.rounds]
            phases = ["diverge", "converj"]
            [components.agent.prompt]
            files = ["prompts/missing.md"]
            arg = ["-p", "{prompt}"]
            [components.agent.phase.diverge]
            [components.agent.phase.converge]
            """);

        var validate = await TendBinary.RunAsync(_directory.Path, "validate");

        validate.ExitCode.ShouldBe(2);
        validate.Stderr.ShouldContain("tend.toml:5:22");
        validate.Stderr.ShouldContain("unknown phase \"converj\"");
        validate.Stderr.ShouldContain("did you mean 'converge'");
        validate.Stderr.ShouldContain("tend.toml:7:10");
        validate.Stderr.ShouldContain("prompt file");
        validate.Stderr.ShouldNotContain("   at ");
    }

    private List<JsonElement> ReadEvents() => _daemon.ReadEvents();

    private static Task WaitUntilAsync(Func<bool> condition) => DaemonState.WaitUntilAsync(condition);
}
