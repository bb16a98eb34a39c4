using System.Diagnostics;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>The operator is never left without an answer: a daemon that does not answer, one out of descriptors, one that cannot start, a stack taken down while up waits, components nobody asked for.</summary>
public sealed class FaultSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public FaultSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task Status_of_a_stopped_daemon_says_it_does_not_answer_with_its_pid_and_how_to_end_it()
    {
        _directory.Write("tend.toml", $$"""
            [components.app]
            command = {{Argv("sleep", "600000")}}
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var pid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        Signals.Send(pid, Signals.SIGSTOP).ShouldBeTrue();
        try
        {
            var watch = Stopwatch.StartNew();
            var status = await TendBinary.RunAsync(_directory.Path, new Dictionary<string, string?> { ["TEND_ANSWER_TIMEOUT"] = "2s" }, "status");
            watch.Stop();

            status.ExitCode.ShouldBe(1, status.ToString());
            status.ToString().ShouldContain("did not answer within 2s");
            status.ToString().ShouldContain($"kill -CONT {pid}");
            status.ToString().ShouldNotContain("unsupervised", customMessage: "the daemon's runs are its own, not orphans");
            watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(20));
        }
        finally
        {
            Signals.Send(pid, Signals.SIGCONT);
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_that_is_waiting_ends_at_once_when_the_stack_is_taken_down_meanwhile()
    {
        _directory.Write("tend.toml", $$"""
            [components.slow]
            command = {{Argv("sleep", "600000")}}
            min_uptime = "10m"
            """);
        using var up = TendBinary.Start(_directory.Path, null, "up");
        var output = up.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_started"));

        var watch = Stopwatch.StartNew();
        (await Tend("down")).ExitCode.ShouldBe(0);
        await up.WaitForExitAsync(TestContext.Current.CancellationToken);
        watch.Stop();

        up.ExitCode.ShouldBe(1, await output);
        (await output).ShouldContain("slow is stopped");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(30), "not the 10 minutes of up's own timeout");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_component_nobody_asked_for_is_stopped_not_failed()
    {
        _directory.Write("tend.toml", $$"""
            [components.api]
            command = {{Argv("sleep", "600000")}}
            min_uptime = "0s"
            [components.reports]
            command = {{Argv("sleep", "600000")}}
            """);
        (await Tend("up", "api")).ExitCode.ShouldBe(0);

        var status = await Tend("status", "--json");

        var reports = status.Json.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "reports");
        reports.GetProperty("verdict").GetProperty("kind").GetString().ShouldBe("stopped");
        reports.GetProperty("active").GetBoolean().ShouldBeFalse();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_daemon_that_ran_out_of_descriptors_answers_once_they_are_free()
    {
        _directory.Write("tend.toml", $$"""
            [components.app]
            command = {{Dummy.TomlArgv("sleep", "600000")}}
            min_uptime = "0s"
            """);
        // The daemon inherits the limit from the up that starts it.
        using var up = Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "ulimit -n 256 && exec \"$0\" up", TendBinary.Binary]) { WorkingDirectory = _directory.Path })!;
        await up.WaitForExitAsync(TestContext.Current.CancellationToken);
        up.ExitCode.ShouldBe(0);
        var pid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        int Descriptors() => Directory.GetFiles($"/proc/{pid}/fd").Length;

        var clients = new List<System.Net.Sockets.Socket>();
        try
        {
            // Each accepted connection holds one of its descriptors, until none is left and accept(2) fails with EMFILE.
            for (var i = 0; i < 400 && Descriptors() < 250; i++)
            {
                var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
                clients.Add(socket);
                try
                {
                    await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(_daemon.Directory, "daemon.sock")), TestContext.Current.CancellationToken);
                }
                catch (System.Net.Sockets.SocketException e) when (e.SocketErrorCode is System.Net.Sockets.SocketError.WouldBlock or System.Net.Sockets.SocketError.TryAgain)
                {
                    // The listen backlog is full: a loaded daemon accepts slower than this loop connects. It drains.
                    await Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken);
                }
            }

            await DaemonState.WaitUntilAsync(() => Descriptors() >= 250);
        }
        finally
        {
            foreach (var socket in clients)
            {
                socket.Dispose();
            }
        }

        var status = await TendBinary.RunAsync(_directory.Path, "status");

        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("app");
        status.ToString().ShouldNotContain("not running");
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_says_at_once_why_the_daemon_did_not_start()
    {
        _directory.Write("tend.toml", $$"""
            [components.app]
            command = {{Dummy.TomlArgv("sleep", "600000")}}
            """);
        Directory.CreateDirectory(Path.Combine(_directory.Path, ".tend"));
        // Someone holds the daemon's lock but does not listen: the daemon it starts gives up at once.
        using var held = new FileStream(Path.Combine(_directory.Path, ".tend", "daemon.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);

        var watch = Stopwatch.StartNew();
        var up = await TendBinary.RunAsync(_directory.Path, "up");
        watch.Stop();

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stderr.ShouldContain("the daemon exited with code 1 before it listened");
        up.Stderr.ShouldContain("another daemon already runs this stack");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "not the 15 s start timeout");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_100_MB_request_is_refused_with_the_daemons_memory_bounded()
    {
        _directory.Write("tend.toml", $$"""
            [components.app]
            command = {{Argv("sleep", "600000")}}
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        var pid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        var peakBefore = PeakRssKiB(pid);

        using var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        await socket.ConnectAsync(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(_daemon.Directory, "daemon.sock")), TestContext.Current.CancellationToken);
        var reply = new System.Text.StringBuilder();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[4096];
            try
            {
                int read;
                while ((read = await socket.ReceiveAsync(buffer, TestContext.Current.CancellationToken)) > 0)
                {
                    reply.Append(System.Text.Encoding.UTF8.GetString(buffer, 0, read));
                }
            }
            catch (System.Net.Sockets.SocketException)
            {
                // Reset: the daemon closed with the rest of the request unread.
            }
        }, TestContext.Current.CancellationToken);

        var chunk = System.Text.Encoding.ASCII.GetBytes(new string('x', 1 << 20));
        var sent = 0L;
        var refused = false;
        await socket.SendAsync("{\"v\":2,\"id\":1,\"verb\":\"status\",\"pad\":\""u8.ToArray(), TestContext.Current.CancellationToken);
        try
        {
            for (var i = 0; i < 100; i++)
            {
                sent += await socket.SendAsync(chunk, TestContext.Current.CancellationToken);
            }
        }
        catch (System.Net.Sockets.SocketException)
        {
            refused = true;
        }

        await reading.WaitAsync(TimeSpan.FromSeconds(30), TestContext.Current.CancellationToken);

        refused.ShouldBeTrue($"the daemon read all {sent} bytes of a request over its 64 KiB limit");
        reply.ToString().ShouldContain("\"code\":\"too_large\"");
        (PeakRssKiB(pid) - peakBefore).ShouldBeLessThan(32 * 1024, "the daemon's peak RSS grew by more than 32 MiB for one refused request");
        var status = await Tend("status");
        status.ExitCode.ShouldBe(0, status.ToString());
        status.Stdout.ShouldContain("app");
    }

    /// <summary>The peak resident set of a process so far (VmHWM), in KiB.</summary>
    private static long PeakRssKiB(int pid) =>
        long.Parse(File.ReadLines($"/proc/{pid}/status").Single(l => l.StartsWith("VmHWM:", StringComparison.Ordinal)).Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], System.Globalization.CultureInfo.InvariantCulture);

    [Fact(Timeout = 120_000)]
    public async Task After_a_daemon_is_killed_status_says_what_ended_and_how_to_start_again_and_up_says_what_it_recovered()
    {
        _directory.Write("tend.toml", """
            [components.plain]
            command = ["sleep", "600"]
            min_uptime = "0s"

            [components.stubborn]
            command = ["sh", "-c", "trap '' TERM; echo deaf to TERM; sleep 600"]
            min_uptime = "0s"
            stop = { grace = "1s" }
            """);
        (await Tend("up")).ExitCode.ShouldBe(0);
        // Killed before its trap is set (a loaded machine), the daemon's death signal would end it too.
        await DaemonState.WaitUntilAsync(() => File.Exists(Path.Combine(_daemon.Directory, "logs", "stubborn", "current.log")) && File.ReadAllText(Path.Combine(_daemon.Directory, "logs", "stubborn", "current.log")).Contains("deaf to TERM", StringComparison.Ordinal));
        var pid = _daemon.ReadDaemonPid().ShouldNotBeNull();
        var status = (await Tend("status", "--json")).Json;
        var plain = status.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "plain").GetProperty("pid").GetInt32();
        var stubborn = status.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "stubborn").GetProperty("pid").GetInt32();

        Signals.Send(pid, Signals.SIGKILL).ShouldBeTrue();
        await DaemonState.WaitUntilAsync(() => !DaemonState.IsAlive(pid) && !DaemonState.IsAlive(plain));

        // As if stubborn started in the 50 ms before the next state.json write: the file never
        // named it (CI hit exactly that). Its tag still does.
        var statePath = Path.Combine(_daemon.Directory, "state.json");
        var saved = System.Text.Json.Nodes.JsonNode.Parse(File.ReadAllText(statePath))!;
        foreach (var component in saved["components"]!.AsArray().Where(c => (string?)c!["name"] == "stubborn"))
        {
            component!.AsObject().Remove("pid");
            component.AsObject().Remove("pid_start_ticks");
        }

        File.WriteAllText(statePath, saved.ToJsonString());

        var after = await Tend("status");
        after.Stdout.ShouldContain("the daemon is not running");
        after.Stdout.ShouldContain("tend up starts the stack again");
        after.Stdout.ShouldMatch(@"plain\s+stopped", "its run ended with the daemon: not 'running'");
        after.Stdout.ShouldContain($"unsupervised: stubborn (pid {stubborn})");

        var up = await Tend("up");
        up.ExitCode.ShouldBe(0, up.ToString());
        up.Stdout.ShouldContain($"the previous daemon (pid {pid}) did not stop cleanly");
        up.Stdout.ShouldContain($"stubborn (pid {stubborn}, SIGKILL in ");
        DaemonState.IsAlive(stubborn).ShouldBeFalse();
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_while_a_killed_daemon_is_still_being_torn_down_starts_a_new_one_instead_of_failing_on_it()
    {
        _directory.Write("tend.toml", """
            [components.app]
            command = ["sleep", "600"]
            min_uptime = "0s"
            """);
        var state = Path.Combine(_directory.Path, ".tend");
        Directory.CreateDirectory(state);

        // What a SIGKILLed daemon is for a moment: its socket still listening (a connect lands in
        // the backlog, nobody accepts), its lock still held, its process not gone yet.
        using var dying = Process.Start(new ProcessStartInfo("sleep", ["600"]))!;
        File.WriteAllText(Path.Combine(state, "daemon.pid"), $"{dying.Id}\n");
        var held = new FileStream(Path.Combine(state, "daemon.lock"), FileMode.OpenOrCreate, FileAccess.ReadWrite, FileShare.None);
        var socket = new System.Net.Sockets.Socket(System.Net.Sockets.AddressFamily.Unix, System.Net.Sockets.SocketType.Stream, System.Net.Sockets.ProtocolType.Unspecified);
        socket.Bind(new System.Net.Sockets.UnixDomainSocketEndPoint(Path.Combine(state, "daemon.sock")));
        socket.Listen(16);
        var up = Tend("up");
        await Task.Delay(TimeSpan.FromMilliseconds(500), TimeProvider.System, TestContext.Current.CancellationToken);

        // The kernel finishes the teardown: socket, lock and process go together.
        socket.Dispose();
        await held.DisposeAsync();
        dying.Kill();
        var result = await up;

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("app");
        _daemon.ReadDaemonPid().ShouldNotBe(dying.Id);
    }
}
