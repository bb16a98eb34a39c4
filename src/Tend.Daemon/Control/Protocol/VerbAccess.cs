namespace Tend.Daemon.Control.Protocol;

/// <summary>What a verb of the protocol does to the stack: only looks, or changes something.</summary>
public enum Access
{
    /// <summary>Looks only: answered by a read-only `tend api --stdio`.</summary>
    Read,

    /// <summary>Starts, stops, reloads, updates, opens a port or makes a token: only with `--allow-control`.</summary>
    Control,
}

/// <summary>
/// Every verb of <see cref="ControlVerbs.All"/> classified, by name, so that a read-only door
/// (an ssh forced command) knows what to refuse. A verb not listed here is a change until it is:
/// a new verb is refused by a read-only door, and a spec fails until it is classified.
/// </summary>
public static class VerbAccess
{
    public static IReadOnlyDictionary<string, Access> Classified { get; } = new Dictionary<string, Access>(StringComparer.Ordinal)
    {
        ["hello"] = Access.Read,
        ["status"] = Access.Read,
        ["watch"] = Access.Read,
        ["events"] = Access.Read,
        ["logs"] = Access.Read,
        ["metrics"] = Access.Read,

        // Run the host's checks and list its log files: they look, and change nothing.
        ["doctor"] = Access.Read,
        ["log_files"] = Access.Read,

        // Ends a stream of the same connection: the client's own request, nothing of the stack's.
        ["cancel"] = Access.Read,
        ["up"] = Access.Control,
        ["down"] = Access.Control,
        ["start"] = Access.Control,
        ["stop"] = Access.Control,
        ["restart"] = Access.Control,
        ["kill"] = Access.Control,
        ["reload"] = Access.Control,
        ["shutdown"] = Access.Control,

        // Starts the HTTP face (a listening port) and may write the API token.
        ["http"] = Access.Control,
        ["update"] = Access.Control,
        ["workflow_run"] = Access.Control,
        ["workflow_stop"] = Access.Control,
    };

    /// <summary>The verb's access; <see cref="Access.Control"/> for one not classified.</summary>
    public static Access Of(string verb) => Classified.TryGetValue(verb, out var access) ? access : Access.Control;
}
