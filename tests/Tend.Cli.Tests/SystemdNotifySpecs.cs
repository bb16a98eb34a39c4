using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// The daemon of tend install's unit, run as systemd would run it (INVOCATION_ID, NOTIFY_SOCKET,
/// WATCHDOG_USEC): READY=1 only once the stack it brought up is up, STATUS= lines, WATCHDOG=1 at
/// half the period that stop while the daemon is stopped, STOPPING=1 at TERM; and `tend status`
/// says it runs under systemd.
/// </summary>
public sealed class SystemdNotifySpecs : IDisposable
{
    private static readonly TimeSpan Wait = TimeSpan.FromSeconds(30);
    private readonly TempDirectory _directory = new();

    public SystemdNotifySpecs() => _directory.Write("tend.toml", """
        [stack]
        name = "shop"

        [components.seed]
        kind = "job"
        command = ["sh", "-c", "sleep 1; env > seed.env; touch seeded"]

        [components.web]
        command = ["sleep", "600"]
        requires = { seed = "completed" }
        min_uptime = "1s"
        """);

    public void Dispose()
    {
        TendBinary.RunAsync(_directory.Path, "daemon", "stop").GetAwaiter().GetResult();
        _directory.Dispose();
    }

    [Fact(Timeout = 90_000)]
    public async Task The_daemon_speaks_sd_notify_and_its_children_do_not_inherit_the_socket()
    {
        using var socket = new NotifySocket(Path.Combine(_directory.Path, "notify"));
        var systemd = new Dictionary<string, string?>
        {
            ["NOTIFY_SOCKET"] = socket.Address,
            ["INVOCATION_ID"] = "0123456789abcdef0123456789abcdef",
            ["WATCHDOG_USEC"] = "1000000",
            ["TEND_SYSTEMD_UNIT"] = "tend-shop.service",
            ["TEND_SYSTEMD_MODE"] = "user",
        };
        using var daemon = TendBinary.Start(_directory.Path, systemd, "daemon", "run", "--up");
        try
        {
            var before = await socket.ReceiveUntilAsync("READY=1", Wait);
            File.Exists(Path.Combine(_directory.Path, "seeded")).ShouldBeTrue("READY=1 comes once the job has completed and the service is up");
            var statuses = before.Where(m => m.StartsWith("STATUS=", StringComparison.Ordinal)).ToList();
            statuses.ShouldContain("STATUS=starting: 0 of 2 up", string.Join(" | ", before));
            before[^1].ShouldBe("READY=1\nSTATUS=2 up");

            var status = await TendBinary.RunAsync(_directory.Path, "status");
            status.ExitCode.ShouldBe(0, status.ToString());
            status.Stdout.ShouldContain("daemon under systemd: tend-shop.service (user); systemctl --user status tend-shop.service shows it");
            var daemonStatus = await TendBinary.RunAsync(_directory.Path, "daemon", "status");
            daemonStatus.Stdout.ShouldContain("daemon under systemd: tend-shop.service (user)");

            var inherited = await File.ReadAllTextAsync(Path.Combine(_directory.Path, "seed.env"), TestContext.Current.CancellationToken);
            inherited.ShouldNotContain("NOTIFY_SOCKET=");
            inherited.ShouldNotContain("WATCHDOG_USEC=");
            inherited.ShouldContain("INVOCATION_ID=0123456789abcdef0123456789abcdef", customMessage: "nothing else of the environment is taken away");

            await PingsAsync(socket, 3);
            Signals.Send(daemon.Id, Signals.SIGSTOP).ShouldBeTrue();
            await DrainAsync(socket);
            (await socket.ReceiveAsync(TimeSpan.FromSeconds(2))).ShouldBeNull("a stopped daemon pings no more: systemd's watchdog restarts it");
            Signals.Send(daemon.Id, Signals.SIGCONT).ShouldBeTrue();
            await PingsAsync(socket, 1);

            Signals.Send(daemon.Id, Signals.SIGTERM).ShouldBeTrue();
            (await socket.ReceiveUntilAsync("STOPPING=1", Wait)).ShouldNotBeEmpty();
            await daemon.WaitForExitAsync(TestContext.Current.CancellationToken);
            daemon.ExitCode.ShouldBe(0);
        }
        finally
        {
            if (!daemon.HasExited)
            {
                Signals.Send(daemon.Id, Signals.SIGCONT);
                Signals.Send(daemon.Id, Signals.SIGTERM);
                await daemon.WaitForExitAsync(TestContext.Current.CancellationToken);
            }
        }
    }

    [Fact(Timeout = 60_000)]
    public async Task A_daemon_started_by_tend_up_is_not_said_to_be_under_systemd()
    {
        (await TendBinary.RunAsync(_directory.Path, new Dictionary<string, string?> { ["INVOCATION_ID"] = "0123", ["NOTIFY_SOCKET"] = null }, "up")).ExitCode.ShouldBe(0);

        var status = await TendBinary.RunAsync(_directory.Path, "status");

        status.Stdout.ShouldNotContain("systemd");
    }

    /// <summary>Waits for <paramref name="count"/> WATCHDOG=1 pings, about half a second apart (WATCHDOG_USEC is 1 s).</summary>
    private static async Task PingsAsync(NotifySocket socket, int count)
    {
        for (var i = 0; i < count; i++)
        {
            await socket.ReceiveUntilAsync("WATCHDOG=1", TimeSpan.FromSeconds(5));
        }
    }

    /// <summary>Reads what was already sent before the daemon stopped.</summary>
    private static async Task DrainAsync(NotifySocket socket)
    {
        while (await socket.ReceiveAsync(TimeSpan.FromMilliseconds(100)) is not null)
        {
        }
    }
}
