using System.Threading.Channels;
using Microsoft.Extensions.Time.Testing;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Tests.Support;
using Tend.Daemon.Hosting;
using Tend.Daemon.Tests.Support;

namespace Tend.Daemon.Tests.Hosting;

/// <summary>The sd_notify protocol, spoken to a real NOTIFY_SOCKET datagram socket the test listens on; the watchdog on a fake clock.</summary>
public sealed class SystemdNotifySpecs : IDisposable
{
    private static readonly TimeSpan Quiet = TimeSpan.FromMilliseconds(300);
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(10);
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Func<string, string?> Environment(string socket, long? watchdogUsec = null, string? watchdogPid = null) => name => name switch
    {
        "NOTIFY_SOCKET" => socket,
        "WATCHDOG_USEC" => watchdogUsec?.ToString(System.Globalization.CultureInfo.InvariantCulture),
        "WATCHDOG_PID" => watchdogPid,
        _ => null,
    };

    [Fact(Timeout = 30_000)]
    public async Task A_message_reaches_the_socket_at_a_path_and_at_an_abstract_name()
    {
        using var atPath = new NotifySocket(Path.Combine(_directory.Path, "notify"));
        using var abstractName = new NotifySocket($"@tend-spec-{Guid.NewGuid():N}");

        using (var notify = SystemdNotify.FromEnvironment(Environment(atPath.Address), System.Environment.ProcessId)!)
        {
            notify.Send("READY=1\nSTATUS=2 up").ShouldBeTrue();
        }

        using (var notify = SystemdNotify.FromEnvironment(Environment(abstractName.Address), System.Environment.ProcessId)!)
        {
            notify.Send("STATUS=starting").ShouldBeTrue();
        }

        (await atPath.ReceiveAsync(Wait)).ShouldBe("READY=1\nSTATUS=2 up");
        (await abstractName.ReceiveAsync(Wait)).ShouldBe("STATUS=starting");
    }

    [Fact]
    public void The_watchdog_is_pinged_at_half_its_period_and_only_when_it_is_ours()
    {
        var pid = System.Environment.ProcessId;
        using var socket = new NotifySocket(Path.Combine(_directory.Path, "notify"));

        SystemdNotify.FromEnvironment(Environment(socket.Address, 30_000_000), pid)!.WatchdogInterval.ShouldBe(TimeSpan.FromSeconds(15));
        SystemdNotify.FromEnvironment(Environment(socket.Address, 30_000_000, $"{pid}"), pid)!.WatchdogInterval.ShouldBe(TimeSpan.FromSeconds(15));
        SystemdNotify.FromEnvironment(Environment(socket.Address, 30_000_000, $"{pid + 1}"), pid)!.WatchdogInterval.ShouldBeNull("the watchdog of another process (a parent that kept the variable)");
        SystemdNotify.FromEnvironment(Environment(socket.Address), pid)!.WatchdogInterval.ShouldBeNull();
        SystemdNotify.FromEnvironment(Environment(""), pid).ShouldBeNull();
        SystemdNotify.FromEnvironment(Environment("relative/path"), pid).ShouldBeNull();
    }

    [Fact(Timeout = 30_000)]
    public async Task Pings_come_every_half_period_and_stop_while_the_supervision_is_wedged()
    {
        using var socket = new NotifySocket(Path.Combine(_directory.Path, "notify"));
        using var notify = SystemdNotify.FromEnvironment(Environment(socket.Address, 2_000_000), System.Environment.ProcessId)!;
        var time = new FakeTimeProvider();
        using var wedge = new ManualResetEventSlim(initialState: true);
        using var stopping = new CancellationTokenSource();
        var pinging = Task.Run(() => new SystemdSession(notify, time).WatchdogAsync(() => wedge.Wait(Wait * 3), stopping.Token), TestContext.Current.CancellationToken);
        await WaitForTimerAsync(time);

        time.Advance(TimeSpan.FromMilliseconds(999));
        (await socket.ReceiveAsync(Quiet)).ShouldBeNull("not before half the period");
        time.Advance(TimeSpan.FromMilliseconds(1));
        (await socket.ReceiveAsync(Wait)).ShouldBe("WATCHDOG=1");

        wedge.Reset();
        await WaitForTimerAsync(time);
        // The fake clock runs the timer's continuation on the thread that advances it: a pool thread, which the wedge holds.
        var advancing = Task.Run(() => time.Advance(TimeSpan.FromSeconds(1)), TestContext.Current.CancellationToken);
        (await socket.ReceiveAsync(Quiet)).ShouldBeNull("a wedged supervision sends no ping though the period passed, so systemd restarts the daemon");
        advancing.IsCompleted.ShouldBeFalse("the watchdog loop is held by the wedged supervision");

        wedge.Set();
        (await socket.ReceiveAsync(Wait)).ShouldBe("WATCHDOG=1", "the ping that was held goes out once the supervision answers");
        await advancing;
        await stopping.CancelAsync();
        await pinging;
    }

