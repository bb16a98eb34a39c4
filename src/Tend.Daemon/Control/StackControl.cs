using System.Runtime.CompilerServices;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Metrics;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Control;

/// <summary>An answer of the control layer: a value, or a user's error as a value.</summary>
public readonly record struct ControlOutcome<T>(T? Value, ControlError? Error)
    where T : class
{
    public static implicit operator ControlOutcome<T>(T value) => new(value, null);

    public static implicit operator ControlOutcome<T>(ControlError error) => new(null, error);
}

/// <summary>Who the daemon is, for hello and the snapshots.</summary>
public sealed record DaemonIdentity(int Pid, long StartTicks, DateTimeOffset StartedAt, string Version);

/// <summary>
/// The one typed door to a running stack, for every face: the socket (the CLI), and later HTTP
/// and SSH. Changes (up, down, start, stop, restart, kill, reload) go through one gate, one at a
/// time, so no reload interleaves with a stop; reading (status, watch, events, logs) never waits
/// for it. Names are checked after a reload, against the stack file the client read.
/// </summary>
public sealed partial class StackControl(Supervisor supervisor, EventHub events, DaemonPaths paths, DaemonIdentity daemon, TimeProvider time, Action requestShutdown) : IDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private long _lastScrapeTicks = -1;

    public StackFile Stack => supervisor.Stack;

    public Changed Changed => supervisor.Changed;

    /// <summary>What the daemon cannot write right now (state.json, events); in every snapshot.</summary>
    public DaemonWarnings Warnings { get; } = new(events);

    /// <summary>The stack now; its texts (reasons, probe results, waits) never show a known secret, for status, peek, why and state.json alike.</summary>
    public StackSnapshot Status() => new(Stack.Name, Stack.Path, daemon.Pid, daemon.StartTicks, daemon.StartedAt, time.GetUtcNow(), SnapshotMasking.Mask(supervisor.Snapshot(), events.Secrets), Warnings.Now(), supervisor.Stops)
    {
        Host = Monitor.Host,
        Alerts = [.. Monitor.Firing, .. Monitor.Recent],
        Systemd = Systemd,
    };

    /// <summary>The systemd unit the daemon runs as, when it does.</summary>
    public SystemdSnapshot? Systemd { get; init; }

    /// <summary>The monitor's host sample and alerts, in every snapshot.</summary>
    public Monitoring.MonitorView Monitor { get; init; } = new();

    /// <summary>
    /// The stack now in Prometheus' text exposition format 0.0.4 (docs/metrics.md), for
    /// `tend metrics` and GET /metrics; serve it with <see cref="ExpositionWriter.ContentType"/>.
    /// Never waits for the gate, and is cheap (about 1 ms for 50 components, native: bench/metrics_scrape.py).
    /// The snapshot is taken unmasked: no free text (reason, probe output) reaches a label, only
    /// names of components, rules, states and mounts, so there is no secret to mask.
    /// </summary>
    public string Metrics()
    {
        var started = time.GetTimestamp();
        var components = supervisor.Snapshot();
        var snapshot = new StackSnapshot(Stack.Name, Stack.Path, daemon.Pid, daemon.StartTicks, daemon.StartedAt, time.GetUtcNow(), components)
        {
            Host = Monitor.Host,
            Alerts = Monitor.Firing,
        };
        var last = Interlocked.Read(ref _lastScrapeTicks);
        var counts = supervisor.Counters.Read(components.Select(c => c.Name), supervisor.OutputTotals, last < 0 ? null : TimeSpan.FromTicks(last).TotalSeconds);
        var text = StackExposition.Write(snapshot, Stack, counts, daemon.Version);
        Interlocked.Exchange(ref _lastScrapeTicks, time.GetElapsedTime(started).Ticks);
        return text;
    }

    public HelloResult Hello() => new(daemon.Version, ControlProtocol.Version, daemon.Pid, Stack.Name, Stack.Path);

    /// <summary>Reloads the stack file when it is the one the client read and it changed, then starts the components and what they require.</summary>
    public Task<ControlOutcome<UpResult>> UpAsync(IReadOnlyList<string> names, string? stackFile, int? maxRounds, CancellationToken cancellationToken = default) =>
        GatedAsync<UpResult>(async () =>
        {
            var reload = await ReloadIfChangedAsync(stackFile);
            if (reload.Error is { } invalid)
            {
                return invalid;
            }

            if (Unknown(names, stackFile) is { } unknown)
            {
                return unknown;
            }

            var order = supervisor.Up(names, maxRounds);
            return new UpResult(order, reload.Value!.Changes, reload.Value.Restarted, Status());
        }, cancellationToken);

    public Task<ControlOutcome<ActionResult>> DownAsync(IReadOnlyList<string> names, CancellationToken cancellationToken = default) =>
        ActAsync(names, () => supervisor.DownAsync(names), cancellationToken);

    public Task<ControlOutcome<ActionResult>> StartAsync(IReadOnlyList<string> names, int? maxRounds = null, CancellationToken cancellationToken = default) =>
        ActAsync(names, () =>
        {
            foreach (var name in names)
            {
                supervisor.Find(name)!.Start(maxRounds);
            }

            return Task.CompletedTask;
        }, cancellationToken);

    /// <param name="reason">Why, when not the user's request (the monitor's alert): in the stop's events and the state's reason.</param>
    public Task<ControlOutcome<ActionResult>> StopAsync(IReadOnlyList<string> names, string? reason = null, CancellationToken cancellationToken = default) =>
        ActAsync(names, () => Task.WhenAll(names.Select(n => supervisor.Find(n)!.StopAsync(reason: reason))), cancellationToken);

    /// <param name="byUser">A user asked, through a face that names itself in <paramref name="reason"/>: a manual restart, not the monitor's.</param>
    public Task<ControlOutcome<ActionResult>> RestartAsync(IReadOnlyList<string> names, string? reason = null, bool byUser = false, CancellationToken cancellationToken = default) =>
        ActAsync(names, () => Task.WhenAll(names.Select(n => supervisor.RestartAsync(n, reason, byUser))), cancellationToken);

    /// <remarks>
    /// KILL first cuts short the grace of any stop of these components in progress, before the
    /// gate: a stop waiting out a long grace holds the gate, and the kill that should end it
    /// must not queue behind it.
    /// </remarks>
    public Task<ControlOutcome<ActionResult>> KillAsync(IReadOnlyList<string> names, int signal, CancellationToken cancellationToken = default)
    {
        if (signal == Signals.SIGKILL)
        {
            foreach (var name in names)
            {
                supervisor.Find(name)?.KillNow();
            }
        }

        return ActAsync(names, () => Task.WhenAll(names.Select(n => supervisor.Find(n)!.StopAsync(signal))), cancellationToken);
    }

    /// <summary>Takes the stack file as it is on disk now (the daemon's own unless <paramref name="stackFile"/> names the same file).</summary>
    public Task<ControlOutcome<ReloadResult>> ReloadAsync(string? stackFile = null, CancellationToken cancellationToken = default) =>
        GatedAsync(() => ReloadIfChangedAsync(stackFile ?? Stack.Path), cancellationToken);

    /// <summary>
    /// The snapshot now, then after every change (a burst of changes gives one), until cancelled.
    /// Changes gather for 0.1 ms a component (50 ms at 500): a whole snapshot is 170 KB there, and
    /// one per change of a starting stack kept the watcher's CPU from the starts themselves.
    /// </summary>
    public async IAsyncEnumerable<StackSnapshot> WatchAsync([EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var gather = TimeSpan.FromMilliseconds(Math.Min(50, 0.1 * Stack.Components.Count));
        while (true)
        {
            var next = Changed.Next;
            yield return Status();
            await next.WaitAsync(cancellationToken);
            if (gather >= TimeSpan.FromMilliseconds(1))
            {
                await Task.Delay(gather, time, cancellationToken);
            }
        }
    }

    /// <summary>The last <paramref name="last"/> matching events from the files, then (with <paramref name="follow"/>) each new one as the hub publishes it: none twice, none missed.</summary>
    public async IAsyncEnumerable<EventRecord> EventsAsync(EventFilter filter, int last, bool follow, [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        using var subscription = events.Subscribe(filter);
        foreach (var record in new EventReader(paths.Events, time).Last(last, filter, subscription.HistoryEnd))
        {
            yield return record;
        }

        if (!follow)
        {
            yield break;
        }

        await foreach (var record in subscription.ReadAllAsync(cancellationToken))
        {
            yield return record;
        }
    }

    /// <summary>A component's log lines; an error when it has no log to read.</summary>
    public ControlOutcome<IAsyncEnumerable<LogLine>> Logs(string component, int? run, int last, bool follow, CancellationToken cancellationToken = default)
    {
        if (Stack.Find(component) is not { } found)
        {
            return NotAComponent(component);
        }

        if (found.Kind == ComponentKind.External)
        {
            return new ControlError("no_logs", $"{component} is external: tend never runs it, so it has no logs here");
        }

        return new ControlOutcome<IAsyncEnumerable<LogLine>>(new ComponentLogs(paths.ComponentLogs(component)).ReadAsync(last, run, follow, time, cancellationToken), null);
    }

    /// <summary>The lines the runs of <paramref name="component"/> (of every component when null) write from now on.</summary>
    public OutputSubscription SubscribeOutput(string? component) => supervisor.Output.Subscribe(component);

    /// <summary>Stops the stack in order, then the daemon.</summary>
    public void Shutdown() => requestShutdown();

    /// <summary>Ends when the daemon stops: what outlives a client's request (an update) stops with it, not with the client.</summary>
    public CancellationToken Lifetime { get; init; }

    private readonly System.Collections.Concurrent.ConcurrentDictionary<string, byte> _updating = new(StringComparer.Ordinal);

    /// <summary>
    /// Moves <paramref name="name"/> to version <paramref name="to"/> (the newest its <c>versions</c>
    /// lists when null) through the health gate, rolling back when it fails (docs/operations.md).
    /// Restarts and stops go through the gate; the watching does not hold it, so the rest of the
    /// stack can be started and stopped meanwhile.
    /// </summary>
    /// <param name="source">Who asked: <c>cli</c> or <c>http</c>, in the events.</param>
    public async Task<ControlOutcome<UpdateResult>> UpdateAsync(string name, string? to, string? stackFile, string source, CancellationToken cancellationToken = default)
    {
        var reload = await GatedAsync(() => ReloadIfChangedAsync(stackFile), cancellationToken);
        if (reload.Error is { } invalid)
        {
            return invalid;
        }

        if (Stack.Updates == UpdatesPolicy.Pinned)
        {
            return new ControlError("refused", $"updates are pinned in {Path.GetFileName(Stack.Path)} ([stack] updates = \"pinned\"): the versions in tend.lock are the ones to run", $"to allow updates, remove updates = \"pinned\" from [stack] in {Stack.Path}");
        }

        if (Unknown([name], stackFile) is { } unknown)
        {
            return unknown;
        }

        var component = Stack.Find(name)!;
        if (component.Update is null)
        {
            return new ControlError("refused", $"{name} has no update = {{ set, current }}: tend does not know how to change its version", "docs/operations.md shows how to write one");
        }

        if (!_updating.TryAdd(name, 0))
        {
            return new ControlError("refused", $"an update of {name} is already in progress", $"tend events -f --component {name} follows it");
        }

        try
        {
            var commands = new Core.Updates.VersionCommands(component, Stack, time);
            var (current, read) = await commands.CurrentAsync(cancellationToken);
            if (current is null)
            {
                return new ControlError("update_failed", $"cannot tell which version {name} runs: its current command {read.Describe()}; nothing was changed", $"fix update.current of {name} in {Stack.Path}");
            }

            if (to is null)
            {
                var (available, listed) = await commands.AvailableAsync(cancellationToken);
                if (available is not { Count: > 0 })
                {
                    return new ControlError("update_failed", available is null && listed.Ok ? $"{name} has no versions command to pick the newest from" : $"{name}'s versions command {(listed.Ok ? "listed no version" : listed.Describe())}", "give the version it should run with --to (tend versions shows what runs now)");
                }

                to = available[^1];
            }

            if (to == current.Version)
            {
                return new UpdateResult(name, UpdateOutcomes.Unchanged, current.Version, to, null, [$"{name} runs {to} already"], 0) { Digest = current.Digest };
            }

            if (component.Kind == ComponentKind.Service && !supervisor.Find(name)!.Snapshot().Active)
            {
                return new ControlError("not_running", $"{name} is not running: the health gate watches a running service", $"tend start {name}, then tend update {name} --to {to}");
            }

            var actions = new Updates.UpdateActions(
                (n, why) => RestartForUpdateAsync(n, why),
                (n, why) => StopAsync([n], why, Lifetime));
            return await new Updates.ComponentUpdater(supervisor, events, paths.StateDirectory, time).RunAsync(component, current.Version, current.Digest, to, source, actions, Lifetime);
        }
        catch (OperationCanceledException) when (Lifetime.IsCancellationRequested)
        {
            return new ControlError("not_running", $"the daemon stopped during the update of {name}", $"its next start sets the version back (tend up); tend events --component {name} shows how far it got");
        }
        finally
        {
            _updating.TryRemove(name, out _);
        }
    }

    /// <summary>
    /// The restart after a set command: the stack file is read again first, because a set command
    /// may change what the file interpolates (a tag in an env file: <c>image:${TAG}</c>); when that
    /// reload restarted the component already, it is not restarted twice.
    /// </summary>
    private async Task RestartForUpdateAsync(string name, string why)
    {
        var reload = await GatedAsync(() => ReloadIfChangedAsync(Stack.Path), Lifetime);
        if (reload.Value?.Restarted.Contains(name) == true)
        {
            return;
        }

        await RestartAsync([name], why, byUser: true, Lifetime);
    }

    /// <summary>The HTTP face, once the host has made it.</summary>
    public Http.HttpFace? Http { get; set; }

    /// <summary>
    /// Listens on <paramref name="listen"/> (else the stack file's <c>[http]</c>, else the default
    /// address) unless it does already; <paramref name="makeToken"/> makes the API token on first use.
    /// </summary>
    public async Task<ControlOutcome<HttpResult>> EnsureHttpAsync(string? listen, bool makeToken, CancellationToken cancellationToken = default)
    {
        if (Http is not { } face)
        {
            return new ControlError("refused", "this daemon has no HTTP face");
        }

        var configured = Stack.Http;
        var wanted = face.Listening ?? configured ?? HttpSettings.Default;
        if (listen is not null)
        {
            if (!Core.Checks.Endpoint.TryParse(listen, "127.0.0.1", out var endpoint) || !HttpSettings.IsLiteralHost(endpoint.Host))
            {
                return new ControlError("malformed", $"'{listen}' is not an address to listen on", "give host:port with an IP address or localhost, such as 127.0.0.1:7380, or a port alone");
            }

            wanted = new HttpSettings(endpoint.Host, endpoint.Port, configured?.AllowRemote ?? false);
        }

        if (makeToken)
        {
            try
            {
                global::Tend.Daemon.Http.HttpToken.Ensure(paths.HttpToken);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return new ControlError("refused", $"cannot write the API token {paths.HttpToken}: {IoErrorText.Of(e)}");
            }
        }

        return await face.EnsureAsync(wanted, cancellationToken);
    }

    private Task<ControlOutcome<ActionResult>> ActAsync(IReadOnlyList<string> names, Func<Task> act, CancellationToken cancellationToken) =>
        GatedAsync<ActionResult>(async () =>
        {
            if (Unknown(names, Stack.Path) is { } unknown)
            {
                return unknown;
            }

            await act();
            return new ActionResult(names.Count == 0 ? [.. Stack.Components.Select(c => c.Name)] : names, Status());
        }, cancellationToken);

    private async Task<ControlOutcome<T>> GatedAsync<T>(Func<Task<ControlOutcome<T>>> change, CancellationToken cancellationToken)
        where T : class
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            return await change();
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Under the gate: the stack file as it is on disk now, taken when it is this daemon's and it changed.</summary>
    private async Task<ControlOutcome<ReloadResult>> ReloadIfChangedAsync(string? stackFile)
    {
        if (stackFile is null || stackFile != Stack.Path)
        {
            return new ReloadResult([], []);
        }

        var loaded = StackFileLoader.Load(stackFile);
        if (loaded.Stack is not { } fresh)
        {
            return new ControlError("stack_file_invalid", $"{stackFile} has errors; nothing was changed: {string.Join("; ", loaded.Errors)}", "tend validate shows them with their lines");
        }

        // Before the comparison: an edited env file changes no definition, yet its values reach the next start.
        events.Secrets = events.Secrets.With(StackSecrets.Of(fresh, Environment.GetEnvironmentVariable));
        var changes = StackChanges.Between(Stack, fresh);
        if (changes.IsEmpty)
        {
            return new ReloadResult([], []);
        }

        var restarted = await supervisor.ReloadAsync(fresh, changes);
        if (changes.HttpChanged && Http is { } http)
        {
            // The listener follows the file; a failure is an event (http_failed), not a failed reload.
            if (fresh.Http is { } settings)
            {
                await http.EnsureAsync(settings);
            }
            else
            {
                await http.StopAsync();
            }
        }

        var lines = changes.Describe();
        events.Emit(
            EventKinds.StackFileChanged, null,
            new("path", fresh.Path),
            EventFields.List("added", changes.Added),
            EventFields.List("removed", changes.Removed),
            EventFields.List("changed", lines),
            EventFields.List("restarts", restarted));
        StackCopy.Save(paths, fresh);
        return new ReloadResult([.. lines, .. restarted.Select(r => $"{r}: restarted")], restarted);
    }

    /// <summary>The first name that is not a component; a name the stack file has gained since the daemon read it says how to take it.</summary>
    private ControlError? Unknown(IReadOnlyList<string> names, string? stackFile)
    {
        foreach (var name in names)
        {
            if (Stack.Find(name) is not null)
            {
                continue;
            }

            if (stackFile is not null && StackFileLoader.Load(stackFile).Stack?.Find(name) is not null)
            {
                return new ControlError("not_a_component", $"'{name}' was added to {Path.GetFileName(stackFile)} after the daemon read it", $"tend up {name} takes the change and starts it");
            }

            return NotAComponent(name);
        }

        return null;
    }

    private ControlError NotAComponent(string name)
    {
        var known = Stack.Components.Select(c => c.Name).ToList();
        return new ControlError("not_a_component", $"'{name}' is not a component of {Stack.Name}", DidYouMean.Hint(name, known) ?? $"components: {string.Join(", ", known)}");
    }

    public void Dispose() => _gate.Dispose();
}
