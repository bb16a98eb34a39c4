using System.Text.RegularExpressions;

namespace Tend.Daemon.Remote;

/// <summary>
/// A next step another host wrote for its own shell, said as typed on the client: a verb that
/// takes <c>--host</c> gets it (<c>tend logs --host pi web -n 100</c>), `tend doctor` is `tend why
/// --host pi`, and what only runs on the host (tend up, a `ss -ltnp` in backticks) is marked
/// "on pi:", so that nothing printed on the client runs there by mistake.
/// </summary>
public static partial class HostedCommands
{
    private const string AllVerbs = "status|peek|events|logs|why|alerts|monitor|start|stop|restart|doctor|up|down|kill|reload|preflight|validate|health|graph|update|daemon|workflow|run|metrics|backup|restore|dashboard|diag";

    /// <summary>The verbs that take --host.</summary>
    public static IReadOnlyList<string> HostVerbs { get; } = ["status", "peek", "events", "logs", "why", "alerts", "monitor", "start", "stop", "restart"];

    public static string Rewrite(string step, string host)
    {
        ArgumentNullException.ThrowIfNull(step);
        return Command().Replace(step, m =>
        {
            if (m.Groups["quoted"].Success)
            {
                var command = m.Groups["quoted"].Value;
                return TendVerb().Match(command) is { Success: true, Index: 0 } verb && Here(verb.Groups["verb"].Value, host) is { } here
                    ? $"`{here}{command[verb.Length..]}`"
                    : $"on {host}: `{command}`";
            }

            var name = m.Groups["verb"].Value;
            return Here(name, host) ?? $"on {host}: tend {name}";
        });
    }

    /// <summary>The verb as typed on the client, with its --host; null for a verb that only runs on the host.</summary>
    private static string? Here(string verb, string host) => verb switch
    {
        "doctor" => $"tend why --host {host}",
        _ when HostVerbs.Contains(verb) => $"tend {verb} --host {host}",
        _ => null,
    };

    // A command in backticks, or a tend command in the text: "tend" and a verb, not "tend:" nor a word that only ends in tend.
    [GeneratedRegex(@"`(?<quoted>[^`\n]+)`|(?<![\w./-])tend (?<verb>" + AllVerbs + @")\b")]
    private static partial Regex Command();

    [GeneratedRegex(@"tend (?<verb>" + AllVerbs + @")\b")]
    private static partial Regex TendVerb();
}
