using System.CommandLine;
using Spectre.Console;

namespace Tend.Cli.Verbs;

/// <summary><c>tend events [--kind K] [--component C] [-n N] [-f]</c>: the event log, filtered, optionally followed.</summary>
internal static class EventsVerb
{
    public static Command Create(GlobalOptions options)
    {
        var kind = new Option<string[]>("--kind", "-k") { Description = "Only these kinds (a trailing * matches a prefix, e.g. component_*)", AllowMultipleArgumentsPerToken = true };
        var component = new Option<string?>("--component", "-c") { Description = "Only this component" };
        var last = new Option<int>("-n") { Description = "How many of the latest events", DefaultValueFactory = _ => 50 };
        var follow = new Option<bool>("--follow", "-f") { Description = "Keep printing new events as they happen" };
        var command = new Command("events", "The event log: every state change, probe, restart and stop") { kind, component, last, follow };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(kind) ?? [], parse.GetValue(component), parse.GetValue(last), parse.GetValue(follow), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string[] kinds, string? component, int last, bool follow, CancellationToken cancellationToken)
    {
        if (cli.LoadStack() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        if (component is not null && ComponentNames.FindUnknown(cli, stack, [component]) is { } unknown)
        {
            return unknown;
        }

        var directory = new DaemonConnection(stack).Paths.Events;
        bool Matches(EventLine e) =>
            (component is null || e.Component == component)
            && (kinds.Length == 0 || kinds.Any(k => k.EndsWith('*') ? e.Kind.StartsWith(k[..^1], StringComparison.Ordinal) : e.Kind == k));

        var shown = EventFiles.Read(directory, Matches, last);
        foreach (var e in shown)
        {
            Print(cli, e);
        }

        if (!follow)
        {
            return ExitCodes.Ok;
        }

        var seen = EventFiles.Read(directory).Count;
        while (!cancellationToken.IsCancellationRequested)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(200), cli.Time, cancellationToken);
            var all = EventFiles.Read(directory);
            foreach (var e in all.Skip(seen).Where(Matches))
            {
                Print(cli, e);
            }

            seen = all.Count;
        }

        return ExitCodes.Ok;
    }

    private static void Print(CliContext cli, EventLine e)
    {
        if (cli.Json)
        {
            // One object per line, as in the files: ready for jq.
            Console.Out.WriteLine(e.Json.GetRawText());
            return;
        }

        cli.Terminal.Out.MarkupLine($"{e.At.ToLocalTime():yyyy-MM-dd HH:mm:ss.fff} [bold]{Markup.Escape(e.Kind),-20}[/] {Markup.Escape(e.Component ?? "-"),-12} {Markup.Escape(WhyVerb.Narrate(e))}");
    }
}
