using ShellWords = Tend.Core.Text.ShellWords;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// Every preset, written into an empty directory as a new user would: validate, preflight,
/// health, up with a timeout and why. Every next step it prints is whole (no placeholder, no
/// doubled space) and, where the environment allows, typed where the user stands: the program
/// exists and understands what it is given.
/// </summary>
public sealed class PresetSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public PresetSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await TendBinary.RunAsync(_directory.Path, "down");
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    /// <summary>Programs whose steps change the machine or need a network or root: read, not typed.</summary>
    private static readonly string[] NotTyped = ["sudo", "docker", "git", "./scripts/install-dev.sh", "./backend.ai", "./py", "tend", "curl", "claude", "codex", "gemini", "export"];

    [Theory(Timeout = 240_000)]
    [InlineData("quickstart")]
    [InlineData("backend.ai")]
    [InlineData("aistack")]
    [InlineData("agent")]
    public async Task A_new_user_gets_whole_next_steps_that_run_where_they_stand(string preset)
    {
        (await Tend("init", "--preset", preset)).ExitCode.ShouldBe(0);
        var validate = await Tend("validate");
        validate.ExitCode.ShouldBe(0, validate.ToString());

        var outputs = new List<TendResult>
        {
            await Tend("preflight"),
            await Tend("health"),
            await Tend("up", "--timeout", "8s"),
            await Tend("doctor"),
        };
        var first = (await Tend("ls", "--json")).Json.GetProperty("components")[0].GetProperty("name").GetString()!;
        outputs.Add(await Tend("why", first));

        foreach (var output in outputs)
        {
            output.ExitCode.ShouldBeOneOf([0, 1], output.ToString());
            var text = output.Stdout + output.Stderr;
            text.ShouldNotContain("internal error");
            foreach (var line in text.Split('\n').Where(l => l.Contains("cause:", StringComparison.Ordinal) || l.TrimStart().Length > 2 && char.IsDigit(l.TrimStart()[0]) && l.TrimStart()[1] == '.'))
            {
                line.ShouldNotMatch(@"\{[a-z_]+\}", $"a placeholder left in: {line}");
                line.Trim().ShouldNotContain("  ", customMessage: $"a doubled space (a blank where a value was): {line}");
            }
        }

        var steps = outputs.SelectMany(o => (o.Stdout + o.Stderr).Split('`').Where((_, i) => i % 2 == 1)).Distinct().ToList();
        steps.ShouldNotContain(s => s.StartsWith("docker start ", StringComparison.Ordinal), "containers run with --rm are gone once stopped");
        foreach (var step in steps.Where(s => s.Length > 0 && !NotTyped.Contains(Program(s)) && !s.Contains('|', StringComparison.Ordinal)))
        {
            var typed = await TypedCommand.RunAsync($"timeout 10 sh -c {ShellWords.Quote(step)}", _directory.Path);
            typed.ExitCode.ShouldNotBe(127, $"`{step}` printed by the {preset} preset is not a program here: {typed.Output}");
            typed.Output.ShouldNotContain("No such file or directory", customMessage: $"`{step}` names a path that is not there from where the user stands: {typed.Output}");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task One_docker_daemon_down_is_explained_once_for_the_three_services_of_aistack()
    {
        (await Tend("init", "--preset", "aistack")).ExitCode.ShouldBe(0);

        var preflight = await Tend("preflight");

        preflight.Stdout.Split("cause: The Docker daemon").Length.ShouldBe(2, preflight.Stdout);
        preflight.Stdout.ShouldContain("affects ollama, localai, open-webui");
        preflight.Stdout.Split("the same failure as ollama's above").Length.ShouldBe(3);
    }

    [Fact(Timeout = 120_000)]
    public async Task Backend_ai_outside_a_checkout_says_so_once_instead_of_failing_every_check()
    {
        (await Tend("init", "--preset", "backend.ai")).ExitCode.ShouldBe(0);

        var preflight = await Tend("preflight");
        var doctor = await Tend("doctor", "--json");

        preflight.ExitCode.ShouldBe(1);
        preflight.Stdout.Split('\n').Count(l => l.TrimStart().StartsWith('✗')).ShouldBe(2, "the place, and the totals line: nothing else failed\n" + preflight.Stdout);
        preflight.Stdout.ShouldContain("This stack expects the root of a Backend.AI checkout");
        preflight.Stdout.ShouldContain("`git clone https://github.com/lablup/backend.ai && cd backend.ai && ./scripts/install-dev.sh`");
        doctor.Json.GetProperty("findings").EnumerateArray().ShouldHaveSingleItem().GetProperty("kind").GetString().ShouldBe("stack");

        _directory.Write("BUILD_ROOT", "");
        (await Tend("preflight")).Stdout.ShouldContain("✓ stack: here is the root of a Backend.AI checkout");
    }

    /// <summary>The program a step runs: its first word after any VAR=value assignments.</summary>
    private static string Program(string step) => step.Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => !w.Contains('=', StringComparison.Ordinal)) ?? "";
}
