using System.Runtime.InteropServices;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Control;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>
/// The daemon of one stack: holds the single-instance lock, serves the control socket, runs the
/// supervisor, keeps state.json current, and on TERM/INT (or `tend daemon stop`) stops the stack
/// in order before it exits.
/// </summary>
public sealed class DaemonHost : IDisposable
{
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CancellationTokenSource _shutdown = new();
    private Supervisor? _supervisor;
    private StackFile _stack = null!;
    private DaemonPaths _paths = null!;
    private long _startTicks;
    private DateTimeOffset _startedAt;
    private LoggedEvents? _events;
    private string _stopReason = "unknown";

    private static string Version => typeof(DaemonHost).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Runs until shut down; returns the process exit code.</summary>
    public async Task<int> RunAsync(string stackPath, bool detach)
    {
        var loaded = StackFileLoader.Load(stackPath);
        if (loaded.Stack is not { } stack)
        {
            await Console.Error.WriteLineAsync($"tend daemon: {stackPath} has errors: {string.Join("; ", loaded.Errors)}");
            return 2;
        }

        _stack = stack;
        _paths = new DaemonPaths(stack.StateDirectory);
        Directory.CreateDirectory(_paths.StateDirectory);
        File.SetUnixFileMode(_paths.StateDirectory, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        if (detach)
        {
            StdioRedirect.Detach(_paths.DaemonLog);
        }

        using var lockFile = TryLock(_paths.Lock);
        if (lockFile is null)
        {
            await Console.Error.WriteLineAsync($"tend daemon: another daemon already runs this stack (pid {ReadPid(_paths.PidFile)})");
            return 1;
        }

        Core.Persistence.AtomicFile.WriteAllText(_paths.PidFile, $"{Environment.ProcessId}\n");
        _startTicks = ProcStat.Read(Environment.ProcessId)?.StartTicks ?? 0;
        _startedAt = _time.GetUtcNow();

        using var events = new LoggedEvents(_paths.Events, _time);
        _events = events;
        var output = new LogRunOutput(_paths, _time);
        using var spawner = new Spawner();
        var services = new SupervisorServices(_time, events, output, spawner, Random.Shared);
        var previous = StateStore.Read(_paths.State);
        await new Recovery(services.Stopper, events).StopOrphansAsync(previous, name => stack.Find(name)?.Stop ?? StopPolicy.Default);

        _supervisor = new Supervisor(stack, services);
        _supervisor.Restore(previous?.Components ?? []);
        var state = new StateStore(_paths.State);
        events.Emit(EventKinds.DaemonStarted, null, new("pid", Environment.ProcessId), new("version", Version), new("stack", stack.Name), new("stack_file", stack.Path), new("state_dir", _paths.StateDirectory));
        state.Write(Snapshot());

        using var server = new ControlServer(_paths.Socket, HandleAsync);
        server.Bind();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);

        var serving = server.ServeAsync(_shutdown.Token);
        var persisting = PersistAsync(state, _shutdown.Token);
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, _shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }

