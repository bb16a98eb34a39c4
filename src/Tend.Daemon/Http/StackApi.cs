using System.Globalization;
using System.Text.Json;
using Microsoft.AspNetCore.Http;
using Tend.Core.Events;
using Tend.Core.Monitoring;
using Tend.Core.Status;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Logs;

namespace Tend.Daemon.Http;

/// <summary>The API's reading routes and its three changing ones, each a thin call of <see cref="StackControl"/>.</summary>
internal sealed class StackApi(StackControl control, EventHub events, DaemonPaths paths, TimeProvider time)
{
    private static readonly TimeSpan StateGather = TimeSpan.FromMilliseconds(250);

    public Task HealthAsync(HttpContext context)
    {
        var hello = control.Hello();
        return ApiResults.JsonAsync(context, new HealthDocument("ok", hello.Stack, hello.Pid, hello.Version), ApiJson.Default.HealthDocument);
    }

    /// <summary>The document of <c>tend peek --json</c>, from the daemon itself (so nothing runs unsupervised).</summary>
    public async Task StateAsync(HttpContext context)
    {
        var recent = new EventReader(paths.Events, time).Last(20);
        await ApiResults.JsonAsync(context, new PeekReport(true, control.Status(), [], [.. recent.Select(EventJson.ToElement)]), StatusJson.Default.PeekReport);
    }

    /// <summary>The snapshot at once, then after changes, at most every 250 ms: a starting stack of 500 does not send 500 snapshots a second.</summary>
    public async Task StateStreamAsync(HttpContext context)
    {
        await EventStreamWriter.ServeAsync(context, time, async (stream, cancellationToken) =>
        {
            await foreach (var snapshot in control.WatchAsync(cancellationToken))
            {
                await stream.WriteAsync(null, "state", JsonSerializer.Serialize(snapshot, StatusJson.Default.StackSnapshot), cancellationToken);
                await Task.Delay(StateGather, time, cancellationToken);
            }
        });
    }

    public async Task ComponentAsync(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["component"]!;
        var snapshot = control.Status();
        if (snapshot.Components.FirstOrDefault(c => c.Name == name) is not { } component)
        {
            await NotFoundAsync(context, name);
            return;
        }

        var alerts = snapshot.Alerts?.Where(a => a.Subject == name).ToList() ?? [];
        await ApiResults.JsonAsync(context, new ComponentDocument(component, alerts), ApiJson.Default.ComponentDocument);
    }

    /// <summary>Prometheus' text exposition, as `tend metrics` prints it.</summary>
    public Task MetricsAsync(HttpContext context)
    {
        context.Response.ContentType = Core.Metrics.ExpositionWriter.ContentType;
        context.Response.Headers.CacheControl = "no-store";
        return context.Response.WriteAsync(control.Metrics(), context.RequestAborted);
    }

    public Task AlertsAsync(HttpContext context) =>
        ApiResults.JsonAsync(context, new AlertsDocument(control.Monitor.Firing, control.Monitor.Recent), ApiJson.Default.AlertsDocument);

    public async Task LogsAsync(HttpContext context)
    {
        if (ReadLogQuery(context) is not var (name, run, tail))
        {
            await BadTailAsync(context);
            return;
        }

        var lines = control.Logs(name, run, tail, follow: false, context.RequestAborted);
        if (lines.Error is { } error)
        {
            await FailAsync(context, error);
            return;
        }

        var read = new List<LogLineDocument>();
        await foreach (var line in lines.Value!.WithCancellation(context.RequestAborted))
        {
            read.Add(Document(line));
        }

        await ApiResults.JsonAsync(context, new LogsDocument(name, read), ApiJson.Default.LogsDocument);
    }

    public async Task LogStreamAsync(HttpContext context)
    {
        if (ReadLogQuery(context) is not var (name, run, tail))
        {
            await BadTailAsync(context);
            return;
        }

        var lines = control.Logs(name, run, tail, follow: true, context.RequestAborted);
        if (lines.Error is { } error)
        {
            await FailAsync(context, error);
            return;
        }

        await EventStreamWriter.ServeAsync(context, time, async (stream, cancellationToken) =>
        {
            await foreach (var line in lines.Value!.WithCancellation(cancellationToken))
            {
                await stream.WriteAsync(null, "log", JsonSerializer.Serialize(Document(line), ApiJson.Default.LogLineDocument), cancellationToken);
            }
        });
    }

