using System.Text.Json.Serialization;
using Tend.Core.Monitoring;
using Tend.Core.Status;

namespace Tend.Daemon.Http;

/// <summary>The version of the HTTP API's documents: every document carries it as <c>schema</c>; fields are only ever added.</summary>
public static class ApiSchema
{
    public const int Version = 1;
}

public sealed record HealthDocument(string Status, string Stack, int Pid, string Version)
{
    public int Schema { get; init; } = ApiSchema.Version;
}

public sealed record ApiError(string Kind, string Message, string? Hint = null);

public sealed record ErrorDocument(ApiError Error)
{
    public int Schema { get; init; } = ApiSchema.Version;
}

public sealed record ComponentDocument(ComponentSnapshot Component, IReadOnlyList<AlertRecord> Alerts)
{
    public int Schema { get; init; } = ApiSchema.Version;
}

public sealed record ActionDocument(string Action, IReadOnlyList<string> Components, StackSnapshot Snapshot)
{
    public int Schema { get; init; } = ApiSchema.Version;
}

public sealed record AlertsDocument(IReadOnlyList<AlertRecord> Firing, IReadOnlyList<AlertRecord> Recent)
{
    public int Schema { get; init; } = ApiSchema.Version;
}

public sealed record LogLineDocument(DateTimeOffset Ts, string Stream, string Text);

public sealed record LogsDocument(string Component, IReadOnlyList<LogLineDocument> Lines)
{
    public int Schema { get; init; } = ApiSchema.Version;
}

/// <summary>The HTTP API's documents: snake_case and null fields left out, as every JSON of tend's; source-generated.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(HealthDocument))]
[JsonSerializable(typeof(ErrorDocument))]
[JsonSerializable(typeof(ComponentDocument))]
[JsonSerializable(typeof(ActionDocument))]
[JsonSerializable(typeof(AlertsDocument))]
[JsonSerializable(typeof(LogsDocument))]
[JsonSerializable(typeof(LogLineDocument))]
public sealed partial class ApiJson : JsonSerializerContext;
