using System.Net;
using System.Net.Sockets;
using System.Text;

namespace Tend.Core.Tests.Support;

/// <summary>Small loopback servers that misbehave on purpose, run inside the test process.</summary>
public sealed class LocalServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private readonly List<Socket> _held = [];

    private LocalServer(Func<Socket, CancellationToken, Task> handle)
    {
        _listener = new TcpListener(IPAddress.Loopback, 0);
        _listener.Start();
        Port = ((IPEndPoint)_listener.LocalEndpoint).Port;
        _loop = Task.Run(async () =>
        {
            while (!_stop.IsCancellationRequested)
            {
                Socket socket;
                try
                {
                    socket = await _listener.AcceptSocketAsync(_stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
                {
                    return;
                }

                lock (_held)
                {
                    _held.Add(socket);
                }

                _ = Task.Run(async () =>
                {
                    try
                    {
                        await handle(socket, _stop.Token);
                    }
                    catch (Exception e) when (e is SocketException or IOException or OperationCanceledException or ObjectDisposedException)
                    {
                        // The client went away; that is what these servers are for.
                    }
                });
            }
        });
    }

    public int Port { get; }

    public string Address => $"127.0.0.1:{Port}";

    /// <summary>Accepts, then closes at once: a server that dies during the handshake.</summary>
    public static LocalServer ClosingOnAccept() => new((socket, _) =>
    {
        socket.Close();
        return Task.CompletedTask;
    });

    /// <summary>Accepts and never says a word.</summary>
    public static LocalServer Silent() => new((_, _) => Task.CompletedTask);

    /// <summary>Answers every HTTP request with a fixed status and body, after an optional delay.</summary>
    public static LocalServer Http(int status, string body = "", TimeSpan? delay = null, Func<string, (int Status, string Body)>? route = null) => new(async (socket, token) =>
    {
        using var stream = new NetworkStream(socket, ownsSocket: true);
        var buffer = new byte[8192];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await stream.ReadAsync(buffer, token);
            if (read == 0)
            {
                return;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        if (delay is { } wait)
        {
            await Task.Delay(wait, TimeProvider.System, token);
        }

        var path = request.ToString().Split(' ')[1];
        var (code, text) = route?.Invoke(path) ?? (status, body);
        var payload = Encoding.UTF8.GetBytes(text);
        var head = $"HTTP/1.1 {code} {(code < 400 ? "OK" : "Error")}\r\nContent-Length: {payload.Length}\r\nContent-Type: text/plain\r\nConnection: close\r\n\r\n";
        await stream.WriteAsync(Encoding.ASCII.GetBytes(head), token);
        await stream.WriteAsync(payload, token);
    });

    /// <summary>Answers HTTPS with a self-signed certificate for "localhost", made for this server only.</summary>
    public static LocalServer Https(int status, string body = "") => new(async (socket, token) =>
    {
        using var certificate = SelfSigned();
        await using var tls = new System.Net.Security.SslStream(new NetworkStream(socket, ownsSocket: true));
        await tls.AuthenticateAsServerAsync(new System.Net.Security.SslServerAuthenticationOptions { ServerCertificate = certificate }, token);
        var buffer = new byte[8192];
        var request = new StringBuilder();
        while (!request.ToString().Contains("\r\n\r\n", StringComparison.Ordinal))
        {
            var read = await tls.ReadAsync(buffer, token);
            if (read == 0)
            {
                return;
            }

            request.Append(Encoding.ASCII.GetString(buffer, 0, read));
        }

        var payload = Encoding.UTF8.GetBytes(body);
        await tls.WriteAsync(Encoding.ASCII.GetBytes($"HTTP/1.1 {status} OK\r\nContent-Length: {payload.Length}\r\nConnection: close\r\n\r\n"), token);
        await tls.WriteAsync(payload, token);
    });

    private static System.Security.Cryptography.X509Certificates.X509Certificate2 SelfSigned()
    {
        using var key = System.Security.Cryptography.RSA.Create(2048);
        var request = new System.Security.Cryptography.X509Certificates.CertificateRequest("CN=localhost", key, System.Security.Cryptography.HashAlgorithmName.SHA256, System.Security.Cryptography.RSASignaturePadding.Pkcs1);
        var now = TimeProvider.System.GetUtcNow();
        using var certificate = request.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        // SslStream on Linux needs the private key in an exportable, reloaded form.
        return System.Security.Cryptography.X509Certificates.X509CertificateLoader.LoadPkcs12(certificate.Export(System.Security.Cryptography.X509Certificates.X509ContentType.Pfx), null);
    }

    /// <summary>A loopback port with nothing listening on it (bound, read, released).</summary>
    public static int FreePort()
    {
        var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var port = ((IPEndPoint)listener.LocalEndpoint).Port;
        listener.Stop();
        return port;
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        await _loop;
        _stop.Dispose();
    }
}
