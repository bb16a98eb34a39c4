using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Tend.Core.Checks;
using Tend.Core.Checks.Kinds;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Http;

/// <summary>
/// The daemon's HTTP face: dashboard, JSON API, live streams and /metrics, on Kestrel (the slim
/// empty builder: no configuration files, no logging providers, routes as plain request
/// delegates, so it stays AOT-clean and small). Off until the stack file's <c>[http]</c>,
/// <c>tend up --http</c> or <c>tend dashboard</c> asks; moved or stopped by a reload.
/// </summary>
public sealed class HttpFace(StackControl control, EventHub events, DaemonPaths paths, TimeProvider time) : IAsyncDisposable
{
    private readonly SemaphoreSlim _gate = new(1, 1);
    private WebApplication? _app;

    /// <summary>Signalled as each request ends and as the listener starts: the daemon trims its memory after such bursts.</summary>
    public Supervision.Changed Activity { get; } = new();

    /// <summary>Where it listens now; null while off.</summary>
    public HttpSettings? Listening { get; private set; }

    /// <summary>Listens as <paramref name="wanted"/> asks (already so: nothing to do); the error in words when it cannot.</summary>
    public async Task<ControlOutcome<HttpResult>> EnsureAsync(HttpSettings wanted, CancellationToken cancellationToken = default)
    {
        await _gate.WaitAsync(cancellationToken);
        try
        {
            if (_app is not null && Listening == wanted)
            {
                return Result(wanted);
            }

            if (!wanted.IsLoopback && !wanted.AllowRemote)
            {
                return new ControlError("http_not_loopback", $"{wanted.Listen} is reachable from other hosts, and the stack file does not allow it", "listen on 127.0.0.1, or set [http] allow_remote = true in the stack file (every request but /healthz then needs the token)");
            }

            if (!wanted.IsLoopback)
            {
                // A remote listener is never open: its token exists before its first request.
                HttpToken.Ensure(paths.HttpToken);
            }

            var previous = Listening;
            await StopCoreAsync();
            if (await TryStartAsync(wanted, cancellationToken) is { } failed)
            {
                var error = await BindErrorAsync(wanted, failed, cancellationToken);
                events.Emit(EventKinds.HttpFailed, null, new("listen", wanted.Listen), new("error", error.Message));

                // A move that cannot bind leaves the face where it was, not gone.
                if (previous is not null)
                {
                    await TryStartAsync(previous, cancellationToken);
                }

                return error;
            }

            events.Emit(EventKinds.HttpListening, null, new("url", wanted.Url), new("remote", wanted.IsLoopback ? "loopback only" : "allowed"));
            return Result(wanted);
        }
        finally
        {
            _gate.Release();
        }
    }

    /// <summary>Stops listening; open streams end.</summary>
    public async Task StopAsync()
    {
        await _gate.WaitAsync();
        try
        {
            await StopCoreAsync();
        }
        finally
        {
            _gate.Release();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await StopAsync();
        _gate.Dispose();
    }

    /// <summary>Listens as <paramref name="settings"/> say; the error when it cannot bind.</summary>
    private async Task<Exception?> TryStartAsync(HttpSettings settings, CancellationToken cancellationToken)
    {
        var app = Build(settings);
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (Exception e) when (e is IOException or System.Net.Sockets.SocketException or InvalidOperationException)
        {
            await app.DisposeAsync();
            return e;
        }

        _app = app;
        Listening = settings;
        Activity.Signal();
        return null;
    }

    private HttpResult Result(HttpSettings settings) => new(settings.Url, settings.Listen, settings.AllowRemote, paths.HttpToken, HttpToken.Read(paths.HttpToken) is not null);

    private async Task StopCoreAsync()
    {
        if (_app is { } app)
        {
            _app = null;
            Listening = null;
            // Streams are endless: they are cut after a moment, not waited for.
            using var patience = new CancellationTokenSource(TimeSpan.FromSeconds(2), time);
            await app.StopAsync(patience.Token);
            await app.DisposeAsync();
        }
    }

    private WebApplication Build(HttpSettings settings)
    {
        var builder = WebApplication.CreateEmptyBuilder(new WebApplicationOptions());
        builder.WebHost.UseKestrelCore().ConfigureKestrel(kestrel =>
        {
            kestrel.AddServerHeader = false;
            kestrel.Limits.MaxRequestBodySize = 64 * 1024;
            kestrel.Limits.MaxRequestHeadersTotalSize = 32 * 1024;
            if (settings.Host.Equals("localhost", StringComparison.OrdinalIgnoreCase))
            {
                kestrel.ListenLocalhost(settings.Port);
            }
            else
            {
                kestrel.Listen(IPAddress.Parse(settings.Host), settings.Port);
            }
        });
        builder.Services.AddRoutingCore();
        var app = builder.Build();
        app.Use(async (context, next) =>
        {
            try
            {
                await next(context);
            }
            finally
            {
                Activity.Signal();
            }
        });
        var guard = new HttpGuard(settings, paths.HttpToken);
        app.Use(guard.InvokeAsync);
        Map(app);
        return app;
    }

    private void Map(IEndpointRouteBuilder app)
    {
        var api = new StackApi(control, events, paths, time);
        var stream = new EventsApi(events, paths.Events, time);
        app.MapGet("/", DashboardPage.ServeAsync);
        app.MapGet("/healthz", api.HealthAsync);
        app.MapGet("/api/v1/state", api.StateAsync);
        app.MapGet("/api/v1/state/stream", api.StateStreamAsync);
        app.MapGet("/api/v1/components/{component}", api.ComponentAsync);
        app.MapGet("/api/v1/events", stream.ListAsync);
        app.MapGet("/api/v1/stream", stream.StreamAsync);
        app.MapGet("/api/v1/logs/{component}", api.LogsAsync);
        app.MapGet("/api/v1/logs/{component}/stream", api.LogStreamAsync);
        app.MapGet("/api/v1/alerts", api.AlertsAsync);
        app.MapGet("/api/v1/usage", api.UsageAsync);
        app.MapGet("/metrics", api.MetricsAsync);

        // Fixed verbs, like the socket's: nothing else changes the stack over HTTP.
        foreach (var action in new[] { "start", "stop", "restart" })
        {
            app.MapPost($"/api/v1/components/{{component}}/{action}", context => api.ActAsync(context, action));
        }
    }

    /// <summary>A taken port names its holder, as the port-free check does.</summary>
    private async Task<ControlError> BindErrorAsync(HttpSettings wanted, Exception e, CancellationToken cancellationToken)
    {
        var inUse = false;
        for (var inner = e; inner is not null; inner = inner.InnerException)
        {
            inUse |= inner is AddressInUseException;
        }

        if (!inUse)
        {
            return new ControlError("http_failed", $"cannot listen on {wanted.Listen}: {(e.InnerException ?? e).Message}", $"choose another address with [http] listen, or tend up --http 127.0.0.1:{(wanted.Port == 65535 ? 7380 : wanted.Port + 1)}");
        }

        var check = await new PortFreeCheck(new Core.Checks.Endpoint(wanted.Host, wanted.Port), AnyAddress: false).RunAsync(new CheckContext { BaseDirectory = paths.StateDirectory, Time = time }, cancellationToken);
        return new ControlError("http_port_taken", $"cannot listen on {wanted.Listen}: {(check.Facts.Count > 0 ? check.Facts[0] : check.Summary)}", $"stop that process, or choose another port: [http] listen = \"127.0.0.1:{wanted.Port + 1}\", or tend up --http 127.0.0.1:{wanted.Port + 1}");
    }
}
