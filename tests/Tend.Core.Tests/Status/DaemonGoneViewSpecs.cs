using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Tests.Status;

public sealed class DaemonGoneViewSpecs
{
    private static readonly DateTimeOffset Then = new(2026, 11, 28, 9, 30, 0, TimeSpan.Zero);

    private static ComponentSnapshot Running(string name, int pid) =>
        new(name, ComponentKind.Service, ComponentState.Running, "running", Then, 1, pid, 77, Then, 0, null, 0, null, null, null, null, null, null, null) { Active = true };

    [Fact]
    public void A_run_that_ended_with_its_daemon_is_stopped_and_one_still_alive_is_unsupervised()
    {
        var snapshot = new StackSnapshot("s", "/s/tend.toml", 1, 1, Then, Then, [Running("gone", 10), Running("alive", 11), Running("idle", 12) with { State = ComponentState.Backoff, Pid = null }]);

        var view = DaemonGoneView.Of(snapshot, (pid, start) => pid == 11 && start == 77);

        var gone = view.Find("gone")!;
        gone.State.ShouldBe(ComponentState.Stopped);
        gone.Pid.ShouldBeNull();
        gone.Reason.ShouldBe("ended with its daemon (running with pid 10 when last seen, 09:30:00 UTC)");
        gone.Verdict.Kind.ShouldBe(VerdictKind.Stopped);
        view.Find("alive")!.Reason.ShouldBe("unsupervised: its daemon is gone (pid 11 still runs)");
        view.Find("alive")!.State.ShouldBe(ComponentState.Running);
        view.Find("idle").ShouldBe(snapshot.Find("idle"));
    }
}
