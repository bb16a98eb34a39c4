using System.Globalization;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Processes;

/// <summary>Workflow steps start in one exec: their own session, their environment and directory, stdout and stderr on one pipe, and an end told as .NET's Process tells it.</summary>
public sealed class DirectSpawnSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static string Sh => ExecutableLookup.Find("sh", "/").ShouldNotBeNull();

    private SpawnedProcess Spawn(string script, bool replaceEnvironment = false) =>
        DirectSpawn.Start(Sh, ["-c", script], _directory.Path, new Dictionary<string, string> { ["TEND_SPEC"] = "yes" }, replaceEnvironment)
            .ShouldBeOfType<LaunchOutcome.Spawned>().Process;

    [Fact(Timeout = 30_000)]
    public async Task A_spawned_program_leads_its_own_session_in_its_directory_with_its_environment()
    {
        using var process = Spawn("cat /proc/self/stat; echo \"spec=$TEND_SPEC home=${HOME:-none}\"; pwd; echo to-stderr >&2; read line || echo stdin-empty");

        var output = await new StreamReader(process.Output).ReadToEndAsync(TestContext.Current.CancellationToken);
        (await process.Exited).ShouldBe(0);
        var lines = output.Split('\n');
        var fields = lines[0].Split(") ")[1].Split(' ');
        var pid = process.Id.ToString(CultureInfo.InvariantCulture);
        fields[2].ShouldBe(pid, "its process group is its own pid");
        fields[3].ShouldBe(pid, "and so is its session");
        lines.ShouldContain($"spec=yes home={Environment.GetEnvironmentVariable("HOME") ?? "none"}", "tend's environment, with the step's on top");
        lines.ShouldContain(_directory.Path);
        lines.ShouldContain("to-stderr", "stderr shares the pipe");
        lines.ShouldContain("stdin-empty", "stdin is /dev/null, never a hang");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_replaced_environment_is_the_steps_alone()
    {
        using var process = Spawn("echo \"spec=$TEND_SPEC path=${PATH:-none}\"", replaceEnvironment: true);

        var output = await new StreamReader(process.Output).ReadToEndAsync(TestContext.Current.CancellationToken);

        output.ShouldStartWith("spec=yes path=");
        output.ShouldNotContain(Environment.GetEnvironmentVariable("PATH")!);
    }

    [Theory(Timeout = 30_000)]
    [InlineData("exit 3", 3)]
    [InlineData("kill -TERM $$", 128 + 15)]
    [InlineData("kill -KILL $$", 128 + 9)]
    public async Task Its_end_is_an_exit_code_or_128_plus_the_signal(string script, int status)
    {
        using var process = Spawn(script);

        (await process.Exited).ShouldBe(status);
    }

    [Fact(Timeout = 30_000)]
    public async Task Signals_tend_ignores_are_back_to_their_defaults_in_the_child()
    {
        // .NET ignores SIGPIPE, and an ignored signal would stay ignored across exec: `yes | head`
        // would then run until `yes` noticed EPIPE, not die of SIGPIPE as in a shell.
        using var process = Spawn("grep -E '^Sig(Ign|Blk):' /proc/self/status");

        var output = await new StreamReader(process.Output).ReadToEndAsync(TestContext.Current.CancellationToken);

        // Signals 1 to 31; glibc's posix_spawn keeps its own two (32 and 33) as they were.
        long Mask(string name) => long.Parse(output.Split('\n').Single(l => l.StartsWith(name, StringComparison.Ordinal)).Split('\t')[1], NumberStyles.HexNumber, CultureInfo.InvariantCulture) & 0x7FFF_FFFF;
        Mask("SigIgn:").ShouldBe(0, output);
        Mask("SigBlk:").ShouldBe(0, output);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_pid_stays_taken_until_disposed_so_a_late_signal_reaches_no_stranger()
    {
        var process = Spawn("exit 0");
        await process.Exited;

        File.ReadAllText($"/proc/{process.Id}/stat").Split(") ")[1][0].ShouldBe('Z', "ended, not reaped");
        process.Dispose();
        File.Exists($"/proc/{process.Id}/stat").ShouldBeFalse("reaped by the dispose");
    }

    [Fact(Timeout = 30_000)]
    public void A_program_that_cannot_be_executed_is_a_failure_with_its_class()
    {
        var script = _directory.Write("script.sh", "echo hi\n");

        var failure = DirectSpawn.Start(script, [], _directory.Path, new Dictionary<string, string>(), false).ShouldBeOfType<LaunchOutcome.Failed>().Failure;

        failure.ErrorClass.ShouldBe("permission_denied");
        failure.ExitCode.ShouldBe(ExitStatus.CannotExecute);
    }
}
