using System.CommandLine;
using Spectre.Console;
using Tend.Cli.Output;
using Tend.Core.Events;
using Tend.Core.Processes;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend start|stop|restart|kill COMP...</c>: one request each to the daemon, then the outcome:
/// start and restart wait until the components are up (or say why not, exit 1), stop and kill
/// tell who is still alive during the grace and when KILL was sent, until nothing is left.
/// </summary>
internal static class ControlVerbs
{
    private static readonly IReadOnlyList<string> StopKinds = [EventKinds.ComponentStopping.Name, EventKinds.StopSlow.Name, EventKinds.StopEscalated.Name, EventKinds.ComponentStopped.Name];

    public static Command Start(GlobalOptions options) => Create(options, "start", "Start components (again after a crash loop or a stop) and wait until they are up", waits: true);

    public static Command Stop(GlobalOptions options) => Create(options, "stop", "Stop components: their signal, the grace period, then KILL to the whole group", waits: true);

    public static Command Restart(GlobalOptions options) => Create(options, "restart", "Stop, then start components, and wait until they are up again", waits: true);

    public static Command Kill(GlobalOptions options)
    {
        var signal = new Option<string>("--signal", "-s") { Description = "The signal for the whole group (default KILL)", DefaultValueFactory = _ => "KILL" };
        return Create(options, "kill", "Signal a component's whole process group and stop supervising it", waits: false, signal);
    }

    private static Command Create(GlobalOptions options, string verb, string description, bool waits, Option<string>? signal = null)
    {
        var components = new Argument<string[]>("component") { Description = "The components", Arity = ArgumentArity.OneOrMore };
        var noWait = new Option<bool>("--no-wait") { Description = "Return once the daemon took the request, without waiting for the outcome" };
        var timeout = new Option<string>("--timeout") { Description = "Give up waiting after this long (the component keeps starting); default 10m" };
        var command = new Command(verb, description) { components };
        if (waits)
        {
            command.Options.Add(noWait);
        }

        if (verb is "start" or "restart")
        {
            command.Options.Add(timeout);
        }

        if (signal is not null)
        {
            command.Options.Add(signal);
        }

        command.SetAction(async (parse, token) =>
        {
            var cli = new CliContext(parse, options);
            var names = parse.GetValue(components) ?? [];
            // Stopping works from the daemon's view of the stack whatever the file says; starting needs a file that loads.
            var loaded = verb is "stop" or "kill" ? cli.TryLoadStackForControl(names, out var stack, out var exitCode) : cli.TryLoadStack(names, out stack, out exitCode);
            if (!loaded || stack is null)
            {
                return exitCode;
            }

            var number = Signals.SIGKILL;
            if (signal is not null && !Signals.TryParse(parse.GetValue(signal)!, out number))
            {
                return cli.UsageError($"unknown signal '{parse.GetValue(signal)}'", $"one of {string.Join(", ", Signals.ByName.Keys)}");
            }

            var wait = Timeout.InfiniteTimeSpan;
            if (verb is "start" or "restart" && !Quantities.TryParseDuration(parse.GetValue(timeout) ?? "10m", out wait))
            {
                return cli.UsageError($"--timeout must be a duration such as 5m, not '{parse.GetValue(timeout)}'");
            }

            await using var connection = new DaemonConnection(stack);
            if (verb == "start" && await connection.EnsureRunningAsync(cli.Time, token) is { } failure)
            {
                return cli.Failure(failure);
            }

            var verbCall = new VerbCall(cli, connection, stack.Name, names, !parse.GetValue(noWait), wait);
            return verb switch
            {
                "start" => await verbCall.StartAsync(new StartRequest(names, null), "started", token),
                "restart" => await verbCall.StartAsync(new RestartRequest(names), "restarted", token),
                "stop" => await verbCall.StopAsync(new StopRequest(names), "stopped", token),
                _ => await verbCall.StopAsync(new KillRequest(names, number), $"killed with {Signals.Name(number)}", token),
            };
        });
        return command;
    }

    /// <summary>One control verb's request and the wait for its outcome.</summary>
    private sealed class VerbCall(CliContext cli, DaemonConnection connection, string stack, IReadOnlyList<string> names, bool wait, TimeSpan timeout)
    {
        private IAnsiConsole Console => cli.Terminal.Out;

