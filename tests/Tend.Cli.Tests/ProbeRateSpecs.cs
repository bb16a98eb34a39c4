using System.Net;
using System.Net.Sockets;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// An external whose server refuses the login is not hammered: the real PostgreSQL, reached
/// through a counting TCP relay, sees a handful of logins in five seconds, not a hundred.
/// </summary>
public sealed class ProbeRateSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private readonly TcpListener _relay = new(IPAddress.Loopback, 0);
    private readonly CancellationTokenSource _stop = new();
    private int _connections;

    public ProbeRateSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        await _stop.CancelAsync();
        _relay.Stop();
        _stop.Dispose();
        _directory.Dispose();
    }

    /// <summary>Relays each connection to <paramref name="target"/>, counting them.</summary>
    private async Task RelayAsync(int target)
    {
        while (!_stop.IsCancellationRequested)
        {
            TcpClient client;
            try
            {
                client = await _relay.AcceptTcpClientAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
            {
                return;
            }

            Interlocked.Increment(ref _connections);
            _ = Task.Run(async () =>
            {
                using (client)
                using (var server = new TcpClient())
                {
                    try
                    {
                        await server.ConnectAsync(IPAddress.Loopback, target, _stop.Token);
                        var a = client.GetStream().CopyToAsync(server.GetStream(), _stop.Token);
                        var b = server.GetStream().CopyToAsync(client.GetStream(), _stop.Token);
                        await Task.WhenAny(a, b);
                    }
                    catch (Exception e) when (e is OperationCanceledException or IOException or SocketException)
                    {
                        // Either side went away.
                    }
                }
            });
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_refused_login_is_retried_a_few_times_not_twenty_times_a_second()
    {
        var server = new Uri(TestServers.PostgresUrl);
        _relay.Start();
        var relayPort = ((IPEndPoint)_relay.LocalEndpoint).Port;
        var relaying = RelayAsync(server.Port);
        _directory.Write("tend.toml", $$"""
            [components.store]
            kind = "external"
            health = { postgres = "postgresql://postgres:wrong-password@127.0.0.1:{{relayPort}}/postgres", timeout = "20s" }
            """);

        (await TendBinary.RunAsync(_directory.Path, "up", "--detach")).ExitCode.ShouldBe(0);
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "probe_failed"));
        var first = Volatile.Read(ref _connections);
        await Task.Delay(TimeSpan.FromSeconds(5), TimeProvider.System, TestContext.Current.CancellationToken);
        var logins = Volatile.Read(ref _connections) - first;

        logins.ShouldBeLessThanOrEqualTo(6, "a refused login once a second at most, slowing down");
        logins.ShouldBeGreaterThanOrEqualTo(1, "it is still probed, to see the fix");
        var status = (await TendBinary.RunAsync(_directory.Path, "status", "--json")).Json;
        status.GetProperty("components")[0].GetProperty("reason").GetString()!.ShouldContain("password authentication failed");
        await _stop.CancelAsync();
        _relay.Stop();
        await relaying;
    }
}
