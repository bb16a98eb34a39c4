using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>Bad input gets one clear paragraph with where and why, exit code 2, no stack trace, nothing written.</summary>
public sealed class BadInputSpecs
{
    private static string Invalid(string name) => Path.Combine(RepoPaths.Fixtures, "stacks", "invalid", name);

    [Theory(Timeout = 30_000)]
    [InlineData("malformed.toml", "malformed.toml:3:16: error: invalid TOML")]
    [InlineData("wrong-type.toml", "wrong-type.toml:4:11: error: components.api.command must be an array of strings")]
    [InlineData("cycle.toml", "cycle.toml:14:14: error: dependency cycle: a → b → c → a")]
    [InlineData("unknown-component.toml", "did you mean 'postgres'?")]
    [InlineData("unknown-key.toml", "unknown key 'kidn' in components.api (did you mean 'kind'?)")]
    public async Task A_broken_stack_file_is_reported_with_its_place_and_exit_code_2(string file, string expected)
    {
        using var directory = new TempDirectory();
        File.Copy(Invalid(file), Path.Combine(directory.Path, "tend.toml"));
        var before = Directory.GetFileSystemEntries(directory.Path);

        foreach (var verb in (string[])["validate", "ls", "graph", "preflight", "health"])
        {
            var result = await TendBinary.RunAsync(directory.Path, verb);

            result.ExitCode.ShouldBe(2, result.ToString());
            result.Stderr.Replace("tend.toml", file, StringComparison.Ordinal).ShouldContain(expected, Case.Sensitive, result.ToString());
            result.Stderr.ShouldNotContain("   at ");
            result.Stdout.ShouldBeEmpty();
        }

        Directory.GetFileSystemEntries(directory.Path).ShouldBe(before);
    }

    [Fact(Timeout = 30_000)]
    public async Task Errors_come_as_json_when_asked()
    {
        var result = await TendBinary.RunAsync(RepoPaths.Root, "validate", "-f", Invalid("cycle.toml"), "--json");

        result.ExitCode.ShouldBe(2);
        result.Json.GetProperty("valid").GetBoolean().ShouldBeFalse();
        var problem = result.Json.GetProperty("problems")[0];
        problem.GetProperty("line").GetInt32().ShouldBe(14);
        problem.GetProperty("column").GetInt32().ShouldBe(14);
        problem.GetProperty("message").GetString().ShouldBe("dependency cycle: a → b → c → a");
    }

    [Fact(Timeout = 30_000)]
    public async Task No_stack_file_says_how_to_make_one()
    {
        using var directory = new TempDirectory();

        var result = await TendBinary.RunAsync(directory.Path, "ls");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("no tend.toml in");
        result.Stderr.ShouldContain("tend init");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_stack_file_given_with_f_that_does_not_exist_is_named()
    {
        var result = await TendBinary.RunAsync(RepoPaths.Root, "validate", "-f", "nowhere/tend.toml");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("nowhere/tend.toml: error: stack file not found");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("frobnicate")]
    [InlineData("ls", "--no-such-option")]
    public async Task Bad_usage_is_exit_code_2(params string[] args)
    {
        var result = await TendBinary.RunAsync(RepoPaths.Root, args);

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldStartWith("tend: ");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_component_gets_the_closest_name()
    {
        var result = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "quickstart"), "preflight", "stor");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("'stor' is not a component of quickstart");
        result.Stderr.ShouldContain("did you mean 'store'?");
    }

    [Fact(Timeout = 30_000)]
    public async Task Output_has_no_colour_codes_when_piped()
    {
        var result = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "quickstart"), "ls");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldNotContain("\u001b[");
    }
}
