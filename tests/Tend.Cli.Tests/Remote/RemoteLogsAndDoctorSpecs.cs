using System.Text.Json.Nodes;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Remote;

/// <summary>
/// Issue 15's leftovers of --host, over a real sshd: `tend logs` without a component, `--runs`,
/// a component that never ran, `tend why` without a component (the host's doctor, its checks run
/// there) and `tend start` when no daemon runs on the host: each as the verb does on the host.
/// </summary>
public sealed class RemoteLogsAndDoctorSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly TempDirectory _elsewhere = new();
    private readonly DaemonState _daemon;
    private SshServer _ssh = null!;
    private string _stackFile = "";

    public RemoteLogsAndDoctorSpecs() => _daemon = new DaemonState(_directory.Path);

    public async ValueTask InitializeAsync()
    {
        // Nothing listens on db's port: its probe fails, which tend doctor reports.
        _stackFile = _directory.Write("tend.toml", $$"""
            [components.web]
            command = ["sh", "-c", "echo hello; echo oops >&2; exec sleep 100000"]

            [components.worker]
            command = ["sh", "-c", "echo working; exec sleep 100000"]

            [components.quiet]
            command = ["sleep", "100000"]

            [components.db]
            kind = "external"
            health = { tcp = "127.0.0.1:{{LocalServer.FreePort()}}" }
            """);
        _ssh = await SshServer.StartAsync(_stackFile);
    }

    public async ValueTask DisposeAsync()
    {
        await _ssh.DisposeAsync();
        await _daemon.StopDaemonAsync();
        _elsewhere.Dispose();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, _ssh.Environment, args);

    /// <summary>On the host, from a directory that is not the stack's: a path it prints is then absolute, as from another host.</summary>
    private Task<TendResult> Here(params string[] args) => TendBinary.RunAsync(_elsewhere.Path, _ssh.Environment, ["-f", _stackFile, .. args]);

    private Task<TendResult> Remote(params string[] args) => TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, args);

    private async Task UpAsync(params string[] components)
    {
        var up = await Tend(["up", .. components]);
        up.ExitCode.ShouldBe(0, up.ToString());
    }

    /// <summary>The same output here (run from elsewhere) and through the read-only key.</summary>
    private async Task<TendResult> Same(params string[] args)
    {
        var here = await Here(args);
        var there = await Remote([.. args, "--host", "ro"]);
        there.ExitCode.ShouldBe(here.ExitCode, $"{there}\nhere: {here}");
        there.Stdout.ShouldBe(here.Stdout, $"tend {string.Join(' ', args)}\n{there.Stderr}\nsshd: {_ssh.Log()}");
        return there;
    }

    /// <summary>Until both components' first lines are in their logs: what they print is on disk.</summary>
    private async Task UntilLoggedAsync()
    {
        while (true)
        {
            var logs = await Tend("logs", "--no-color");
            if (logs.Stdout.Contains("hello", StringComparison.Ordinal) && logs.Stdout.Contains("working", StringComparison.Ordinal))
            {
                return;
            }

            TestContext.Current.CancellationToken.ThrowIfCancellationRequested();
        }
    }

    [Fact(Timeout = 180_000)]
    public async Task Logs_without_a_component_over_ssh_are_the_interleaved_logs_printed_on_the_host()
    {
        var none = await Same("logs", "--no-color");
        none.Stdout.ShouldContain($"has run yet: no logs in {Path.Combine(_directory.Path, ".tend")}");

        await UpAsync("web", "worker", "quiet");
        await UntilLoggedAsync();

        var all = await Same("logs", "--no-color");
        all.Stdout.ShouldContain("web    | ");
        all.Stdout.ShouldContain("working");
        await Same("logs", "-n", "1", "--no-color");

        // What tend why says to type next is typed from here: it names the host.
        var why = await Remote("why", "web", "--no-color", "--host", "ro");
        why.Stdout.ShouldContain("next: nothing is wrong; tend logs --host ro web -f to watch it", customMessage: why.ToString());

        // Followed: the lines of each component as they come, after its name, until stopped.
        using var follow = TendBinary.Start(Path.GetTempPath(), _ssh.Environment, "logs", "-f", "--no-color", "--host", "ro");
        var seen = new List<string>();
        while (!(seen.Any(l => l.StartsWith("web ", StringComparison.Ordinal) && l.EndsWith("hello", StringComparison.Ordinal)) && seen.Any(l => l.StartsWith("worker ", StringComparison.Ordinal) && l.EndsWith("working", StringComparison.Ordinal))))
        {
            var line = await follow.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken);
            if (line is null)
            {
                Assert.Fail($"tend logs -f --host ended: {string.Join('\n', seen)}\n{await follow.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken)}");
            }

            seen.Add(line);
        }

        follow.HasExited.ShouldBeFalse("a follow goes on until stopped");
        follow.Kill(entireProcessTree: true);
    }

    [Fact(Timeout = 180_000)]
    public async Task The_runs_of_a_component_over_ssh_are_listed_as_on_the_host()
    {
        await UpAsync("web", "worker", "quiet");
        (await Tend("restart", "worker")).ExitCode.ShouldBe(0);
        await UntilLoggedAsync();

        var runs = await Same("logs", "worker", "--runs", "--no-color");
        runs.Stdout.ShouldContain("run 1");
        runs.Stdout.ShouldContain("run 2");
        runs.Stdout.ShouldContain("(current)");

        // Without a component, the command to type names the host.
        var refused = await Remote("logs", "--runs", "--host", "ro");
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Stderr.ShouldContain("--run and --runs are for one component's runs: tend logs web --runs --host ro");

        var missing = await Remote("logs", "worker", "--run", "9", "--host", "ro");
        missing.ExitCode.ShouldBe(2, missing.ToString());
        missing.Stderr.ShouldContain("worker has no run 9 on disk");
        missing.Stderr.ShouldContain("tend logs worker --runs --host ro");
    }

    [Fact(Timeout = 180_000)]
    public async Task A_component_that_never_ran_is_said_so_over_ssh_as_on_the_host()
    {
        await UpAsync("web", "quiet");

        var never = await Same("logs", "worker", "--no-color");
        never.Stdout.ShouldContain($"worker has not run yet: no logs in {Path.Combine(_directory.Path, ".tend", "logs", "worker")}");
        (await Same("logs", "worker", "--runs", "--no-color")).Stdout.ShouldContain("worker has not run yet");

        // Ran, and printed nothing: nothing, there as here.
        (await Same("logs", "quiet", "--no-color")).Stdout.ShouldBeEmpty();
    }

    [Fact(Timeout = 180_000)]
    public async Task Why_without_a_component_over_ssh_is_the_hosts_doctor_with_its_checks_run_there()
    {
        // Asked from a directory with no stack file: only the host can have run the checks.
        var here = await Here("why", "--json");
        var there = await Remote("why", "--json", "--host", "ro");
        there.ExitCode.ShouldBe(1, there.ToString());
        here.ExitCode.ShouldBe(1, here.ToString());
        WithoutDuration(there.Stdout).ShouldBe(WithoutDuration(here.Stdout));
        there.Stdout.ShouldContain("\"component\": \"db\"");

        var text = await Remote("why", "--no-color", "--host", "ro");
        var local = await Here("why", "--no-color");
        text.ExitCode.ShouldBe(1, text.ToString());
        text.Stdout.ShouldContain("✗ db (external)");
        text.Stdout.ShouldContain("then tend why --host ro again");
        text.Stdout.ShouldContain("See what listens: on ro: `ss -ltnp");

        // Line for line the host's report, but for how long it took and the commands said as typed from here.
        var theirs = Lines(text.Stdout);
        var ours = Lines(local.Stdout);
        theirs.Count.ShouldBe(ours.Count, text.Stdout);
        foreach (var (remote, host) in theirs.Zip(ours).Skip(1))
        {
            remote.ShouldBe(host.Replace("tend doctor", "tend why --host ro", StringComparison.Ordinal).Replace("`ss ", "on ro: `ss ", StringComparison.Ordinal));
        }

        // For a component there is no JSON, there as here.
        var refused = await Remote("why", "web", "--json", "--host", "ro");
        var alsoHere = await Here("why", "web", "--json");
        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Stderr.ShouldBe(alsoHere.Stderr.Replace("--json", "--json --host ro", StringComparison.Ordinal));
    }

    [Fact(Timeout = 180_000)]
    public async Task Start_over_ssh_with_no_daemon_on_the_host_starts_one_there_as_tend_start_does()
    {
        var refused = await Remote("start", "web", "--host", "ro");
        refused.ExitCode.ShouldBe(1, refused.ToString());
        refused.Stderr.ShouldContain("start changes the stack");
        _daemon.ReadDaemonPid().ShouldBeNull("a read-only key starts no daemon");

        var started = await Remote("start", "web", "--host", "rw", "--no-color");

        started.ExitCode.ShouldBe(0, $"{started}\nsshd: {_ssh.Log()}");
        started.Stdout.ShouldContain("web started on rw");
        var web = (await Tend("status", "--json")).Json.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "web");
        web.GetProperty("state").GetString().ShouldBe("running");
    }

    private static List<string> Lines(string text) => [.. text.Split('\n').Select(l => l.TrimEnd())];

    private static string WithoutDuration(string json)
    {
        var node = JsonNode.Parse(json)!.AsObject();
        node.Remove("duration_ms");
        return node.ToJsonString();
    }
}
