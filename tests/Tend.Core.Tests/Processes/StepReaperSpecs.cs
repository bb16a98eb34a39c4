using Tend.Core.Processes;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Processes;

/// <summary>The reaper ends the groups it was told of when the pipe from its tend closes (a runner SIGKILLed is proved end to end in WorkflowRunSpecs).</summary>
public sealed class StepReaperSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task Groups_it_was_told_of_get_SIGTERM_when_its_tend_is_gone_and_forgotten_ones_do_not()
    {
        var reaper = StepReaper.Start().ShouldNotBeNull();
        using var watched = Sleeper();
        using var forgotten = Sleeper();
        reaper.Watch(watched.Id).ShouldBeTrue();
        reaper.Watch(forgotten.Id).ShouldBeTrue();
        reaper.Forget(forgotten.Id).ShouldBeTrue();

        // Closing its stdin is what tend's death does to it.
        reaper.Dispose();

        (await watched.Exited).ShouldBe(128 + Signals.SIGTERM);
        await Task.Delay(TimeSpan.FromMilliseconds(300), TimeProvider.System, TestContext.Current.CancellationToken);
        forgotten.Exited.IsCompleted.ShouldBeFalse("a group it was told has ended is not signalled: its PID may be a stranger's");
        Signals.SendToGroup(forgotten.Id, Signals.SIGKILL);
        (await forgotten.Exited).ShouldBe(128 + Signals.SIGKILL);
    }

    private SpawnedProcess Sleeper() =>
        DirectSpawn.Start(ExecutableLookup.Find("sleep", "/")!, ["600"], _directory.Path, new Dictionary<string, string>(), false)
            .ShouldBeOfType<LaunchOutcome.Spawned>().Process;
}
