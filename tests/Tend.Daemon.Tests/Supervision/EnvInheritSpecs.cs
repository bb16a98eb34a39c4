using Tend.Core.Status;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>
/// Issue 8: services inherited the whole environment of whoever first ran `tend up` (tokens,
/// SSH agents, a shell's history settings). <c>env_inherit</c> says how much of it they get, as
/// systemd passes only what a unit is told; a real child prints what it got.
/// </summary>
public sealed class EnvInheritSpecs
{
    // Names this test process has (xunit sets neither), and one only this spec sets.
    private const string Marker = "TEND_SPEC_ENV_INHERIT_MARKER";

    static EnvInheritSpecs() => Environment.SetEnvironmentVariable(Marker, "from-tend's-own-environment");

    private static string Stack(string inherit) => $$"""
        [components.printer]
        kind = "job"
        command = {{DummyArgv("env", "PATH", "HOME", Marker, "MODE", "TEND_COMPONENT")}}
        env = { MODE = "dev" }
        {{inherit}}
        """;

    private static async Task<IReadOnlyList<string>> PrintedAsync(string inherit)
    {
        await using var fixture = new SupervisorFixture(Stack(inherit));
        fixture.Supervisor.Up([]);
        await fixture.WaitForStateAsync("printer", ComponentState.Completed);
        return fixture.Output.Lines("printer", 1);
    }

    [Fact(Timeout = 60_000)]
    public async Task By_default_a_child_gets_all_of_tends_environment()
    {
        var printed = await PrintedAsync("");

        printed.ShouldContain($"PATH={Environment.GetEnvironmentVariable("PATH")}");
        printed.ShouldContain($"{Marker}=from-tend's-own-environment");
        printed.ShouldContain("MODE=dev");
    }

    [Fact(Timeout = 60_000)]
    public async Task With_env_inherit_false_a_child_gets_only_what_the_stack_file_gives_it()
    {
        var printed = await PrintedAsync("env_inherit = false");

        printed.ShouldContain("PATH=");
        printed.ShouldContain("HOME=");
        printed.ShouldContain($"{Marker}=");
        printed.ShouldContain("MODE=dev");
        printed.ShouldContain("TEND_COMPONENT=printer");
    }

    [Fact(Timeout = 60_000)]
    public async Task With_an_allow_list_a_child_gets_those_names_of_tends_environment_and_no_other()
    {
        var printed = await PrintedAsync("env_inherit = [\"PATH\", \"HOME\"]");

        printed.ShouldContain($"PATH={Environment.GetEnvironmentVariable("PATH")}");
        printed.ShouldContain($"HOME={Environment.GetEnvironmentVariable("HOME")}");
        printed.ShouldContain($"{Marker}=");
        printed.ShouldContain("MODE=dev");
    }
}
