using Tend.Core.Processes;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Processes;

/// <summary>The one way tend starts a process: in a group of its own, and every failure a value with its class.</summary>
public sealed class ProcessLauncherSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly ProcessLauncher _launcher = new();

    public void Dispose()
    {
        _launcher.Dispose();
        _directory.Dispose();
    }

    private LaunchRequest Request(string program, params string[] arguments) => new(program, arguments, _directory.Path, new Dictionary<string, string> { ["TEND_SPEC"] = "yes" });

    [Fact(Timeout = 30_000)]
    public async Task A_started_program_leads_a_process_group_of_its_own_and_gets_its_environment()
    {
        var outcome = await _launcher.StartAsync(Request("sh", "-c", "cat /proc/self/stat; echo \"spec=$TEND_SPEC\"") with { DieWithParent = true });

        using var process = outcome.ShouldBeOfType<LaunchOutcome.Started>().Process;
        var output = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        var fields = output.Split('\n')[0].Split(") ")[1].Split(' ');
        fields[2].ShouldBe(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "its process group is its own pid");
        fields[3].ShouldBe(process.Id.ToString(System.Globalization.CultureInfo.InvariantCulture), "and so is its session");
        output.ShouldContain("spec=yes");
    }

    [Fact]
    public async Task A_program_that_is_not_there_is_not_found_as_a_shell_would_say()
    {
        var outcome = await _launcher.StartAsync(Request("./no-such-program"));

        var failure = outcome.ShouldBeOfType<LaunchOutcome.Failed>().Failure;
        failure.ErrorClass.ShouldBe("not_found");
        failure.ExitCode.ShouldBe(ExitStatus.NotFound);
        failure.Message.ShouldBe($"./no-such-program: not found (looked in {_directory.Path} and on PATH)");
    }

    [Fact]
    public async Task A_file_without_the_execute_bit_is_not_executable_and_the_fix_is_named()
    {
        var script = _directory.Write("script.sh", "#!/bin/sh\necho hi\n");

        var failure = (await _launcher.StartAsync(Request("./script.sh"))).ShouldBeOfType<LaunchOutcome.Failed>().Failure;

        failure.ErrorClass.ShouldBe("not_executable");
        failure.ExitCode.ShouldBe(ExitStatus.CannotExecute);
        failure.Message.ShouldBe($"{script}: not executable (chmod +x {script})");
    }

    [Fact]
    public async Task A_working_directory_that_is_gone_is_said_as_such()
    {
        var request = Request("true") with { WorkingDirectory = Path.Combine(_directory.Path, "gone") };

        var failure = (await _launcher.StartAsync(request)).ShouldBeOfType<LaunchOutcome.Failed>().Failure;

        failure.ErrorClass.ShouldBe("bad_cwd");
    }

    [Theory]
    [InlineData(null, "/usr/bin/setpriv", true, "setsid not found")]
    [InlineData("/usr/bin/setsid", null, true, "setpriv not found")]
    [InlineData(null, null, false, "setsid not found")]
    public async Task Without_the_process_tools_nothing_starts_and_nothing_falls_back(string? setsid, string? setpriv, bool dieWithParent, string says)
    {
        using var launcher = new ProcessLauncher(new LaunchTools(setsid, setpriv));

        var failure = (await launcher.StartAsync(Request("true") with { DieWithParent = dieWithParent })).ShouldBeOfType<LaunchOutcome.Failed>().Failure;

        failure.ErrorClass.ShouldBe("tools_missing");
        failure.Message.ShouldStartWith(says.Replace(" not found", "", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Without_the_parent_death_signal_setpriv_is_not_needed()
    {
        using var launcher = new ProcessLauncher(new LaunchTools(LaunchTools.OnThisMachine.Setsid, Setpriv: null));

        var outcome = await launcher.StartAsync(Request("true"));

        using var process = outcome.ShouldBeOfType<LaunchOutcome.Started>().Process;
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0);
    }

    [Theory]
    [InlineData("TERM", 15)]
    [InlineData("SIGINT", 2)]
    [InlineData("kill", 9)]
    [InlineData("10", 10)]
    public void Signals_are_read_by_name_with_or_without_sig_or_by_number(string text, int number)
    {
        Signals.TryParse(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(number);
    }

    [Fact]
    public void Signals_and_deaths_by_signal_are_named_one_way()
    {
        Signals.Name(15).ShouldBe("SIGTERM");
        Signals.Name(13).ShouldBe("SIGPIPE");
        Signals.Name(34).ShouldBe("SIG34");
        ExitStatus.SignalOf(137).ShouldBe(9);
        ExitStatus.SignalOf(1).ShouldBeNull();
        Signals.TryParse("BOGUS", out _).ShouldBeFalse();
    }
}
