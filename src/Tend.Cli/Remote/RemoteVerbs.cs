using Spectre.Console;
using Tend.Cli.Output;
using Tend.Cli.Verbs;
using Tend.Core.Doctor;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;
using Tend.Daemon.Remote;

namespace Tend.Cli.Remote;

/// <summary>
/// The verbs with <c>--host</c>: the same questions as here, asked of another host's `tend api
/// --stdio` over one ssh session, and the answers printed by the verbs' own renderers, so that
/// what a host says is shown as it would be shown on it.
/// </summary>
internal static class RemoteVerbs
{
    public static async Task<int> RunAsync(CliContext cli, string verb, string[] hosts, string? toleranceText, CancellationToken cancellationToken)
    {
        if (hosts.FirstOrDefault(h => SshCommand.Problem(h) is not null) is { } bad)
        {
            return cli.UsageError(SshCommand.Problem(bad)!, "give the alias of a Host in ~/.ssh/config, or user@host");
        }

        if (hosts.Length > 1 && verb != "monitor")
        {
            return cli.UsageError($"tend {verb} takes one --host; tend monitor shows several hosts in one view");
        }

        var tolerance = RemoteRetry.DefaultTolerance;
        if (toleranceText is not null && (!Quantities.TryParseDuration(toleranceText, out tolerance) || tolerance <= TimeSpan.Zero))
        {
            return cli.UsageError($"--remote-failure-tolerance must be a duration such as 90s or 5m, not '{toleranceText}'");
        }

        if (verb == "monitor")
        {
            return await RemoteMonitor.RunAsync(cli, hosts, tolerance, cancellationToken);
        }

        if (verb == "events" && cli.Parse.GetValue<bool>("--follow"))
        {
            var filter = Filter(cli, out var usage);
            return usage ?? await RemoteEventFollow.RunAsync(cli, hosts[0], filter, cli.Parse.GetValue<int>("-n"), tolerance, cancellationToken);
        }

        if (verb == "why" && cli.Json && cli.Parse.GetValue<string?>("component") is { } name)
        {
            return await WhyVerb.RefuseJsonAsync(name, $" --host {hosts[0]}");
        }

        var (link, problem) = await RemoteLink.OpenAsync(hosts[0], cli.Time, cancellationToken);
        if (link is null)
        {
            return Fail(cli, problem!);
        }

        await using (link)
        {
            var session = new RemoteSession(link);
            var code = verb switch
            {
                "status" => await StatusAsync(cli, session, cancellationToken),
                "peek" => await PeekAsync(cli, session, cancellationToken),
                "alerts" => await session.StateAsync(cancellationToken) is { } state ? AlertsVerb.Show(cli, state) : ExitCodes.Failed,
                "events" => await EventsAsync(cli, session, cancellationToken),
                "logs" => await RemoteLogs.RunAsync(cli, session, tolerance, cancellationToken),
                "why" when cli.Parse.GetValue<string?>("component") is null => await DoctorAsync(cli, session, cancellationToken),
                "why" => await WhyAsync(cli, session, cancellationToken),
                _ => await RemoteControl.RunAsync(cli, verb, session, cancellationToken),
            };
            return session.Failure is { } failure ? failure.Report(cli) : code;
        }
    }

    public static int Fail(CliContext cli, RemoteProblem problem) => problem.Usage ? cli.UsageError(problem.Message, problem.Hint) : cli.Failure(problem.Message, problem.Hint);

    private static async Task<int> StatusAsync(CliContext cli, RemoteSession session, CancellationToken cancellationToken)
    {
        if (await session.StateAsync(cancellationToken) is not { } state)
        {
            return ExitCodes.Failed;
        }

        var hello = session.Link.Hello;
        return StatusVerb.Show(cli, state, hello.Stack, hello.StackFile, () => hello.Stack);
    }

    private static async Task<int> PeekAsync(CliContext cli, RemoteSession session, CancellationToken cancellationToken)
    {
        if (await session.StateAsync(cancellationToken) is not { } state)
        {
            return ExitCodes.Failed;
        }

        var recent = await session.EventsAsync(EventFilter.All, 20, follow: false, cancellationToken).ToListAsync(cancellationToken);
        return session.Failure is not null ? ExitCodes.Failed : PeekVerb.Show(cli, state, recent, session.Link.Hello.Stack);
    }

    private static async Task<int> EventsAsync(CliContext cli, RemoteSession session, CancellationToken cancellationToken)
    {
        var filter = Filter(cli, out var usage);
        if (usage is { } code)
        {
            return code;
        }

        await foreach (var e in session.EventsAsync(filter, cli.Parse.GetValue<int>("-n"), follow: false, cancellationToken))
        {
            EventsVerb.Print(cli, e);
        }

        return ExitCodes.Ok;
    }

    /// <summary>The filter of `tend events`' options, its kinds checked as the local verb checks them.</summary>
    private static EventFilter Filter(CliContext cli, out int? usage)
    {
        var kinds = cli.Parse.GetValue<string[]>("--kind") ?? [];
        var unknown = kinds.FirstOrDefault(k => !k.EndsWith('*') && !k.EndsWith('_') && EventKinds.Find(k) is null);
        usage = unknown is null ? null : cli.UsageError($"no event kind '{unknown}'", DidYouMean.Hint(unknown, EventKinds.All.Select(k => k.Name)) ?? "see docs/events.md");
        return new EventFilter { Kinds = kinds, Components = cli.Parse.GetValue<string[]>("--component") ?? [] };
    }

    /// <summary>`tend why --host` without a component: the host's doctor report, its checks run there, printed as `tend why` prints it there.</summary>
    private static async Task<int> DoctorAsync(CliContext cli, RemoteSession session, CancellationToken cancellationToken)
    {
        if (await session.CallAsync(new DoctorRequest(), cancellationToken) is not { Doctor.Report: { } json })
        {
            return ExitCodes.Failed;
        }

        var host = session.Link.Host;
        var report = json.ToReport();

        // The JSON is the host's own; the text's next steps are said as typed from here.
        return cli.Json
            ? DoctorVerb.Show(cli, report, json.Duration())
            : DoctorVerb.Show(cli, HostedSteps.Rewrite(report, host), json.Duration(), $"tend why --host {host}");
    }

    private static async Task<int> WhyAsync(CliContext cli, RemoteSession session, CancellationToken cancellationToken)
    {
        var name = cli.Parse.GetValue<string?>("component")!;
        if (await session.StateAsync(cancellationToken) is not { } state)
        {
            return ExitCodes.Failed;
        }

        if (state.Snapshot is { Components.Count: > 0 } snapshot && snapshot.Components.All(c => c.Name != name))
        {
            var names = snapshot.Components.Select(c => c.Name).ToList();
            return cli.UsageError($"{session.Link.Hello.Stack} on {session.Link.Host} has no component '{name}'", DidYouMean.Hint(name, names) ?? $"the components: {string.Join(", ", names)}");
        }

        var events = await session.EventsAsync(new EventFilter { Components = [name] }, 400, follow: false, cancellationToken).ToListAsync(cancellationToken);
        if (session.Failure is not null)
        {
            return ExitCodes.Failed;
        }

        // Only the name is known here: the host's stack file, and what its checks need, are there.
        var standIn = new StackFile(session.Link.Hello.StackFile, session.Link.Hello.Stack, [], []);
        return await WhyVerb.ExplainAsync(cli, standIn, state, name, events, (run, token) => session.LogsAsync(name, run, 8, follow: false, token).ToListAsync(token).AsTask(), checksHere: false, step => HostedCommands.Rewrite(step, session.Link.Host), cancellationToken);
    }
}