    /// <summary>The monitor's samples of the last <c>minutes</c> (30 by default), for sparklines.</summary>
    public async Task UsageAsync(HttpContext context)
    {
        var minutes = int.TryParse(context.Request.Query["minutes"].FirstOrDefault(), NumberStyles.None, CultureInfo.InvariantCulture, out var m) ? Math.Clamp(m, 1, 24 * 60) : 30;
        var now = time.GetUtcNow();
        var samples = RecentSamples.Read(paths.Events, now.AddMinutes(-minutes), now, max: 2000);
        var components = new Dictionary<string, List<(string Ts, double Cpu, long Memory)>>(StringComparer.Ordinal);
        var host = new List<(string Ts, double? Cpu, double Memory)>();
        foreach (var sample in samples)
        {
            using var document = JsonDocument.Parse(sample);
            var root = document.RootElement;
            var ts = root.GetProperty("ts").GetString()!;
            if (root.TryGetProperty("host", out var h))
            {
                host.Add((ts, h.TryGetProperty("cpu_percent", out var cpu) ? cpu.GetDouble() : null, h.GetProperty("memory_used_percent").GetDouble()));
            }

            if (root.TryGetProperty("components", out var each))
            {
                foreach (var component in each.EnumerateObject())
                {
                    if (!components.TryGetValue(component.Name, out var points))
                    {
                        components[component.Name] = points = [];
                    }

                    points.Add((ts, component.Value.GetProperty("cpu_percent").GetDouble(), component.Value.GetProperty("memory_bytes").GetInt64()));
                }
            }
        }

        context.Response.ContentType = "application/json; charset=utf-8";
        context.Response.Headers.CacheControl = "no-store";
        await using var json = new Utf8JsonWriter(context.Response.BodyWriter);
        json.WriteStartObject();
        json.WriteNumber("schema", ApiSchema.Version);
        json.WriteNumber("interval_ms", (long)control.Stack.Monitor.Interval.TotalMilliseconds);
        json.WriteStartObject("components");
        foreach (var (name, points) in components)
        {
            json.WriteStartArray(name);
            foreach (var (ts, cpu, memory) in points)
            {
                json.WriteStartObject();
                json.WriteString("ts", ts);
                json.WriteNumber("cpu_percent", cpu);
                json.WriteNumber("rss_bytes", memory);
                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        json.WriteEndObject();
        json.WriteStartArray("host");
        foreach (var (ts, cpu, memory) in host)
        {
            json.WriteStartObject();
            json.WriteString("ts", ts);
            if (cpu is { } c)
            {
                json.WriteNumber("cpu_percent", c);
            }

            json.WriteNumber("memory_used_percent", memory);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
        await json.FlushAsync(context.RequestAborted);
    }

    /// <summary>start, stop or restart of one component: through the same gate as the socket's, as an event that names where it came from.</summary>
    public async Task ActAsync(HttpContext context, string action)
    {
        var name = (string)context.Request.RouteValues["component"]!;
        if (control.Stack.Find(name) is null)
        {
            await NotFoundAsync(context, name);
            return;
        }

        var remote = context.Connection.RemoteIpAddress is { } address ? new System.Net.IPEndPoint(address, context.Connection.RemotePort).ToString() : "?";
        events.Emit(EventKinds.ApiRequest, name, new("action", action), new("source", "http"), new("remote", remote));
        var reason = $"{action} asked over http";
        var names = new[] { name };
        var outcome = action switch
        {
            "start" => await control.StartAsync(names, cancellationToken: context.RequestAborted),
            "stop" => await control.StopAsync(names, reason, context.RequestAborted),
            _ => await control.RestartAsync(names, reason, byUser: true, context.RequestAborted),
        };

        if (outcome.Error is { } error)
        {
            await FailAsync(context, error);
            return;
        }

        await ApiResults.JsonAsync(context, new ActionDocument(action, outcome.Value!.Components, outcome.Value.Snapshot), ApiJson.Default.ActionDocument);
    }

    private static Task NotFoundAsync(HttpContext context, string name) =>
        ApiResults.ErrorAsync(context, StatusCodes.Status404NotFound, new ApiError("not_a_component", $"'{name}' is not a component of this stack"));

    private static Task FailAsync(HttpContext context, ControlError error) =>
        ApiResults.ErrorAsync(context, error.Code == "not_a_component" ? StatusCodes.Status404NotFound : StatusCodes.Status409Conflict, new ApiError(error.Code, error.Message, error.Hint));

    private static Task BadTailAsync(HttpContext context) =>
        ApiResults.ErrorAsync(context, StatusCodes.Status400BadRequest, new ApiError("bad_request", "tail must be a count of lines from 0 to 100000, and run a run number"));

    private static (string Name, int? Run, int Tail)? ReadLogQuery(HttpContext context)
    {
        var name = (string)context.Request.RouteValues["component"]!;
        var tail = 200;
        if (context.Request.Query["tail"].FirstOrDefault() is { } tailText && (!int.TryParse(tailText, NumberStyles.None, CultureInfo.InvariantCulture, out tail) || tail > 100_000))
        {
            return null;
        }

        int? run = null;
        if (context.Request.Query["run"].FirstOrDefault() is { } runText)
        {
            if (!int.TryParse(runText, NumberStyles.None, CultureInfo.InvariantCulture, out var r))
            {
                return null;
            }

            run = r;
        }

        return (name, run, tail);
    }

    private static LogLineDocument Document(LogLine line) => new(line.Time, line.Stream.Name(), line.Text);
}
