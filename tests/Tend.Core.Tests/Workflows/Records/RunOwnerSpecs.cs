using Tend.Core.Tests.Workflows.Stats;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Tests.Workflows.Records;

/// <summary>Whose a run is: decided from its runner's pid against the daemon's, the same for the CLI and the daemon.</summary>
public sealed class RunOwnerSpecs
{
    private static RunRecord Running(int runner) => RunRecords.Run("triage", RunOutcome.Running, TimeSpan.FromMinutes(1), null) with { RunnerPid = runner };

    [Fact]
    public void A_run_whose_runner_is_the_daemon_is_the_daemons_and_any_other_runner_is_a_foreground_one()
    {
        RunOwner.Of(Running(4301), daemonPid: 4301).Kind.ShouldBe(RunOwnerKind.Daemon);
        RunOwner.Of(Running(4302), daemonPid: 4301).ShouldBe(new RunOwner(Running(4302).Run, RunOwnerKind.Foreground, 4302));
        RunOwner.Of(Running(4302), daemonPid: null).Kind.ShouldBe(RunOwnerKind.Foreground, "no daemon runs: the runner is a foreground one");
        RunOwner.Of(Running(4301) with { Outcome = RunOutcome.Failed }, daemonPid: 4301).Kind.ShouldBe(RunOwnerKind.Ended);
        RunOwner.Of(Running(4301) with { Outcome = RunOutcome.Interrupted }, daemonPid: 4301).Kind.ShouldBe(RunOwnerKind.Ended);
    }

    [Fact]
    public void Each_owner_names_what_ends_its_run_with_no_placeholder()
    {
        var run = Running(77);

        var (daemonProblem, daemonHint) = RunOwner.Of(run, 77).StillRunning();
        daemonProblem.ShouldBe($"run {run.Run} is still running in the daemon (pid 77)");
        daemonHint.ShouldContain($"tend workflow stop {run.Run}");

        var (problem, hint) = RunOwner.Of(run, 1).StillRunning();
        problem.ShouldBe($"run {run.Run} is still running in the foreground (pid 77)");
        hint.ShouldContain("kill 77");
        hint.ShouldNotContain("tend workflow stop", Case.Sensitive, "the daemon cannot stop a foreground run");
        RunOwner.Of(run, 1).NotTheDaemons().Hint.ShouldBe("stop it where it runs with Ctrl+C, or: kill 77");
    }
}
