using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend wait`: a script or an init container waits until its servers answer, with the checks a stack file uses.</summary>
public sealed class WaitSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private static string EtcdWord => "etcd://" + new Uri(TestServers.EtcdUrl).Authority;

    [Fact(Timeout = 60_000)]
    public async Task Waiting_for_the_real_servers_returns_as_soon_as_each_answers_and_never_echoes_a_password()
    {
        var wait = await Tend("wait", TestServers.PostgresUrl, TestServers.RedisUrl, EtcdWord, "--timeout", "30s");

        wait.ExitCode.ShouldBe(0, wait.ToString());
        wait.Stdout.ShouldContain("✓ all 3 passed in");
        wait.Stdout.ShouldContain("postgres 127.0.0.1:");
        wait.Stdout.ShouldContain("redis 127.0.0.1:");
        wait.Stdout.ShouldContain("etcd 127.0.0.1:");
        wait.Stdout.ShouldNotContain(TestServers.PostgresPassword);
        wait.Stdout.ShouldNotContain(TestServers.RedisPassword);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_wrong_password_is_not_waited_out_in_silence_it_is_diagnosed_at_the_timeout()
    {
        var wrong = new UriBuilder(TestServers.PostgresUrl) { Password = "not-the-password" }.Uri.ToString();

        var wait = await Tend("wait", wrong, "--timeout", "2s");

        wait.ExitCode.ShouldBe(1, wait.ToString());
        wait.Stdout.ShouldContain("gave up after");
        wait.Stdout.ShouldContain("password authentication failed");
        wait.Stdout.ShouldContain("cause:");
        wait.Stdout.ShouldContain("Fix the password written in the check given on the command line");
        wait.Stdout.ShouldNotContain("stack file", Case.Sensitive, "a typed check has no stack file to fix");
        wait.Stdout.ShouldNotContain("not-the-password");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_port_that_opens_during_the_wait_ends_it_with_success()
    {
        var port = LocalServer.FreePort();
        using var process = TendBinary.Start(_directory.Path, null, "wait", $"tcp://127.0.0.1:{port}", "--interval", "100ms", "--timeout", "30s");
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);

        // Nothing listens yet: the first answer is a refusal; only then does the port open.
        var seen = new List<string>();
        while (await process.StandardOutput.ReadLineAsync(TestContext.Current.CancellationToken) is { } line)
        {
            seen.Add(line);
            if (line.Contains("connection refused", StringComparison.Ordinal))
            {
                break;
            }
        }

        seen.ShouldContain(l => l.Contains("connection refused", StringComparison.Ordinal), string.Join('\n', seen));
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var rest = await process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);

        process.ExitCode.ShouldBe(0, rest + await stderr);
        rest.ShouldContain($"✓ tcp 127.0.0.1:{port} passed after");
        rest.ShouldContain("✓ all 1 passed in");
    }

    [Fact(Timeout = 60_000)]
    public async Task At_the_timeout_it_exits_1_with_the_diagnosis_and_steps_that_work_when_typed()
    {
        var port = LocalServer.FreePort();

        var wait = await Tend("wait", $"tcp://127.0.0.1:{port}", "--timeout", "1s", "--interval", "200ms");

        wait.ExitCode.ShouldBe(1, wait.ToString());
        // It says the limit it was given, not a timer that fired a millisecond early or late.
        wait.Stdout.ShouldContain("gave up after 1s: 1 of 1 still fails");
        wait.Stdout.ShouldContain($"Nothing listens on 127.0.0.1:{port}");
        wait.Stdout.ShouldNotContain("stack file", Case.Sensitive, "a typed check has no stack file to fix");
        wait.Stdout.ShouldNotContain("tend preflight", Case.Sensitive, "nor a component to pre-flight");
        var step = wait.Stdout.Split('`')[1];
        step.ShouldBe($"ss -ltnp 'sport = :{port}'");
        using var typed = Process.Start(new ProcessStartInfo("sh", ["-c", step]) { RedirectStandardOutput = true, RedirectStandardError = true })!;
        await typed.WaitForExitAsync(TestContext.Current.CancellationToken);
        typed.ExitCode.ShouldBe(0, await typed.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken));
    }

    [Fact(Timeout = 60_000)]
    public async Task A_command_line_check_runs_through_sh()
    {
        var passes = await Tend("wait", "exec=test -d .", "--timeout", "10s");
        var fails = await Tend("wait", "exec=test -d no-such-dir", "--timeout", "1s");

        passes.ExitCode.ShouldBe(0, passes.ToString());
        fails.ExitCode.ShouldBe(1, fails.ToString());
        fails.Stdout.ShouldContain("exec sh -c");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_component_name_is_waited_for_by_its_health_check()
    {
        var port = LocalServer.FreePort();
        _directory.Write("tend.toml", $$"""
            [components.db]
            kind = "external"
            health = { tcp = "127.0.0.1:{{port}}" }

            [components.worker]
            command = ["sleep", "1"]
            """);

        var down = await Tend("wait", "db", "--timeout", "1s");
        using var listener = new TcpListener(IPAddress.Loopback, port);
        listener.Start();
        var up = await Tend("wait", "db");
        var noHealth = await Tend("wait", "worker");
        var unknown = await Tend("wait", "dbb");

        down.ExitCode.ShouldBe(1, down.ToString());
        down.Stdout.ShouldContain($"db (tcp 127.0.0.1:{port})");
        up.ExitCode.ShouldBe(0, up.ToString());
        up.Stdout.ShouldContain($"✓ db (tcp 127.0.0.1:{port}) passed after");
        noHealth.ExitCode.ShouldBe(2, noHealth.ToString());
        noHealth.Stderr.ShouldContain("worker has no health check to wait for");
        unknown.ExitCode.ShouldBe(2, unknown.ToString());
        unknown.Stderr.ShouldContain("did you mean db?");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_bare_address_is_not_mistaken_for_a_component_with_or_without_a_stack_file()
    {
        var noStack = await Tend("wait", "127.0.0.1");
        _directory.Write("tend.toml", "[components.web]\ncommand = [\"sleep\", \"1\"]\n");
        var withStack = await Tend("wait", "127.0.0.1");

        noStack.ExitCode.ShouldBe(2, noStack.ToString());
        noStack.Stderr.ShouldContain("'127.0.0.1' is not a check, and there is no tend.toml here or above");
        noStack.Stderr.ShouldContain("tcp://HOST:PORT");
        noStack.Stderr.ShouldNotContain("tend init", Case.Sensitive, "nothing asked for a stack file");
        withStack.ExitCode.ShouldBe(2, withStack.ToString());
        withStack.Stderr.ShouldContain("has no component '127.0.0.1'");
        withStack.Stderr.ShouldContain("tcp://HOST:PORT");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("postgress://app@127.0.0.1/shop", "did you mean postgres://app@127.0.0.1/shop?")]
    [InlineData("tpc=127.0.0.1:1", "did you mean 'tcp'?")]
    [InlineData("tcp://nohost", "tcp://nohost:")]
    public async Task A_word_that_is_no_check_is_refused_with_exit_2_and_what_to_write(string word, string expected)
    {
        var wait = await Tend("wait", word);

        wait.ExitCode.ShouldBe(2, wait.ToString());
        wait.Stderr.ShouldContain(expected);
        wait.Stderr.ShouldNotContain("   at ");
    }

    [Theory(Timeout = 30_000)]
    [InlineData("--timeout", "soon")]
    [InlineData("--interval", "0s")]
    public async Task A_bad_duration_is_refused_with_exit_2(string option, string value)
    {
        var wait = await Tend("wait", "tcp://127.0.0.1:1", option, value);

        wait.ExitCode.ShouldBe(2, wait.ToString());
        wait.Stderr.ShouldContain(option);
    }
}
