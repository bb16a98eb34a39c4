using System.Text.Json.Serialization;
using Tend.Core.Status;

namespace Tend.Daemon.Control.Protocol;

/// <summary>The control protocol's fixed numbers.</summary>
public static class ControlProtocol
{
    /// <summary>2: request ids, typed requests, streamed replies. 1 (no <c>v</c>): one request and one response a connection.</summary>
    public const int Version = 2;

    /// <summary>No request is this long; a longer line is refused without being read whole.</summary>
    public const int MaxRequestBytes = 64 * 1024;
}

/// <summary>Source-generated (AOT-safe) JSON of the protocol: snake_case, nulls left out, events as the files write them.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HelloRequest))]
[JsonSerializable(typeof(StatusRequest))]
[JsonSerializable(typeof(WatchRequest))]
[JsonSerializable(typeof(UpRequest))]
[JsonSerializable(typeof(DownRequest))]
[JsonSerializable(typeof(StartRequest))]
[JsonSerializable(typeof(StopRequest))]
[JsonSerializable(typeof(RestartRequest))]
[JsonSerializable(typeof(KillRequest))]
[JsonSerializable(typeof(ReloadRequest))]
[JsonSerializable(typeof(EventsRequest))]
[JsonSerializable(typeof(LogsRequest))]
[JsonSerializable(typeof(CancelRequest))]
[JsonSerializable(typeof(ShutdownRequest))]
[JsonSerializable(typeof(HttpRequest))]
[JsonSerializable(typeof(MetricsRequest))]
[JsonSerializable(typeof(UpdateRequest))]
[JsonSerializable(typeof(RunWorkflowRequest))]
[JsonSerializable(typeof(StopWorkflowRequest))]
[JsonSerializable(typeof(DoctorRequest))]
[JsonSerializable(typeof(LogFilesRequest))]
[JsonSerializable(typeof(ControlReply))]
[JsonSerializable(typeof(string))]
public sealed partial class ProtocolJson : JsonSerializerContext;