        await _supervisor.DownAsync([]);
        state.Write(Snapshot());
        events.Emit(EventKinds.DaemonStopped, null, new("pid", Environment.ProcessId), new("reason", _stopReason), EventFields.Ms("uptime_ms", _time.GetUtcNow() - _startedAt));
        await serving;
        await IgnoreCancellation(persisting);
        TryDelete(_paths.Socket);
        TryDelete(_paths.PidFile);
        return 0;
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        _stopReason = context.Signal.ToString();
        _shutdown.Cancel();
    }

    private StackSnapshot Snapshot() =>
        new(_stack.Name, _stack.Path, Environment.ProcessId, _startTicks, _startedAt, _time.GetUtcNow(), _supervisor?.Snapshot() ?? []);

    /// <summary>
    /// Writes state.json at once after a change (a new PID must be on disk before the daemon can
    /// be killed), then lets further changes gather for 50 ms before the next write.
    /// </summary>
    private async Task PersistAsync(StateStore state, CancellationToken cancellationToken)
    {
        while (!cancellationToken.IsCancellationRequested)
        {
            var next = _supervisor!.Changed.Next;
            state.Write(Snapshot());
            await Task.Delay(TimeSpan.FromMilliseconds(50), _time, cancellationToken);
            await next.WaitAsync(cancellationToken);
        }
    }

    private async Task<ControlResponse> HandleAsync(ControlRequest request, CancellationToken cancellationToken)
    {
        var supervisor = _supervisor!;
        var names = request.Components ?? [];
        var unknown = names.Where(n => supervisor.Find(n) is null).ToList();
        if (unknown.Count > 0)
        {
            return new ControlResponse(false, $"not a component of {_stack.Name}: {string.Join(", ", unknown)}");
        }

        switch (request.Verb)
        {
            case "ping":
            case "status":
                return new ControlResponse(true, Snapshot: Snapshot());
            case "up":
                var changes = await ReloadIfChangedAsync(request.StackFile);
                if (changes.Error is not null)
                {
                    return new ControlResponse(false, changes.Error);
                }

                return new ControlResponse(true, Snapshot: Snapshot(), Components: supervisor.Up(names, request.MaxRounds), Changes: changes.Lines);
            case "down":
                await supervisor.DownAsync(names);
                return new ControlResponse(true, Snapshot: Snapshot());
            case "start":
                foreach (var name in names)
                {
                    supervisor.Find(name)!.Start(request.MaxRounds);
                }

                return new ControlResponse(true, Snapshot: Snapshot());
            case "stop":
                await Task.WhenAll(names.Select(n => supervisor.Find(n)!.StopAsync()));
                return new ControlResponse(true, Snapshot: Snapshot());
            case "restart":
                await Task.WhenAll(names.Select(supervisor.RestartAsync));
                return new ControlResponse(true, Snapshot: Snapshot());
            case "kill":
                await Task.WhenAll(names.Select(n => supervisor.Find(n)!.StopAsync(request.Signal ?? 9)));
                return new ControlResponse(true, Snapshot: Snapshot());
            case "shutdown":
                _stopReason = "tend daemon stop";
                await _shutdown.CancelAsync();
                return new ControlResponse(true);
            default:
                return new ControlResponse(false, $"unknown verb '{request.Verb}'");
        }
    }

    /// <summary>`tend up` after an edit of the stack file: reload it, say what changed, restart what must.</summary>
    private async Task<(IReadOnlyList<string> Lines, string? Error)> ReloadIfChangedAsync(string? stackFile)
    {
        if (stackFile is null || stackFile != _stack.Path)
        {
            return ([], null);
        }

        var loaded = StackFileLoader.Load(stackFile);
        if (loaded.Stack is not { } fresh)
        {
            return ([], $"the stack file has errors; nothing was changed: {string.Join("; ", loaded.Errors)}");
        }

        var changes = StackChanges.Between(_stack, fresh);
        if (changes.IsEmpty)
        {
            return ([], null);
        }

        var lines = changes.Describe();
        var restarted = await _supervisor!.ReloadAsync(fresh);
        _stack = fresh;
        var summary = lines.Concat(restarted.Select(r => $"{r}: restarted")).ToList();
        _events?.Emit(
            EventKinds.StackFileChanged, null,
            new("path", fresh.Path),
            EventFields.List("added", changes.Added),
            EventFields.List("removed", changes.Removed),
            EventFields.List("changed", lines),
            EventFields.List("restarts", restarted));
        return (summary, null);
    }

    public void Dispose()
    {
        _shutdown.Dispose();
        foreach (var name in _stack?.Components.Select(c => c.Name) ?? [])
        {
            _supervisor?.Find(name)?.Dispose();
        }
    }

    private static FileStream? TryLock(string path)
    {
        try
        {
            // .NET takes an exclusive flock(2) for FileShare.None: released by the kernel when the daemon dies.
            return new FileStream(path, FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        }
        catch (IOException)
        {
            return null;
        }
    }

    public static string ReadPid(string path)
    {
        try
        {
            return File.ReadAllText(path).Trim();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return "?";
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left for the next daemon, which removes stale files under its lock.
        }
    }

    private static async Task IgnoreCancellation(Task task)
    {
        try
        {
            await task;
        }
        catch (OperationCanceledException)
        {
            // Stopped with the daemon.
        }
    }
}
