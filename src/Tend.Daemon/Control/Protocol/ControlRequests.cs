using System.Text.Json;
using System.Text.Json.Serialization;

namespace Tend.Daemon.Control.Protocol;

/// <summary>
/// The verbs and their request types. A request's type is told by its verb, read first and looked
/// up here, not by System.Text.Json's polymorphism: that reads <c>[JsonDerivedType]</c> attributes
/// through reflection and builds every request type's metadata, which every `tend status` paid for
/// (about a millisecond and a half of a native run).
/// </summary>
public static class ControlVerbs
{
    public static IReadOnlyList<(Type Type, string Verb)> All { get; } =
    [
        (typeof(HelloRequest), "hello"),
        (typeof(StatusRequest), "status"),
        (typeof(WatchRequest), "watch"),
        (typeof(UpRequest), "up"),
        (typeof(DownRequest), "down"),
        (typeof(StartRequest), "start"),
        (typeof(StopRequest), "stop"),
        (typeof(RestartRequest), "restart"),
        (typeof(KillRequest), "kill"),
        (typeof(ReloadRequest), "reload"),
        (typeof(EventsRequest), "events"),
        (typeof(LogsRequest), "logs"),
        (typeof(CancelRequest), "cancel"),
        (typeof(ShutdownRequest), "shutdown"),
        (typeof(HttpRequest), "http"),
        (typeof(MetricsRequest), "metrics"),
        (typeof(UpdateRequest), "update"),
        (typeof(RunWorkflowRequest), "workflow_run"),
        (typeof(StopWorkflowRequest), "workflow_stop"),
        (typeof(DoctorRequest), "doctor"),
        (typeof(LogFilesRequest), "log_files"),
    ];

    private static readonly Dictionary<Type, string> VerbOfType = All.ToDictionary(v => v.Type, v => v.Verb);
    private static readonly Dictionary<string, Type> TypeOfVerb = All.ToDictionary(v => v.Verb, v => v.Type, StringComparer.Ordinal);

    public static string Of(Type requestType) =>
        VerbOfType.TryGetValue(requestType, out var verb) ? verb : throw new InvalidOperationException($"{requestType.Name} has no verb");

    /// <summary>A request as one line of JSON, without the newline.</summary>
    public static byte[] Write(ControlRequest request)
    {
        ArgumentNullException.ThrowIfNull(request);
        return JsonSerializer.SerializeToUtf8Bytes(request, InfoOf(request.GetType()));
    }

    /// <summary>The request a JSON object holds.</summary>
    /// <exception cref="JsonException">It names no verb, or one this daemon does not know, or its fields do not fit the verb's.</exception>
    public static ControlRequest Read(JsonElement request)
    {
        if (!request.TryGetProperty("verb", out var verb) || verb.ValueKind != JsonValueKind.String)
        {
            throw new JsonException("a request names its verb");
        }

        if (!TypeOfVerb.TryGetValue(verb.GetString()!, out var type))
        {
            throw new JsonException($"unknown verb '{verb.GetString()}' (the verbs: {string.Join(", ", TypeOfVerb.Keys)})");
        }

        return (ControlRequest?)request.Deserialize(InfoOf(type)) ?? throw new JsonException("an empty request");
    }

    private static System.Text.Json.Serialization.Metadata.JsonTypeInfo InfoOf(Type requestType) =>
        ProtocolJson.Default.GetTypeInfo(requestType) ?? throw new InvalidOperationException($"{requestType.Name} is not [JsonSerializable] in {nameof(ProtocolJson)}");
}

/// <summary>
/// A request to the daemon: one JSON object on one line, <c>{"verb":"stop","v":2,"id":7,"components":["api"]}</c>.
/// The verbs are fixed types (no generic dispatch, unlike supervisord's XML-RPC, CVE-2017-11610);
/// <see cref="Id"/> ties the replies to the request, so several can be in flight on one connection.
/// The verb of each type is in <see cref="ControlVerbs"/>.
/// </summary>
public abstract record ControlRequest
{
    /// <summary>What the request asks, written first: its type's verb in <see cref="ControlVerbs"/>.</summary>
    [JsonPropertyOrder(-1)]
    public string Verb => ControlVerbs.Of(GetType());

    /// <summary>The protocol version the client speaks; a daemon that speaks another answers with an error saying so.</summary>
    public int V { get; init; } = ControlProtocol.Version;

