using System.CommandLine;
using Spectre.Console;
using Tend.Core.Events;
using Tend.Core.Status;

namespace Tend.Cli.Verbs;

/// <summary><c>tend events [--kind K] [--component C] [-n N] [-f]</c>: the event log, filtered, optionally followed.</summary>
internal static class EventsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var kind = new Option<string[]>("--kind", "-k") { Description = "Only these kinds (a trailing * or _ matches a prefix, e.g. component_*)", AllowMultipleArgumentsPerToken = true };
        var component = new Option<string[]>("--component", "-c") { Description = "Only these components", AllowMultipleArgumentsPerToken = true };
        var last = new Option<int>("-n") { Description = "How many of the latest events", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they happen" };
        var command = new Command("events", "The event log: every state change, probe transition, restart and stop") { kind, component, last, follow };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(kind) ?? [], parse.GetValue(component) ?? [], parse.GetValue(last), parse.GetValue(follow), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] kinds, string[] components, int last, bool follow, CancellationToken cancellationToken)
    {
        if (!cli.TryLoadStackForControl(components, out var stack, out var exitCode))
        {
            return exitCode;
        }

        var unknownKinds = kinds.Where(k => !k.EndsWith('*') && !k.EndsWith('_') && EventKinds.Find(k) is null).ToList();
        if (unknownKinds.Count > 0)
        {
            return cli.UsageError($"no event kind '{unknownKinds[0]}'", Core.Text.DidYouMean.Hint(unknownKinds[0], EventKinds.All.Select(k => k.Name)) ?? "see docs/events.md");
        }

        var filter = new EventFilter
        {
            Kinds = [.. kinds.Select(k => k.EndsWith('*') ? k[..^1] + "*" : k)],
            Components = components,
        };
        await using var connection = new DaemonConnection(stack);
        try
        {
            await foreach (var e in new StackFacts(connection, cli.Time).EventsAsync(filter, last, follow, cancellationToken))
            {
                Print(cli, e);
            }
        }
        catch (OperationCanceledException) when (cancellationToken.IsCancellationRequested)
        {
            // Ctrl+C ends a follow.
        }

        return ExitCodes.Ok;
    }

    /// <summary>One event as `tend events` prints it (also `tend monitor --events`): a line of text, or its JSON line with --json.</summary>
    public static void Print(CliContext cli, EventRecord e)
    {
        if (cli.Json)
        {
            // One object per line, as in the files: ready for jq.
            Console.Out.Write(EventJson.ToLineString(e));
            return;
        }

        cli.Terminal.Out.MarkupLine($"{e.Timestamp.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} [bold]{Markup.Escape(e.Kind),-20}[/] {Markup.Escape(e.Component ?? "-"),-12} {Markup.Escape(EventNarration.Narrate(e))}");
    }
}
