using System.Text.Json;
using System.Text.Json.Nodes;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Remote;

/// <summary>
/// Issue 15: a stack on another host, seen and controlled over ssh through a real sshd whose
/// authorized_keys forces `tend api --stdio`: the same answers as on the host, control only
/// where the key allows it, a dropped link told as blips and then a give-up at the tolerance, and
/// another version of tend refused with both versions named.
/// </summary>
public sealed class RemoteSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private SshServer _ssh = null!;

    public RemoteSpecs() => _daemon = new DaemonState(_directory.Path);

    public async ValueTask InitializeAsync()
    {
        var stack = _directory.Write("tend.toml", """
            [components.web]
            command = ["sh", "-c", "echo hello; echo oops >&2; exec sleep 100000"]

            [components.worker]
            command = ["sh", "-c", "echo working; exec sleep 100000"]
            """);
        _ssh = await SshServer.StartAsync(stack);
    }

    public async ValueTask DisposeAsync()
    {
        await _ssh.DisposeAsync();
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, _ssh.Environment, args);

    /// <summary>Run from elsewhere: the remote answers must not lean on the stack file being here.</summary>
    private Task<TendResult> Remote(params string[] args) => TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, args);

    private async Task UpAsync()
    {
        var up = await Tend("up");
        up.ExitCode.ShouldBe(0, up.ToString());
    }

    [Fact(Timeout = 180_000)]
    public async Task Status_peek_events_and_logs_over_ssh_say_what_they_say_on_the_host()
    {
        await UpAsync();

        // A live daemon's snapshot is taken at each asking: its time and the usage readings move on between two askings.
        (await Json("status", "--json")).ShouldBe(await Json("status", "--json", "--host", "ro"));
        (await Json("peek", "--json")).ShouldBe(await Json("peek", "--json", "--host", "ro"));
        await Same("events", "--json", "-n", "100");
        await Same("events", "--json", "--component", "web", "--kind", "component_*");
        await Same("logs", "web", "--no-color");
        await Same("logs", "worker", "-n", "1", "--no-color");
        await Same("alerts", "--json");

        // Names are checked as here: a component the stack has not is a usage error there too.
        var unknown = await Remote("events", "--component", "nope", "--host", "ro");
        unknown.ExitCode.ShouldBe(2, unknown.ToString());
        unknown.Stderr.ShouldContain("nope");

        var why = await Remote("why", "web", "--host", "ro", "--no-color");
        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain("web is running");
        why.Stdout.ShouldContain("hello");

        // With the daemon gone, both read the state and the events it left, the same way.
        (await Tend("daemon", "stop")).ExitCode.ShouldBe(0);
        await Same("status", "--json");
        await Same("peek", "--json");
        await Same("events", "--json", "-n", "100");
        await Same("logs", "web", "--no-color");
        var saved = await Remote("status", "--host", "ro", "--no-color");
        saved.Stdout.ShouldContain("the daemon is not running");
    }

    [Fact(Timeout = 180_000)]
    public async Task Start_stop_and_restart_are_refused_by_a_read_only_key_and_done_with_allow_control()
    {
        await UpAsync();

        var refused = await Remote("stop", "web", "--host", "ro");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain("stop changes the stack, and this host's forced command is read-only");
        refused.Stderr.ShouldContain("add --allow-control to the command=");
        (await Tend("status", "--json")).Json.GetProperty("components")[0].GetProperty("state").GetString().ShouldBe("running");

        var stopped = await Remote("stop", "web", "--host", "rw");
        stopped.ExitCode.ShouldBe(0, stopped.ToString());
        (await Tend("status", "--json")).Json.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "web").GetProperty("state").GetString().ShouldBe("stopped");

        var started = await Remote("start", "web", "--host", "rw");
        started.ExitCode.ShouldBe(0, started.ToString());
        started.Stdout.ShouldContain("web started on rw");
        var restarted = await Remote("restart", "worker", "--host", "rw");
        restarted.ExitCode.ShouldBe(0, restarted.ToString());
        var components = (await Tend("status", "--json")).Json.GetProperty("components").EnumerateArray().ToList();
        components.ShouldAllBe(c => c.GetProperty("state").GetString() == "running");
        components.Single(c => c.GetProperty("name").GetString() == "worker").GetProperty("run").GetInt32().ShouldBe(2);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_killed_sshd_is_told_as_remote_blips_then_remote_gave_up_at_the_tolerance()
    {
        await UpAsync();
        using var follow = TendBinary.Start(Path.GetTempPath(), _ssh.Environment, "events", "-f", "-n", "1", "--json", "--host", "ro", "--remote-failure-tolerance", "4s");
        var lines = new List<JsonElement>();
        var first = await follow.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
        if (first is null)
        {
            Assert.Fail($"tend events -f --host printed nothing: {await follow.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
        }

        _ssh.Kill();
        while (await follow.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            // With --json, stdout is event lines only: the give-up's message is on stderr.
            lines.Add(JsonDocument.Parse(line).RootElement.Clone());
        }

        await follow.WaitForExitAsync(TestContext.Current.CancellationToken);
        var stderr = await follow.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        var kinds = lines.Select(l => l.GetProperty("event").GetString()).ToList();
        kinds.ShouldContain("remote_blip", string.Join('\n', lines));
        kinds[^1].ShouldBe("remote_gave_up", string.Join('\n', lines));
        var blip = lines.First(l => l.GetProperty("event").GetString() == "remote_blip");
        blip.GetProperty("host").GetString().ShouldBe("ro");
        blip.GetProperty("exit_code").GetInt32().ShouldBe(255);
        blip.GetProperty("retry_in_ms").GetInt64().ShouldBe(1000);

        // From the drop (the first blip) to the give-up: the tolerance, give or take a second.
        var gaveUp = lines[^1];
        var after = gaveUp.GetProperty("ts").GetDateTimeOffset() - blip.GetProperty("ts").GetDateTimeOffset();
        after.TotalSeconds.ShouldBeInRange(3.0, 5.0, string.Join('\n', lines));
        gaveUp.GetProperty("down_ms").GetInt64().ShouldBeInRange(4000, 5000);
        follow.ExitCode.ShouldBe(1, stderr);
        stderr.ShouldContain("gave up on ro");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_host_with_another_version_of_tend_is_refused_with_both_versions()
    {
        var other = await Remote("status", "--host", "other");

        other.ExitCode.ShouldBe(1, other.ToString());
        other.Stderr.ShouldContain("other runs tend 0.9.0 (control protocol 1)");
        other.Stderr.ShouldContain("(control protocol 2): they cannot talk");
        other.Stderr.ShouldContain("install the same tend on both");
    }

    [Fact(Timeout = 120_000)]
    public async Task Monitor_shows_several_hosts_in_one_view()
    {
        await UpAsync();

        var monitor = await Remote("monitor", "--host", "ro", "--host", "rw", "--no-color");

        monitor.ExitCode.ShouldBe(0, monitor.ToString());
        monitor.Stdout.ShouldContain("ro");
        monitor.Stdout.ShouldContain("rw");
        System.Text.RegularExpressions.Regex.Count(monitor.Stdout, @"\bweb\b").ShouldBeGreaterThanOrEqualTo(2, monitor.Stdout);
    }

    /// <summary>The same command's JSON (or text) here and through ssh.</summary>
    private async Task Same(params string[] args)
    {
        var here = await Tend(args);
        var there = await Remote([.. args, "--host", "ro"]);
        there.ExitCode.ShouldBe(here.ExitCode, there.ToString());
        there.Stdout.ShouldBe(here.Stdout, $"tend {string.Join(' ', args)}\n{there.Stderr}\nsshd: {_ssh.Log()}");
    }

    /// <summary>The JSON of a command without what changes from one asking to the next (times of asking, usage readings).</summary>
    private async Task<string> Json(params string[] args)
    {
        var result = args.Contains("--host") ? await Remote(args) : await Tend(args);
        result.ExitCode.ShouldBe(0, result.ToString());
        var node = JsonNode.Parse(result.Stdout)!;
        Strip(node);
        return node.ToJsonString();
    }

    private static void Strip(JsonNode? node)
    {
        switch (node)
        {
            case JsonObject o:
                foreach (var key in (string[])["at", "usage", "host"])
                {
                    o.Remove(key);
                }

                foreach (var (_, child) in o)
                {
                    Strip(child);
                }

                break;
            case JsonArray a:
                foreach (var child in a)
                {
                    Strip(child);
                }

                break;
        }
    }
}
