using System.Globalization;
using System.Text.RegularExpressions;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Remote;

/// <summary>
/// `tend logs COMP -f --host`: a follow that outlives a dropped link as `events -f` does. The link
/// drop is told (remote_blip), the follow goes on when sshd is back, and the lines the component
/// wrote meanwhile are shown once each, in order. And a start over ssh that fails says its next
/// steps as typed from here.
/// </summary>
public sealed partial class RemoteLogFollowSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private SshServer _ssh = null!;

    public RemoteLogFollowSpecs() => _daemon = new DaemonState(_directory.Path);

    public async ValueTask InitializeAsync()
    {
        var stack = _directory.Write("tend.toml", """
            [components.ticker]
            command = ["sh", "-c", "i=0; while :; do i=$((i+1)); echo tick $i; sleep 0.2; done"]

            [components.broken]
            command = ["sh", "-c", "echo no config here >&2; exit 3"]
            restart = "no"
            """);
        _ssh = await SshServer.StartAsync(stack);
    }

    public async ValueTask DisposeAsync()
    {
        await _ssh.DisposeAsync();
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    [Fact(Timeout = 120_000)]
    public async Task A_follow_of_a_components_log_goes_on_across_a_dropped_link_without_losing_or_repeating_a_line()
    {
        var token = TestContext.Current.CancellationToken;
        var up = await TendBinary.RunAsync(_directory.Path, _ssh.Environment, "up", "ticker");
        up.ExitCode.ShouldBe(0, up.ToString());
        using var follow = TendBinary.Start(Path.GetTempPath(), _ssh.Environment, "logs", "ticker", "-f", "-n", "1", "--no-color", "--host", "ro", "--remote-failure-tolerance", "60s");
        var lines = new List<string>();
        try
        {
            async Task<string> ReadUntilAsync(Func<string, bool> wanted)
            {
                while (await follow.StandardOutput.ReadLineAsync(token) is { } line)
                {
                    lines.Add(line);
                    if (wanted(line))
                    {
                        return line;
                    }
                }

                Assert.Fail($"the follow ended: {string.Join('\n', lines)}\n{await follow.StandardError.ReadToEndAsync(token)}");
                return "";
            }

            await ReadUntilAsync(l => Tick(l) is not null);
            await ReadUntilAsync(l => Tick(l) is not null);
            _ssh.Kill();
            await ReadUntilAsync(l => l.Contains("remote_blip", StringComparison.Ordinal) || l.Contains("link to ro", StringComparison.Ordinal));
            await _ssh.RestartAsync(token);
            var last = Tick(lines.Last(l => Tick(l) is not null))!.Value;

            // Back: the ticks of the outage come first (about five a second), then new ones.
            await ReadUntilAsync(l => Tick(l) > last + 15);
        }
        finally
        {
            follow.Kill();
            await follow.WaitForExitAsync(token);
        }

        var ticks = lines.Select(Tick).OfType<int>().ToList();
        ticks.Count.ShouldBeGreaterThan(15);
        for (var i = 1; i < ticks.Count; i++)
        {
            ticks[i].ShouldBe(ticks[i - 1] + 1, $"no line lost or repeated across the drop:\n{string.Join('\n', lines)}");
        }
    }

    [Fact(Timeout = 120_000)]
    public async Task A_start_over_ssh_that_fails_says_its_next_steps_as_typed_from_here()
    {
        var up = await TendBinary.RunAsync(_directory.Path, _ssh.Environment, "up", "ticker");
        up.ExitCode.ShouldBe(0, up.ToString());

        var start = await TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, "start", "broken", "--host", "rw", "--no-color");

        start.ExitCode.ShouldBe(1, start.ToString());
        start.Stdout.ShouldContain("broken");
        start.Stdout.ShouldContain("tend why --host rw broken", Case.Sensitive, start.ToString());
        start.Stdout.ShouldNotContain(" tend why broken", Case.Sensitive, "a step without --host would ask this host, which has no such stack");
        var why = await TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, "why", "--host", "rw", "broken", "--no-color");
        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain("exit");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_logs_of_a_host_whose_stack_file_is_broken_say_so_not_that_nothing_ran()
    {
        File.AppendAllText(Path.Combine(_directory.Path, "tend.toml"), "\n[broken\n");

        var logs = await TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, "logs", "--host", "ro", "--no-color");

        logs.ExitCode.ShouldBe(2, "the host's stack file is bad input, as it would be there");
        logs.Stderr.ShouldContain("tend.toml has 1 error");
        logs.Stdout.ShouldNotContain("has run yet");
    }

    [Fact(Timeout = 60_000)]
    public async Task An_older_tend_on_the_host_still_streams_a_log_and_what_it_cannot_answer_says_so()
    {
        var logs = await TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, "logs", "web", "--host", "old", "--no-color");
        logs.ExitCode.ShouldBe(0, logs.ToString());
        logs.Stdout.ShouldContain("old line 1");
        logs.Stdout.ShouldContain("old line 2");

        var all = await TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, "logs", "--host", "old", "--no-color");
        all.ExitCode.ShouldBe(1, all.ToString());
        all.Stderr.ShouldContain("tend 0.9.0 on old does not answer 'log_files': it is older than this tend");
        all.Stderr.ShouldContain("update tend on old");
        var why = await TendBinary.RunAsync(Path.GetTempPath(), _ssh.Environment, "why", "--host", "old", "--no-color");
        why.Stderr.ShouldContain("does not answer 'doctor'");
    }

    private static int? Tick(string line) => TickLine().Match(line) is { Success: true } m ? int.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture) : null;

    [GeneratedRegex(@"tick (\d+)$")]
    private static partial Regex TickLine();
}
