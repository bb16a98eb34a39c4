using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests.Workflows;

/// <summary>A run followed through the daemon narrates a cache hit as the foreground does: "cached from RUN".</summary>
public sealed class WorkflowCacheDaemonSpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public WorkflowCacheDaemonSpecs()
    {
        _daemon = new DaemonState(_directory.Path);
        _directory.Write("tend.toml", $$"""
            [components.keep]
            command = {{Dummy.TomlArgv("sleep", "600000")}}

            [workflows.build]
            policy = { cache = true }

            [[workflows.build.steps]]
            id = "compile"
            run = ["sh", "-c", "mkdir -p out; echo built > out/compiled.txt"]
            emits = ["out/compiled.txt"]
            """);
    }

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    [Fact(Timeout = 120_000)]
    public async Task A_cache_hit_followed_through_the_daemon_says_which_run_it_came_from()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        var first = await Tend("workflow", "run", "build");
        var firstRun = RunStore.Read(new RunStore(_daemon.Directory).List()[0])!.Run;

        var second = await Tend("workflow", "run", "build");

        first.ExitCode.ShouldBe(0, first.ToString());
        second.ExitCode.ShouldBe(0, second.ToString());
        second.Stdout.ShouldContain("in the daemon", Case.Sensitive, second.ToString());
        second.Stdout.ShouldContain($"compile succeeded: cached from {firstRun}", Case.Sensitive, second.ToString());
    }
}