    [Fact(Timeout = 30_000)]
    public async Task Ready_is_sent_once_the_stack_has_settled_with_status_lines_before_and_after()
    {
        using var socket = new NotifySocket(Path.Combine(_directory.Path, "notify"));
        using var notify = SystemdNotify.FromEnvironment(Environment(socket.Address), System.Environment.ProcessId)!;
        var snapshots = Channel.CreateUnbounded<StackSnapshot>();
        var reporting = new SystemdSession(notify, TimeProvider.System).ReportAsync(snapshots.Reader.ReadAllAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        await snapshots.Writer.WriteAsync(Stack(ComponentState.Waiting, ComponentState.Waiting), TestContext.Current.CancellationToken);
        (await socket.ReceiveAsync(Wait)).ShouldBe("STATUS=starting: 0 of 2 up");
        await snapshots.Writer.WriteAsync(Stack(ComponentState.Completed, ComponentState.Starting), TestContext.Current.CancellationToken);
        (await socket.ReceiveAsync(Wait)).ShouldBe("STATUS=starting: 1 of 2 up");
        await snapshots.Writer.WriteAsync(Stack(ComponentState.Completed, ComponentState.Starting), TestContext.Current.CancellationToken);
        (await socket.ReceiveAsync(Quiet)).ShouldBeNull("the same words are not said twice");
        await snapshots.Writer.WriteAsync(Stack(ComponentState.Completed, ComponentState.Healthy), TestContext.Current.CancellationToken);
        (await socket.ReceiveAsync(Wait)).ShouldBe("READY=1\nSTATUS=2 up");
        await snapshots.Writer.WriteAsync(Stack(ComponentState.Completed, ComponentState.CrashLoop), TestContext.Current.CancellationToken);
        (await socket.ReceiveAsync(Wait)).ShouldBe("STATUS=1 up, 1 failed or stuck (web)");
        snapshots.Writer.Complete();
        await reporting;
        (await socket.ReceiveAsync(Quiet)).ShouldBeNull("READY=1 once");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_component_that_fails_does_not_hold_the_start_of_the_daemon()
    {
        using var socket = new NotifySocket(Path.Combine(_directory.Path, "notify"));
        using var notify = SystemdNotify.FromEnvironment(Environment(socket.Address), System.Environment.ProcessId)!;
        var snapshots = Channel.CreateUnbounded<StackSnapshot>();
        await snapshots.Writer.WriteAsync(Stack(ComponentState.ConfigBroken, ComponentState.Waiting), TestContext.Current.CancellationToken);
        snapshots.Writer.Complete();

        await new SystemdSession(notify, TimeProvider.System).ReportAsync(snapshots.Reader.ReadAllAsync(TestContext.Current.CancellationToken), TestContext.Current.CancellationToken);

        (await socket.ReceiveAsync(Wait))!.ShouldStartWith("READY=1\nSTATUS=0 up, ");
    }

    private static StackSnapshot Stack(ComponentState seed, ComponentState web) =>
        new("shop", "/srv/shop/tend.toml", 1, 1, default, default, [Component("seed", ComponentKind.Job, seed), Component("web", ComponentKind.Service, web, seed == ComponentState.ConfigBroken)]);

    private static ComponentSnapshot Component(string name, ComponentKind kind, ComponentState state, bool blockedForGood = false) =>
        new(name, kind, state, null, default, 1, state.IsRunning() ? 4242 : null, null, null, 0, state == ComponentState.Healthy ? ProbeHealth.Passing : null, 0, null, null, null, null, null, null, null, null)
        {
            Blockers = blockedForGood ? [new UnmetRequirement("seed", RequirementCondition.Completed, ComponentState.ConfigBroken, Stuck: true)] : null,
        };

    /// <summary>Lets the loop arm its next timer before the clock moves (a timer armed after an advance would start from the new time).</summary>
    private static Task WaitForTimerAsync(FakeTimeProvider time) => Task.Delay(TimeSpan.FromMilliseconds(50), TimeProvider.System, TestContext.Current.CancellationToken);
}
