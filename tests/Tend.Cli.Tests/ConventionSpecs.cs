using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>The command line behaves as users of git, docker and tail expect: help when bare, did-you-mean for a typo, -f that means one thing per place, --json never silently ignored.</summary>
public sealed class ConventionSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public ConventionSpecs() => _directory.Write("tend.toml", """
        [components.app]
        command = ["sh", "-c", "echo hello from app; exec sleep 600"]
        min_uptime = "0s"
        """);

    public void Dispose()
    {
        TendBinary.RunAsync(_directory.Path, "daemon", "stop").GetAwaiter().GetResult();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 30_000)]
    public async Task Bare_tend_prints_the_help()
    {
        var bare = await Tend();

        bare.ExitCode.ShouldBe(0, bare.ToString());
        bare.Stdout.ShouldContain("Usage:");
        bare.Stdout.ShouldContain("status");
        bare.Stderr.ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_typo_in_the_command_gets_did_you_mean()
    {
        var typo = await Tend("stauts");

        typo.ExitCode.ShouldBe(2);
        typo.Stderr.ShouldContain("'stauts' is not a tend command; did you mean 'status'?");
    }

    [Fact(Timeout = 60_000)]
    public async Task Minus_f_after_logs_is_follow_and_the_error_for_a_file_there_prints_a_command_that_works()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);

        var mistaken = await Tend("logs", "app", "-f", "tend.toml", "-n", "5");

        mistaken.ExitCode.ShouldBe(2);
        mistaken.Stderr.ShouldContain("-f after logs means --follow");
        var step = mistaken.Stderr[mistaken.Stderr.IndexOf("tend -f ", StringComparison.Ordinal)..];
        step = step[..step.IndexOf(" (or", StringComparison.Ordinal)];
        step.ShouldBe("tend -f tend.toml logs app -n 5");
        await DaemonState.WaitUntilAsync(() => File.Exists(Path.Combine(_directory.Path, ".tend", "logs", "app", "current.log")) && File.ReadAllText(Path.Combine(_directory.Path, ".tend", "logs", "app", "current.log")).Contains("hello", StringComparison.Ordinal));
        var typed = await TypedCommand.RunAsync(TendBinary.Binary + step["tend".Length..], _directory.Path);
        typed.ExitCode.ShouldBe(0, typed.Output);
        typed.Output.ShouldContain("hello from app");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("up")]
    [InlineData("why", "app")]
    [InlineData("logs", "app")]
    [InlineData("down")]
    [InlineData("stop", "app")]
    [InlineData("daemon", "status")]
    public async Task Json_where_a_command_has_none_is_refused_before_anything_is_done(params string[] args)
    {
        var result = await Tend([.. args, "--json"]);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain($"tend {string.Join(' ', args.Where(a => a != "app"))} has no JSON output");
        Directory.Exists(Path.Combine(_directory.Path, ".tend")).ShouldBeFalse("nothing was started");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_lists_of_tend_run_have_json_too()
    {
        var all = await Tend("run", "--json");
        var one = await Tend("run", "app", "--json");

        all.ExitCode.ShouldBe(0, all.ToString());
        all.Json.GetProperty("components").EnumerateArray().Single().GetProperty("name").GetString().ShouldBe("app");
        one.Json.GetProperty("stack").GetString().ShouldNotBeNullOrEmpty();
        one.Json.GetProperty("components")[0].GetProperty("commands").GetArrayLength().ShouldBe(0);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("logs", "tend logs [<component>]")]
    [InlineData("why", "tend why [<component> [<step>]]")]
    [InlineData("preflight", "tend preflight [<component>...]")]
    public async Task Optional_arguments_are_shown_as_optional_in_the_help(string verb, string usage)
    {
        var help = await Tend(verb, "--help");

        help.Stdout.ShouldContain(usage);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("start")]
    [InlineData("logs")]
    [InlineData("why")]
    public async Task Help_names_the_argument_not_the_stacks_components(string verb)
    {
        var help = await Tend(verb, "--help");

        help.Stdout.ShouldContain("  <component>");
        help.Stdout.ShouldNotContain("<app>", Case.Sensitive, "the completions of the argument are not its name");
    }

    [Fact(Timeout = 60_000)]
    public async Task Why_without_a_component_is_the_doctors_report_of_the_stack()
    {
        var why = await Tend("why");
        var json = await Tend("why", "--json");

        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain("Nothing is wrong");
        json.Json.GetProperty("status").GetString().ShouldBe("pass");
    }
}
