using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Remote;

/// <summary>What --host refuses before any ssh runs.</summary>
public sealed class RemoteRefusalSpecs
{
    [Theory(Timeout = 30_000)]
    [InlineData("--host=-oProxyCommand=touch /tmp/pwned")]
    [InlineData("--host=-F/etc/passwd")]
    public async Task A_host_that_ssh_would_read_as_an_option_is_refused(string option)
    {
        using var directory = new TempDirectory();
        var result = await TendBinary.RunAsync(directory.Path, new Dictionary<string, string?> { ["TEND_SSH_COMMAND"] = "false" }, "status", option);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("a name beginning with '-' would be read by ssh as an option");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_tolerance_without_a_host_is_refused()
    {
        using var directory = new TempDirectory();
        directory.Write("tend.toml", "[components.a]\ncommand = [\"true\"]\n");

        var result = await TendBinary.RunAsync(directory.Path, "events", "--remote-failure-tolerance", "4s");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("goes with --host");
    }

    [Fact(Timeout = 30_000)]
    public async Task Api_without_stdio_says_what_it_speaks()
    {
        using var directory = new TempDirectory();
        directory.Write("tend.toml", "[components.a]\ncommand = [\"true\"]\n");

        var result = await TendBinary.RunAsync(directory.Path, "api");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("tend api --stdio");
    }
}
