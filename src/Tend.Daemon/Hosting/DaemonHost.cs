using System.Runtime.InteropServices;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Persistence;
using Tend.Core.Processes;
using Tend.Daemon.Control;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>
/// The daemon of one stack: holds the single-instance lock, stops what a dead daemon left,
/// serves the control socket, runs the supervisor behind <see cref="StackControl"/>, keeps
/// state.json current, and on TERM/INT (or `tend daemon stop`) stops the stack in order before
/// it exits.
/// </summary>
public sealed class DaemonHost : IDisposable
{
    private readonly TimeProvider _time = TimeProvider.System;
    private readonly CancellationTokenSource _shutdown = new();
    private string _stopReason = "unknown";

    private static string Version => typeof(DaemonHost).Assembly.GetName().Version?.ToString() ?? "0";

    /// <summary>Runs until shut down; returns the process exit code.</summary>
    /// <param name="up">Bring the whole stack up once the daemon serves, as `tend up` would ask (a systemd unit's daemon has nobody to ask it).</param>
    public async Task<int> RunAsync(string stackPath, bool detach, bool up = false)
    {
        // Read before anything is started, and taken out of the environment every child inherits.
        var systemdUnit = SystemdEnvironment.Detect(Environment.GetEnvironmentVariable);
        using var systemd = SystemdNotify.FromEnvironment(Environment.GetEnvironmentVariable, Environment.ProcessId);
        SystemdEnvironment.Forget();

        var loaded = StackFileLoader.Load(stackPath);
        if (loaded.Stack is not { } stack)
        {
            await Console.Error.WriteLineAsync($"tend daemon: {stackPath} has errors: {string.Join("; ", loaded.Errors)}");
            return 2;
        }

        var paths = DaemonPaths.For(stack);
        if ((paths.Create() ?? paths.CheckWritable()) is { } cannot)
        {
            await Console.Error.WriteLineAsync($"tend daemon: {cannot}");
            return 1;
        }
        if (detach)
        {
            StdioRedirect.Detach(paths.DaemonLog);
        }

        using var lockFile = TryLock(paths.Lock);
        if (lockFile is null)
        {
            await Console.Error.WriteLineAsync($"tend daemon: another daemon already runs this stack (pid {ReadPid(paths.PidFile)})");
            return 1;
        }

        try
        {
            Core.Persistence.AtomicFile.WriteAllText(paths.PidFile, $"{Environment.ProcessId}\n");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The disk filled up since the probe: refused now, not a daemon that cannot keep state.
            await Console.Error.WriteLineAsync($"tend daemon: cannot write {paths.PidFile}: {Core.Text.IoErrorText.Of(e)}");
            return 1;
        }

        var identity = new DaemonIdentity(Environment.ProcessId, ProcStat.Read(Environment.ProcessId)?.StartTicks ?? 0, _time.GetUtcNow(), Version);

        using var events = new EventHub(new EventLog(paths.Events, _time, new EventRetention(stack.Events.MaxBytes, stack.Events.KeepDays)), _time) { Secrets = StackSecrets.Of(stack, Environment.GetEnvironmentVariable) };
        var counters = new Metrics.MetricCounters();
        events.Observe(counters.Observe);
        using var launcher = new ProcessLauncher();
        var stops = StopMode.Choose(stack, paths.StateDirectory);
        var services = new SupervisorServices(_time, events, new LogRunOutput(paths, _time), launcher, Random.Shared) { Stops = stops, Counters = counters };
        var previous = StateStore.Read(paths.State);
        var cgroupDirectories = new[] { stops.Cgroups?.Path ?? StopMode.StackCgroupPath(stack, paths.StateDirectory) }.OfType<string>().ToList();
        await new Recovery(services.Stopper, events, stack.Path, cgroupDirectories).StopOrphansAsync(previous, name => stack.Find(name)?.Stop ?? StopPolicy.Default);

        if (await Updates.UpdateRecovery.RollBackAsync(stack, paths.StateDirectory, events, _time, _shutdown.Token) && StackFileLoader.Load(stackPath).Stack is { } reread)
        {
            stack = reread;
        }

        await using var supervisor = new Supervisor(stack, services);
        supervisor.Restore(previous?.Components ?? [], StackCopy.Load(paths, stack));
        StackCopy.Save(paths, stack);
        using var control = new StackControl(supervisor, events, paths, identity, _time, () => Shutdown("tend daemon stop")) { Lifetime = _shutdown.Token, Systemd = systemdUnit };
        var persistence = new StatePersistence(new StateStore(paths.State), control, events, _time);
        events.Emit(EventKinds.DaemonStarted, null, new("pid", identity.Pid), new("version", Version), new("stack", stack.Name), new("stack_file", stack.Path), new("state_dir", paths.StateDirectory));
        persistence.WriteOnce();

        using var server = new ControlServer(paths.Socket, control, _time);
        try
        {
            server.Bind();
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or UnauthorizedAccessException)
        {
            await Console.Error.WriteLineAsync($"tend daemon: cannot open the control socket {paths.Socket}: {e.Message}");
            return 1;
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        using var hangup = PosixSignalRegistration.Create(PosixSignal.SIGHUP, context => context.Cancel = true);

        await using var http = new Http.HttpFace(control, events, paths, _time);
        control.Http = http;
        if (stack.Http is { } httpSettings && await http.EnsureAsync(httpSettings) is { Error: { } httpError })
        {
            // The stack runs without its HTTP face: an http_failed event, and `tend up` says so.
            await Console.Error.WriteLineAsync($"tend daemon: {httpError.Message}");
        }

        var serving = server.ServeAsync(_shutdown.Token);
        var persisting = persistence.RunAsync(_shutdown.Token);
        await using var notifiers = new Monitoring.NotifierDelivery(() => control.Stack.Monitor, events, Environment.GetEnvironmentVariable, _time, stack.Directory);
        var sampling = new Monitoring.MonitorService(control, supervisor, new UsageSampler(supervisor, _time), services.Output, events, paths, control.Monitor, _time, notifiers).RunAsync(_shutdown.Token);
        var trimming = new MemoryTrim(control.Changed, _time, upkeep: () => EventIndexUpkeep.Refresh(paths.Events), activity: http.Activity).RunAsync(_shutdown.Token);
        // The watchdog goes on pinging through the stop (each component's grace), until the stack is down.
        using var pinging = new CancellationTokenSource();
        var session = systemd is null ? null : new SystemdSession(systemd, _time);
        var watchdog = session?.WatchdogAsync(() => supervisor.Snapshot() is not null, pinging.Token) ?? Task.CompletedTask;
        if (up && await UpAsync(control) is { } upFailed)
        {
            await Console.Error.WriteLineAsync($"tend daemon: {upFailed}");
        }

        var reporting = session?.ReportAsync(control.WatchAsync(_shutdown.Token), _shutdown.Token) ?? Task.CompletedTask;
        try
        {
            await Task.Delay(Timeout.InfiniteTimeSpan, _time, _shutdown.Token);
        }
        catch (OperationCanceledException)
        {
            // Shutting down.
        }

        session?.Stopping(_stopReason);
        await reporting;
        // Before the stack: a step may use a component, and its run.json records why it stopped.
        await control.StopWorkflowsAsync(_stopReason);
        await supervisor.DownAsync([], "daemon");
        await pinging.CancelAsync();
        await watchdog;
        await http.StopAsync();
        stops.Cgroups?.Leave();
        await persisting;
        persistence.WriteOnce();
        events.Emit(EventKinds.DaemonStopped, null, new("pid", identity.Pid), new("reason", _stopReason), EventFields.Ms("uptime_ms", _time.GetUtcNow() - identity.StartedAt));
        await serving;
        await trimming;
        await sampling;
        // Either left is removed by the next daemon, under its lock.
        FileCleanup.TryDelete(paths.Socket);
        FileCleanup.TryDelete(paths.PidFile);
        return 0;
    }

    /// <summary>The daemon's own `tend up` of the whole stack; the error in words when it was refused.</summary>
    private async Task<string?> UpAsync(StackControl control)
    {
        try
        {
            var outcome = await control.UpAsync([], control.Stack.Path, null, _shutdown.Token);
            return outcome.Error?.ToString();
        }
        catch (OperationCanceledException)
        {
            return null;
        }
    }

    private void OnSignal(PosixSignalContext context)
    {
        context.Cancel = true;
        Shutdown(Signals.Name(Signals.FromPosix(context.Signal)));
    }

    private void Shutdown(string reason)
    {
        _stopReason = reason;
        _shutdown.Cancel();
    }

    public void Dispose() => _shutdown.Dispose();

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
}
