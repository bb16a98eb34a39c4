using Tend.Cli.Tests.Support;

namespace Tend.Cli.Tests.Updates;

/// <summary>`tend update` keeps a version only when it passes the health gate; tend.lock and `tend versions` say what runs.</summary>
public sealed class UpdateSpecs : IAsyncLifetime
{
    private readonly UpdateStack _stack = new(stackExtra: "");

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public ValueTask DisposeAsync() => _stack.DisposeAsync();

    [Fact(Timeout = 120_000)]
    public async Task A_healthy_new_version_is_kept_and_written_to_the_lock_file()
    {
        (await _stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await _stack.Tend("update", "web");

        update.ExitCode.ShouldBe(0, update.ToString());
        update.Stdout.ShouldContain("web updated 1.0 → 1.1");
        update.Stdout.ShouldContain("3 passing health checks in a row");
        _stack.Version.ShouldBe("1.1");
        (await _stack.ServedAsync()).ShouldBe("1.1");
        _stack.Lock!.ShouldContain("[components.web]\nversion = \"1.1\"");
        _stack.EventKinds().ShouldBe(["update_started", "update_committed"]);

        var versions = await _stack.Tend("--json", "versions");
        versions.ExitCode.ShouldBe(0, versions.ToString());
        var web = versions.Json.GetProperty("components")[0];
        web.GetProperty("current").GetString().ShouldBe("1.1");
        web.GetProperty("locked").GetString().ShouldBe("1.1");
        web.GetProperty("drift").GetBoolean().ShouldBeFalse();

        var again = await _stack.Tend("update", "web", "--to", "1.1");
        again.ExitCode.ShouldBe(0);
        again.Stdout.ShouldContain("runs 1.1 already");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_version_that_never_answers_200_is_rolled_back_and_the_old_one_verified()
    {
        (await _stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await _stack.Tend("update", "web", "--to", "bad-2.0");

        update.ExitCode.ShouldBe(1, update.ToString());
        update.Stdout.ShouldContain("bad-2.0 was not kept");
        update.Stdout.ShouldContain("HTTP 500");
        update.Stdout.ShouldContain("rolled back to 1.0, which passed the gate");
        _stack.Version.ShouldBe("1.0");
        (await _stack.ServedAsync()).ShouldBe("1.0");
        _stack.Lock.ShouldBeNull();
        _stack.EventKinds().ShouldBe(["update_started", "update_rolled_back"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_version_that_crashes_inside_the_window_after_passing_is_rolled_back()
    {
        (await _stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await _stack.Tend("update", "web", "--to", "crash-2.0");

        update.ExitCode.ShouldBe(1, update.ToString());
        // It passed its three checks first: the crash 2.5 s in, inside the 8 s window, is what fails it.
        update.Stdout.ShouldContain("it crashed");
        update.Stdout.ShouldContain("exit code 3");
        _stack.Version.ShouldBe("1.0");
        (await _stack.ServedAsync()).ShouldBe("1.0");
        _stack.EventKinds().ShouldBe(["update_started", "update_rolled_back"]);
    }

    [Fact(Timeout = 120_000)]
    public async Task A_version_that_never_listens_is_rolled_back()
    {
        (await _stack.Tend("up")).ExitCode.ShouldBe(0);

        var update = await _stack.Tend("update", "web", "--to", "dead-2.0");

        update.ExitCode.ShouldBe(1, update.ToString());
        // The supervisor gives up on its readiness (start_period + retries) or the window ends first: either way it is not kept.
        update.Stdout.ShouldContain("dead-2.0 was not kept");
        update.Stdout.ShouldMatch("did not become healthy|never passed");
        _stack.Version.ShouldBe("1.0");
        (await _stack.ServedAsync()).ShouldBe("1.0");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_dry_run_prints_the_plan_and_changes_nothing()
    {
        var plan = await _stack.Tend("update", "web", "--to", "2.0", "--dry-run");

        plan.ExitCode.ShouldBe(0, plan.ToString());
        plan.Stdout.ShouldContain("web: 1.0 → 2.0");
        plan.Stdout.ShouldContain("set 2.0: sh -c 'echo 2.0 > version'");
        plan.Stdout.ShouldContain("3 passing health checks in a row");
        plan.Stdout.ShouldContain("set 1.0 back");
        plan.Stdout.ShouldContain("Nothing was changed");
        _stack.Version.ShouldBe("1.0");
        _stack.Daemon.ReadDaemonPid().ShouldBeNull();
    }

    [Theory(Timeout = 60_000)]
    [InlineData("--to", "-rf")]
    [InlineData("--to", "1.0 && rm -rf x")]
    [InlineData("--to", "../../etc")]
    public async Task A_version_that_could_be_read_as_an_option_or_a_path_is_refused(string option, string version)
    {
        var update = await _stack.Tend("update", "web", option, version);

        update.ExitCode.ShouldBe(2, update.ToString());
        update.Stderr.ShouldContain("--to:");
        _stack.Version.ShouldBe("1.0");
    }
}

/// <summary>A version the stack file takes from an env file (an image tag: <c>image:${TAG}</c>): the restart runs the command as the file now reads.</summary>
public sealed class InterpolatedVersionSpecs
{
    [Fact(Timeout = 120_000)]
    public async Task A_set_command_that_rewrites_an_env_file_is_followed_by_a_reload_before_the_restart()
    {
        await using var stack = new UpdateStack(
            stackExtra: "[stack]\nenv_file = \"versions.env\"\n",
            command: "[\"python3\", \"app.py\", \"${APP_VERSION}\"]",
            set: "printf 'APP_VERSION=%s\\\\n' {version} > versions.env",
            current: "[\"sed\", \"-n\", \"s/^APP_VERSION=//p\", \"versions.env\"]");
        stack.Directory.Write("versions.env", "APP_VERSION=1.0\n");
        (await stack.Tend("up")).ExitCode.ShouldBe(0);
        (await stack.ServedAsync()).ShouldBe("1.0");

        var update = await stack.Tend("update", "web", "--to", "1.1");

        update.ExitCode.ShouldBe(0, update.ToString());
        (await stack.ServedAsync()).ShouldBe("1.1");
        stack.Daemon.ReadEvents().Count(e => e.GetProperty("event").GetString() == "component_started").ShouldBe(2, "one restart, not a reload's and the update's");

        var rolledBack = await stack.Tend("update", "web", "--to", "bad-1.2");

        rolledBack.ExitCode.ShouldBe(1, rolledBack.ToString());
        (await stack.ServedAsync()).ShouldBe("1.1");
        File.ReadAllText(Path.Combine(stack.Directory.Path, "versions.env")).ShouldBe("APP_VERSION=1.1\n");
    }
}
