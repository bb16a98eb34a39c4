using System.Globalization;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;

namespace Tend.Cli.Tests.Updates;

/// <summary>When the way back fails too, when updates are pinned, and when the daemon dies in the middle.</summary>
public sealed class RollbackSpecs
{
    [Fact(Timeout = 120_000)]
    public async Task A_rollback_that_fails_leaves_the_component_stopped_and_tend_why_says_what_to_do()
    {
        // The set command refuses to go back to 1.0: the rollback cannot be done.
        await using var stack = new UpdateStack(set: "test {version} != 1.0 || exit 7; echo {version} > version");
        (await stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await stack.Tend("update", "web", "--to", "bad-2.0");

        update.ExitCode.ShouldBe(1, update.ToString());
        update.Stdout.ShouldContain("the rollback to 1.0 failed too");
        update.Stdout.ShouldContain("exit code 7");
        update.Stdout.ShouldContain("tend why web");
        stack.EventKinds().ShouldBe(["update_started", "update_rollback_failed"]);
        var status = await stack.Tend("--json", "status");
        var web = status.Json.GetProperty("components")[0];
        web.GetProperty("state").GetString().ShouldBe("failed");
        web.TryGetProperty("pid", out var pid).ShouldBeFalse(pid.ToString());

        var why = await stack.Tend("why", "web");
        why.Stdout.ShouldContain("rollback to 1.0 failed");
        why.Stdout.ShouldContain("tend start web");
    }

    [Fact(Timeout = 60_000)]
    public async Task Pinned_updates_are_refused_with_the_reason_and_nothing_runs()
    {
        await using var stack = new UpdateStack(stackExtra: "[stack]\nupdates = \"pinned\"\n");
        (await stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await stack.Tend("update", "web", "--to", "1.1");

        update.ExitCode.ShouldBe(1, update.ToString());
        update.Stderr.ShouldContain("updates are pinned");
        update.Stderr.ShouldContain("remove updates = \"pinned\"");
        stack.Version.ShouldBe("1.0");
        stack.EventKinds().ShouldBeEmpty();
        (await stack.Tend("versions")).Stdout.ShouldContain("Updates are pinned");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_daemon_killed_during_an_update_is_followed_by_one_that_sets_the_old_version_back()
    {
        await using var stack = new UpdateStack(window: "60s");
        (await stack.Tend("up")).ExitCode.ShouldBe(0);
        var daemonPid = stack.Daemon.ReadDaemonPid()!.Value;

        using var update = TendBinary.Start(stack.Directory.Path, null, "update", "web", "--to", "dead-2.0");
        var output = update.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var errors = update.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await DaemonState.WaitUntilAsync(() => stack.Daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "component_started" && e.GetProperty("run").GetInt32() == 2));
        stack.Version.ShouldBe("dead-2.0");
        Signals.Send(daemonPid, Signals.SIGKILL);
        await update.WaitForExitAsync(TestContext.Current.CancellationToken);
        update.ExitCode.ShouldBe(1, await output);
        (await errors).ShouldContain("went away during the update");

        var up = await stack.Tend("up");

        up.ExitCode.ShouldBe(0, up.ToString());
        stack.Version.ShouldBe("1.0");
        (await stack.ServedAsync()).ShouldBe("1.0");
        var rolledBack = stack.Daemon.ReadEvents().Single(e => e.GetProperty("event").GetString() == "update_rolled_back");
        rolledBack.GetProperty("source").GetString().ShouldBe("recovery");
        rolledBack.GetProperty("reason").GetString()!.ShouldContain($"the daemon (pid {daemonPid.ToString(CultureInfo.InvariantCulture)}) ended during the update");
        File.Exists(Path.Combine(stack.Directory.Path, ".tend", "updates", "web.json")).ShouldBeFalse();
    }

    [Fact(Timeout = 120_000)]
    public async Task Update_all_goes_in_dependency_order_and_stops_at_the_first_rollback()
    {
        await using var stack = new UpdateStack(versions: "1.0\\nbad-1.1\\n");
        File.AppendAllText(Path.Combine(stack.Directory.Path, "tend.toml"), """

            [components.after]
            command = ["sleep", "600"]
            requires = { web = "healthy" }
            update = { set = ["sh", "-c", "echo {version} > after-version"], current = ["sh", "-c", "cat after-version 2>/dev/null || echo 1.0"], versions = ["printf", "1.0\n2.0\n"], window = "2s" }
            """);
        (await stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await stack.Tend("update", "--all");

        update.ExitCode.ShouldBe(1, update.ToString());
        update.Stdout.ShouldContain("bad-1.1 was not kept");
        update.Stdout.ShouldContain("Stopped at web");
        File.Exists(Path.Combine(stack.Directory.Path, "after-version")).ShouldBeFalse();
    }
}
