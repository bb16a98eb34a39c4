using System.Net.Sockets;
using System.Text.Json;
using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>The Docker daemon answers <c>/_ping</c> on its Unix socket (or TCP endpoint).</summary>
public sealed record DockerCheck(string Endpoint) : CheckSpec
{
    public static readonly CheckKind Definition = new("docker", "the Docker daemon answers /_ping", TimeSpan.FromSeconds(3), CheckValueForms.String | CheckValueForms.True, [], Create);

    private const string DefaultSocket = "/var/run/docker.sock";

    public override string Kind => "docker";

    public override string Target => Endpoint;

    private static DockerCheck Create(CheckArguments arguments) => new(arguments.Value as string ?? "");

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var endpoint = Endpoint.Length > 0 ? Endpoint : context.Environment("DOCKER_HOST") ?? $"unix://{DefaultSocket}";
        var socketPath = endpoint.StartsWith("unix://", StringComparison.Ordinal) ? endpoint["unix://".Length..] : endpoint.StartsWith('/') ? endpoint : null;
        using var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = Timeout };
        Uri baseAddress;
        if (socketPath is not null)
        {
            if (!File.Exists(socketPath))
            {
                return CheckOutcome.Fail("no_socket", $"no Docker socket at {socketPath}", $"{socketPath} does not exist: the Docker daemon is not running or not installed").WithData(("socket", socketPath));
            }

            handler.ConnectCallback = async (_, token) =>
            {
                var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
                try
                {
                    await socket.ConnectAsync(new UnixDomainSocketEndPoint(socketPath), token);
                    return new NetworkStream(socket, ownsSocket: true);
                }
                catch
                {
                    socket.Dispose();
                    throw;
                }
            };
            baseAddress = new Uri("http://docker/");
        }
        else
        {
            baseAddress = new Uri(endpoint.Replace("tcp://", "http://", StringComparison.Ordinal));
        }

        using var client = new HttpClient(handler) { BaseAddress = baseAddress, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var data = new (string, string?)[] { ("socket", socketPath ?? endpoint) };
        try
        {
            using var ping = await client.GetAsync(new Uri("/_ping", UriKind.Relative), cancellationToken);
            var body = await ping.Content.ReadAsStringAsync(cancellationToken);
            if (!ping.IsSuccessStatusCode || body.Trim() != "OK")
            {
                return CheckOutcome.Fail("unhealthy", $"Docker answered /_ping with HTTP {(int)ping.StatusCode}", $"body: {body.Trim()}").WithData(data);
            }

            var version = await ReadVersionAsync(client, cancellationToken);
            return CheckOutcome.Pass(version is null ? "Docker daemon is running" : $"Docker {version} is running", $"{endpoint} answered /_ping with OK").WithData(data);
        }
        catch (HttpRequestException e) when (Find<SocketException>(e) is { SocketErrorCode: SocketError.AccessDenied } || e.InnerException is UnauthorizedAccessException)
        {
            return CheckOutcome.Fail("permission", $"permission denied on {socketPath ?? endpoint}", $"{Environment.UserName} may not use {socketPath ?? endpoint}").WithData(data);
        }
        catch (HttpRequestException e)
        {
            if (Find<SocketException>(e) is { } socket)
            {
                var outcome = socket.SocketErrorCode switch
                {
                    SocketError.ConnectionRefused => CheckOutcome.Fail("refused", $"nothing answers on {socketPath ?? endpoint}", $"{socketPath ?? endpoint} exists but refuses connections: the daemon is not running"),
                    _ => CheckOutcome.Fail("network", $"cannot reach Docker at {endpoint}", socket.Message),
                };
                return outcome.WithData(data);
            }

            return CheckOutcome.Fail("network", $"cannot reach Docker at {endpoint}", e.Message).WithData(data);
        }
    }

    private static async Task<string?> ReadVersionAsync(HttpClient client, CancellationToken cancellationToken)
    {
        try
        {
            var json = await client.GetStringAsync(new Uri("/version", UriKind.Relative), cancellationToken);
            using var document = JsonDocument.Parse(json);
            return document.RootElement.TryGetProperty("Version", out var version) ? version.GetString() : null;
        }
        catch (Exception e) when (e is HttpRequestException or JsonException)
        {
            return null;
        }
    }

    private static T? Find<T>(Exception error) where T : Exception
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            if (e is T found)
            {
                return found;
            }
        }

        return null;
    }
}
