using Spectre.Console;
using Spectre.Console.Rendering;
using Tend.Cli.Output;
using Tend.Cli.Verbs;
using Tend.Core.Events;
using Tend.Core.Status;
using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>
/// `tend monitor --host a [--host b ...]`: the view of each host, one above the other, over one ssh
/// session per host for the whole view; with --events, their events as they come (each after its
/// host's name, or with a <c>host</c> field in JSON, when there are several).
/// </summary>
internal static class RemoteMonitor
{
    private static readonly TimeSpan Redraw = TimeSpan.FromSeconds(1);

    public static async Task<int> RunAsync(CliContext cli, string[] hosts, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        if (cli.Parse.GetValue<bool>("--events"))
        {
            return await EventsAsync(cli, hosts, tolerance, cancellationToken);
        }

        return Console.IsOutputRedirected || !cli.Terminal.Color || cli.Json
            ? await OneFrameAsync(cli, hosts, cancellationToken)
            : await ViewAsync(cli, hosts, tolerance, cancellationToken);
    }

    private static async Task<int> EventsAsync(CliContext cli, string[] hosts, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        var printing = new Lock();
        var watches = hosts.Select(h => new HostWatch(h, tolerance, cli.Time)).ToList();
        var failures = await Task.WhenAll(watches.Select(w => w.RunAsync(e =>
        {
            lock (printing)
            {
                Print(cli, hosts.Length > 1 ? w.Host : null, e);
            }
        }, cancellationToken)));
        var failed = failures.FirstOrDefault(f => f is not null);
        return failed is null || cancellationToken.IsCancellationRequested ? ExitCodes.Ok : failed.Report(cli);
    }

    private static void Print(CliContext cli, string? host, EventRecord e)
    {
        var isLink = e.Kind is RemoteEvents.Blip or RemoteEvents.GaveUp;
        if (cli.Json)
        {
            var tagged = host is null || isLink ? e : new EventRecord(e.Timestamp, e.Kind, e.Component, [.. e.Fields, new EventField("host", host)]);
            Console.Out.Write(EventJson.ToLineString(tagged));
            return;
        }

        if (isLink)
        {
            RemoteEventView.Print(cli, e);
        }
        else if (host is null)
        {
            EventsVerb.Print(cli, e);
        }
        else
        {
            cli.Terminal.Out.MarkupLine($"[grey]{Markup.Escape(host)}[/] {e.Timestamp.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} [bold]{Markup.Escape(e.Kind),-20}[/] {Markup.Escape(e.Component ?? "-"),-12} {Markup.Escape(EventNarration.Narrate(e))}");
        }
    }

    /// <summary>One frame of each host, or its snapshot as JSON (one line a host), as `tend monitor` prints when not on a terminal.</summary>
    private static async Task<int> OneFrameAsync(CliContext cli, string[] hosts, CancellationToken cancellationToken)
    {
        var exit = ExitCodes.Ok;
        foreach (var host in hosts)
        {
            var (link, problem) = await RemoteLink.OpenAsync(host, cli.Time, cancellationToken);
            if (link is null)
            {
                exit = RemoteVerbs.Fail(cli, problem!);
                continue;
            }

            await using (link)
            {
                var session = new RemoteSession(link);
                var state = await session.StateAsync(cancellationToken);
                var recent = cli.Json || state is null ? [] : await session.EventsAsync(EventFilter.All, 8, follow: false, cancellationToken).ToListAsync(cancellationToken);
                if (session.Failure is { } failure)
                {
                    exit = failure.Report(cli);
                    continue;
                }

                if (cli.Json)
                {
                    CliContext.WriteJson(state!.Snapshot ?? new StackSnapshot(link.Hello.Stack, link.Hello.StackFile, 0, 0, default, cli.Time.GetUtcNow(), []), StatusJson.Default.StackSnapshot);
                    continue;
                }

                cli.Terminal.Out.Write(Frame(host, null, state!, recent, cli.Time.GetUtcNow(), hosts.Length));
            }
        }

        return exit;
    }

    private static async Task<int> ViewAsync(CliContext cli, string[] hosts, TimeSpan tolerance, CancellationToken cancellationToken)
    {
        using var quit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var watches = hosts.Select(h => new HostWatch(h, tolerance, cli.Time)).ToList();
        var running = Task.WhenAll(watches.Select(w => w.RunAsync(null, quit.Token)));
        var keys = Console.IsInputRedirected ? Task.CompletedTask : MonitorVerb.WatchKeysAsync(quit, cli.Time);
        try
        {
            await cli.Terminal.Out.Live(new Markup("")).AutoClear(false).StartAsync(async live =>
            {
                while (!quit.IsCancellationRequested)
                {
                    var now = cli.Time.GetUtcNow();
                    live.UpdateTarget(new Rows(watches.Select(w => Frame(w.Host, w.Trouble, w.State, w.Recent(), now, hosts.Length))));
                    live.Refresh();
                    if (watches.All(w => w.Ended))
                    {
                        return;
                    }

                    await Task.Delay(Redraw, cli.Time, quit.Token);
                }
            });
        }
        catch (OperationCanceledException)
        {
            // q or Ctrl+C.
        }

        await quit.CancelAsync();
        var failures = await running;
        await keys;
        return watches.All(w => w.Ended) && failures.FirstOrDefault(f => f is not null) is { } failed ? failed.Report(cli) : ExitCodes.Ok;
    }

    private static Rows Frame(string host, string? trouble, StackState? state, IReadOnlyList<EventRecord> recent, DateTimeOffset now, int hostCount)
    {
        var parts = new List<IRenderable>();
        if (hostCount > 1 || trouble is not null)
        {
            parts.Add(new Rule($"[bold]{Markup.Escape(host)}[/]") { Justification = Justify.Left });
        }

        if (trouble is not null)
        {
            parts.Add(new Markup($"[yellow]⚠ {Markup.Escape(trouble)}[/]\n"));
        }

        parts.Add(state is null
            ? new Markup($"[grey]{Markup.Escape(host)}: connecting…[/]\n")
            : MonitorScreen.Frame(state.Snapshot, [.. recent.Where(e => e.Kind is not (RemoteEvents.Blip or RemoteEvents.GaveUp))], state.Live, now));
        return new Rows(parts);
    }
}