        public async Task<int> StartAsync(ControlRequest request, string done, CancellationToken cancellationToken)
        {
            var (result, refused) = await SendAsync(request, cancellationToken);
            if (result is null)
            {
                return refused;
            }

            if (!wait)
            {
                Console.MarkupLine($"[green]✓[/] {Markup.Escape(string.Join(", ", names))}: {done.Replace("ed", "ing", StringComparison.Ordinal)} in the background [grey](tend status; tend why {Markup.Escape(names[0])})[/]");
                return ExitCodes.Ok;
            }

            var client = (await connection.ClientAsync(cancellationToken))!;
            var settled = await new Settling(Console, names).WaitAsync(client, timeout, cancellationToken);
            if (settled.Lost is { } lost)
            {
                return cli.Failure(lost, $"see {connection.Paths.DaemonLog}");
            }

            return Settling.Report(Console, settled, timeout, c => $"[green]✓[/] {Markup.Escape(c.Name)} {done}: {Markup.Escape((c.Pid is { } p ? $"pid {p}, " : "") + c.Verdict.Reason.Replace($"running (pid {c.Pid})", "running", StringComparison.Ordinal))}", static step => step);
        }

        public async Task<int> StopAsync(ControlRequest request, string done, CancellationToken cancellationToken)
        {
            var client = await connection.ClientAsync(cancellationToken);
            if (client is null)
            {
                return NoDaemon();
            }

            if (!wait)
            {
                await client.PostAsync(request, cancellationToken);
                Console.MarkupLine($"[green]✓[/] asked to stop {Markup.Escape(string.Join(", ", names))}; it goes on in the background [grey](tend status)[/]");
                return ExitCodes.Ok;
            }

            // Told as it happens: who is still alive during the grace, and when KILL went out.
            var before = (await connection.CallAsync(new StatusRequest(), cancellationToken))?.Snapshot?.Components.Where(c => names.Contains(c.Name)).ToList() ?? [];
            var running = before.Where(c => c.Pid is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal);
            using var watching = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            var stopped = new HashSet<string>(StringComparer.Ordinal);
            var allStopped = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            var progress = ShowStopsAsync(client, running, stopped, allStopped, watching.Token);
            var reply = (await connection.CallAsync(request, cancellationToken, Timeout.InfiniteTimeSpan))!;

            // The events of the stop come before its answer, but on their own way: let them arrive.
            await Task.WhenAny(allStopped.Task, Task.Delay(TimeSpan.FromSeconds(2), cli.Time, cancellationToken));
            await watching.CancelAsync();
            await progress;
            if (reply.Error is { } error)
            {
                return cli.DaemonError(error);
            }

            foreach (var name in names)
            {
                var how = before.FirstOrDefault(c => c.Name == name)?.State == ComponentState.Stopped ? "it was not running" : "no process of it is left";
                Console.MarkupLine($"[green]✓[/] {Markup.Escape(name)} {done}: {how}");
            }

            return ExitCodes.Ok;
        }

        private async Task ShowStopsAsync(Daemon.Control.ControlClient client, HashSet<string> running, HashSet<string> stopped, TaskCompletionSource allStopped, CancellationToken cancellationToken)
        {
            if (running.Count == 0)
            {
                allStopped.TrySetResult();
                return;
            }

            await EventFollower.FollowAsync(client, StopKinds, names, e =>
            {
                Console.MarkupLine($"  [grey]{Markup.Escape(e.Component ?? "")}:[/] {Markup.Escape(EventNarration.Narrate(e))}");
                if (e.Kind == EventKinds.ComponentStopped.Name && e.Component is { } component && stopped.Add(component) && running.IsSubsetOf(stopped))
                {
                    allStopped.TrySetResult();
                }
            }, cancellationToken);
        }

        /// <summary>Sends the request; no result, and the exit code, after printing why not (no daemon, or the daemon said no).</summary>
        private async Task<(ActionResult? Result, int ExitCode)> SendAsync(ControlRequest request, CancellationToken cancellationToken)
        {
            var reply = await connection.CallAsync(request, cancellationToken, Timeout.InfiniteTimeSpan);
            if (reply is null)
            {
                return (null, NoDaemon());
            }

            return reply.Error is { } error ? (null, cli.DaemonError(error)) : (reply.Action, ExitCodes.Ok);
        }

        private int NoDaemon() => cli.UsageError($"no daemon runs for {stack}", "start the stack with `tend up`");
    }
}
