using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Backup;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// Stops a component and what depends on it through the daemon (dependents first, as
/// <c>tend down</c> does) for a backup or a restore, and starts again exactly what was running.
/// With no daemon nothing tend runs is running, and there is nothing to stop.
/// </summary>
internal sealed class DaemonPause(CliContext cli, DaemonConnection connection, StackFile stack, string component, bool includeComponent) : IComponentPause
{
    private static readonly TimeSpan StartTimeout = TimeSpan.FromMinutes(10);

    private List<string> _stopped = [];

    /// <summary>What requires <paramref name="name"/>, directly or through others.</summary>
    public static IReadOnlyList<string> Dependents(StackFile stack, string name)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>([name]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var dependent in stack.Components.Where(c => c.Requires.Any(r => r.Component == current)))
            {
                if (found.Add(dependent.Name))
                {
                    queue.Enqueue(dependent.Name);
                }
            }
        }

        return [.. stack.Components.Select(c => c.Name).Where(found.Contains)];
    }

    public async Task<BackupProblem?> StopAsync(CancellationToken cancellationToken = default)
    {
        var wanted = Dependents(stack, component).ToList();
        if (includeComponent)
        {
            wanted.Add(component);
        }

        var status = await connection.CallAsync(new StatusRequest(), cancellationToken);
        if (status?.Snapshot is not { } snapshot)
        {
            return null;
        }

        _stopped = [.. snapshot.Components.Where(c => wanted.Contains(c.Name) && Active(c.State)).Select(c => c.Name)];
        if (_stopped.Count == 0)
        {
            return null;
        }

        cli.Terminal.Out.MarkupLine($"  [grey]stopping {Markup.Escape(string.Join(", ", _stopped))}[/]");
        var reply = await connection.CallAsync(new DownRequest(_stopped), cancellationToken, Timeout.InfiniteTimeSpan);
        if (reply?.Error is { } error)
        {
            var stopped = _stopped;
            _stopped = [];
            return new BackupProblem($"could not stop {string.Join(", ", stopped)}", error.Message, error.Hint is null ? [] : [error.Hint]);
        }

        return null;
    }

    public async Task<BackupProblem?> ResumeAsync(CancellationToken cancellationToken = default)
    {
        if (_stopped.Count == 0)
        {
            return null;
        }

        var names = _stopped;
        _stopped = [];
        cli.Terminal.Out.MarkupLine($"  [grey]starting {Markup.Escape(string.Join(", ", names))} again[/]");
        var reply = await connection.CallAsync(new StartRequest(names, null), cancellationToken, Timeout.InfiniteTimeSpan);
        if (reply is null || reply.Error is not null || await connection.ClientAsync(cancellationToken) is not { } client)
        {
            return new BackupProblem($"could not start {string.Join(", ", names)} again", reply?.Error?.Message ?? "the daemon went away", $"start them: `tend start {string.Join(' ', names)}`");
        }

        var settled = await new Settling(cli.Terminal.Out, names).WaitAsync(client, StartTimeout, cancellationToken);
        return settled.AllUp
            ? null
            : new BackupProblem($"{string.Join(", ", settled.Bad.Select(c => c.Name).DefaultIfEmpty(string.Join(", ", names)))} did not come up again", settled.Lost ?? string.Join("; ", settled.Components.Select(c => $"{c.Name}: {c.Verdict.Reason}")), $"see why: `tend why {names[0]}`");
    }

    /// <summary>Meant to run now: running, starting, waiting for what it requires, or between restarts.</summary>
    private static bool Active(ComponentState state) =>
        state.IsRunning() || state is ComponentState.Waiting or ComponentState.Starting or ComponentState.Backoff;
}
