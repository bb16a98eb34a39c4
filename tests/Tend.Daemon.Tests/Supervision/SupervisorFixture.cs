using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Tests.Support;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision;
using Tend.Daemon.Tests.Support;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>A supervisor over an inline stack with real processes, recorded events and in-memory output.</summary>
public sealed class SupervisorFixture : IAsyncDisposable
{
    private readonly ProcessLauncher _launcher = new();

    /// <param name="setUp">Writes what the stack file refers to (prompt files...) before it is loaded.</param>
    public SupervisorFixture(string toml, TimeProvider? time = null, int seed = 42, Action<string>? setUp = null)
    {
        Directory = new TempDirectory();
        setUp?.Invoke(Directory.Path);
        Output = new MemoryOutput(System.IO.Path.Combine(Directory.Path, "logs"));
        Stack = StackBuilder.Load(Directory.Path, toml);
        Time = time ?? TimeProvider.System;
        Supervisor = new Supervisor(Stack, new SupervisorServices(Time, Events, Output, _launcher, new Random(seed)));
    }

    public TempDirectory Directory { get; }

    public StackFile Stack { get; }

    public TimeProvider Time { get; }

    public RecordingEvents Events { get; } = new();

    public MemoryOutput Output { get; }

    public Supervisor Supervisor { get; }

    public ComponentSnapshot Get(string name) => Supervisor.Snapshot().Single(s => s.Name == name);

    /// <summary>Waits (real time) until the component reaches a state.</summary>
    public Task WaitForStateAsync(string name, ComponentState state, TimeSpan? timeout = null) =>
        WaitUntilAsync(name, snapshot => snapshot.State == state, $"became {state.Name()}", timeout);

    /// <summary>Waits (real time) until the component's snapshot satisfies <paramref name="condition"/>.</summary>
    public async Task WaitUntilAsync(string name, Func<ComponentSnapshot, bool> condition, string what, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(40));
        while (true)
        {
            var next = Supervisor.Changed.Next;
            if (condition(Get(name)))
            {
                return;
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"{name} never {what}: it is {Get(name).State} ({Get(name).Reason}); events:\n{string.Join('\n', Events.All)}");
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        try
        {
            await Supervisor.DisposeAsync().AsTask().WaitAsync(TimeSpan.FromSeconds(15), TimeProvider.System);
        }
        catch (TimeoutException)
        {
            throw new TimeoutException($"the supervisor did not stop; snapshot:\n{string.Join('\n', Supervisor.Snapshot())}\nevents:\n{string.Join('\n', Events.All)}");
        }

        _launcher.Dispose();
        Directory.Dispose();
        Events.Violations.ShouldBeEmpty("every event must match its registered kind");
    }
}