    /// <summary>Chosen by the client, unique among its requests in flight on the connection.</summary>
    public long Id { get; init; }
}

/// <summary>Versions and identity; also what `tend daemon status` asks.</summary>
public sealed record HelloRequest : ControlRequest;

/// <summary>The snapshot now.</summary>
public sealed record StatusRequest : ControlRequest;

/// <summary>The snapshot now and after every change, until cancelled.</summary>
public sealed record WatchRequest : ControlRequest;

/// <param name="StackFile">The stack file the client read: the daemon reloads it first when it changed.</param>
public sealed record UpRequest(IReadOnlyList<string> Components, string? StackFile, int? MaxRounds) : ControlRequest;

public sealed record DownRequest(IReadOnlyList<string> Components) : ControlRequest;

public sealed record StartRequest(IReadOnlyList<string> Components, int? MaxRounds) : ControlRequest;

public sealed record StopRequest(IReadOnlyList<string> Components) : ControlRequest;

public sealed record RestartRequest(IReadOnlyList<string> Components) : ControlRequest;

public sealed record KillRequest(IReadOnlyList<string> Components, int Signal) : ControlRequest;

public sealed record ReloadRequest(string? StackFile) : ControlRequest;

/// <summary>The last <paramref name="Last"/> events that match, then (with <paramref name="Follow"/>) each new one, until cancelled.</summary>
public sealed record EventsRequest(IReadOnlyList<string> Kinds, IReadOnlyList<string> Components, int Last, bool Follow) : ControlRequest;

/// <summary>The last <paramref name="Last"/> lines of a run (the current one when null), then (with <paramref name="Follow"/>) each new one.</summary>
public sealed record LogsRequest(string Component, int? Run, int Last, bool Follow) : ControlRequest;

/// <summary>Ends the stream of the request <paramref name="Request"/>.</summary>
public sealed record CancelRequest(long Request) : ControlRequest;

/// <summary>Stops the stack in order, then the daemon.</summary>
public sealed record ShutdownRequest : ControlRequest;

/// <summary>
/// Starts the HTTP face (on <paramref name="Listen"/>, else the stack file's <c>[http]</c>, else
/// 127.0.0.1:7380) unless it listens already; with <paramref name="MakeToken"/>, makes the API
/// token when there is none. <c>tend dashboard</c> and <c>tend up --http</c> send it.
/// </summary>
public sealed record HttpRequest(string? Listen, bool MakeToken) : ControlRequest;

/// <summary>The stack now as Prometheus' text exposition: what `tend metrics` prints and GET /metrics serves.</summary>
public sealed record MetricsRequest : ControlRequest;

/// <summary>Moves a component to another version through the health gate (docs/operations.md); the answer comes when it is kept or rolled back.</summary>
/// <param name="To">The version; null for the newest its <c>versions</c> command lists.</param>
/// <param name="StackFile">The stack file the client read: a changed one is reloaded first, as for up.</param>
public sealed record UpdateRequest(string Component, string? To, string? StackFile) : ControlRequest;

/// <summary>
/// Runs a workflow in the daemon, or resumes a run: the answer comes once the run has begun, with
/// its id and directory; its <c>workflow_*</c> and <c>step_*</c> events tell the rest, and its
/// run.json the end. The run belongs to the daemon, not to the client: a client that goes away
/// does not stop it (docs/workflows.md).
/// </summary>
/// <param name="Workflow">A <c>[workflows.NAME]</c> of the daemon's stack, or the absolute path of a workflow YAML file; null when <paramref name="Resume"/> is given.</param>
/// <param name="Inputs">The <c>--input</c> values, over the workflow's defaults.</param>
/// <param name="Files">The <c>--files</c> glob, when given.</param>
/// <param name="Resume">The id (or a unique prefix) of a run to go on with instead.</param>
/// <param name="StackFile">The stack file the client read: a changed one is reloaded first, as for up.</param>
public sealed record RunWorkflowRequest(string? Workflow, IReadOnlyDictionary<string, string> Inputs, string? Files, string? Resume, string? StackFile) : ControlRequest;

/// <summary>Stops a run the daemon hosts: its steps' process groups get TERM, then KILL after the grace; the answer comes when it has ended.</summary>
/// <param name="Run">The run's id, or a unique prefix of it.</param>
public sealed record StopWorkflowRequest(string Run) : ControlRequest;
