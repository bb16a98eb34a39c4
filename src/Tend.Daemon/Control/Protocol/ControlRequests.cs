using System.Text.Json.Serialization;

namespace Tend.Daemon.Control.Protocol;

/// <summary>
/// A request to the daemon: one JSON object on one line, <c>{"verb":"stop","v":2,"id":7,"components":["api"]}</c>.
/// The verbs are fixed types (no generic dispatch, unlike supervisord's XML-RPC, CVE-2017-11610);
/// <see cref="Id"/> ties the replies to the request, so several can be in flight on one connection.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "verb", UnknownDerivedTypeHandling = JsonUnknownDerivedTypeHandling.FailSerialization)]
[JsonDerivedType(typeof(HelloRequest), "hello")]
[JsonDerivedType(typeof(StatusRequest), "status")]
[JsonDerivedType(typeof(WatchRequest), "watch")]
[JsonDerivedType(typeof(UpRequest), "up")]
[JsonDerivedType(typeof(DownRequest), "down")]
[JsonDerivedType(typeof(StartRequest), "start")]
[JsonDerivedType(typeof(StopRequest), "stop")]
[JsonDerivedType(typeof(RestartRequest), "restart")]
[JsonDerivedType(typeof(KillRequest), "kill")]
[JsonDerivedType(typeof(ReloadRequest), "reload")]
[JsonDerivedType(typeof(EventsRequest), "events")]
[JsonDerivedType(typeof(LogsRequest), "logs")]
[JsonDerivedType(typeof(CancelRequest), "cancel")]
[JsonDerivedType(typeof(ShutdownRequest), "shutdown")]
public abstract record ControlRequest
{
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
