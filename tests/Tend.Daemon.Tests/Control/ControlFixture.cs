using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Control;
using Tend.Daemon.Hosting;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Control;

/// <summary>
/// A daemon in the test's own process, as DaemonHost assembles one: the event hub over real
/// files, the supervisor with real processes, StackControl, and (when asked) the control socket.
/// </summary>
public sealed class ControlFixture : IAsyncDisposable
{
    private readonly ProcessLauncher _launcher = new();
    private readonly CancellationTokenSource _stopping = new();
    private readonly EventHub _events;
    private Task _serving = Task.CompletedTask;
    private ControlServer? _server;

    public ControlFixture(string toml)
    {
        Directory = new TempDirectory();
        StackPath = Directory.Write("tend.toml", toml);
        var stack = StackFileLoader.Load(StackPath, Environment.GetEnvironmentVariable).Stack.ShouldNotBeNull();
        Paths = new DaemonPaths(stack.StateDirectory);
        System.IO.Directory.CreateDirectory(Paths.StateDirectory);
        _events = new EventHub(new EventLog(Paths.Events));
        Supervisor = new Supervisor(stack, new SupervisorServices(TimeProvider.System, _events, new LogRunOutput(Paths, TimeProvider.System), _launcher, new Random(7)));
        Control = new StackControl(Supervisor, _events, Paths, new DaemonIdentity(Environment.ProcessId, 0, TimeProvider.System.GetUtcNow(), "test"), TimeProvider.System, () => ShutdownRequested = true);
    }

    public TempDirectory Directory { get; }

    public string StackPath { get; }

    public DaemonPaths Paths { get; }

    public Supervisor Supervisor { get; }

    public StackControl Control { get; }

    public EventHub Events => _events;

    public bool ShutdownRequested { get; private set; }

    /// <summary>Rewrites the stack file, as a user editing it would.</summary>
    public void Edit(string toml) => File.WriteAllText(StackPath, toml);

    /// <summary>Serves the control socket; returns a connected client.</summary>
    public async Task<ControlClient> ServeAndConnectAsync()
    {
        if (_server is null)
        {
            _server = new ControlServer(Paths.Socket, Control, TimeProvider.System);
            _server.Bind();
            _serving = _server.ServeAsync(_stopping.Token);
        }

        return (await ControlClient.ConnectAsync(Paths.Socket, TimeSpan.FromSeconds(5), TestContext.Current.CancellationToken)).ShouldNotBeNull();
    }

    /// <summary>Waits (real time) until <paramref name="condition"/> holds for the status, at each change.</summary>
    public async Task WaitUntilAsync(Func<Core.Status.StackSnapshot, bool> condition, string what)
    {
        using var deadline = new CancellationTokenSource(TimeSpan.FromSeconds(40));
        try
        {
            await foreach (var snapshot in Control.WatchAsync(deadline.Token))
            {
                if (condition(snapshot))
                {
                    return;
                }
            }
        }
        catch (OperationCanceledException)
        {
            throw new TimeoutException($"never {what}: {string.Join("; ", Control.Status().Components.Select(c => $"{c.Name} {c.State} {c.Reason}"))}");
        }
    }

    /// <summary>Waits (real time) until the component's current log shows <paramref name="text"/>: the dummy says "ready" once its handlers are in place.</summary>
    public Task WaitForLogAsync(string component, string text)
    {
        var log = Path.Combine(Paths.ComponentLogs(component), "current.log");
        return PollAsync(() => File.Exists(log) && File.ReadAllText(log).Contains(text, StringComparison.Ordinal), $"{component} logged \"{text}\"");
    }

    /// <summary>For what no change signal announces (a file written by another task): looks every 20 ms, 30 s at most.</summary>
    public static async Task PollAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1500; i++)
        {
            if (condition())
            {
                return;
            }

            await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        throw new TimeoutException($"never {what}");
    }

    public async ValueTask DisposeAsync()
    {
        await _stopping.CancelAsync();
        await _serving;
        _server?.Dispose();
        await Supervisor.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(30), TimeProvider.System);
        Control.Dispose();
        _launcher.Dispose();
        _events.Dispose();
        _stopping.Dispose();
        Directory.Dispose();
    }
}
