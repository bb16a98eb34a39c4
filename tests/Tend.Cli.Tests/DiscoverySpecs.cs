using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>A new user finds out what a stack holds: init, validate, ls, graph.</summary>
public sealed class DiscoverySpecs
{
    [Fact(Timeout = 30_000)]
    public async Task I_can_scaffold_a_preset_and_it_never_overwrites_without_force()
    {
        using var directory = new TempDirectory();

        var first = await TendBinary.RunAsync(directory.Path, "init", "--preset", "quickstart");
        var stackFile = Path.Combine(directory.Path, "tend.toml");
        File.WriteAllText(stackFile, File.ReadAllText(stackFile) + "\n# my edit\n");
        var second = await TendBinary.RunAsync(directory.Path, "init", "--preset", "quickstart");
        var kept = File.ReadAllText(stackFile);
        var forced = await TendBinary.RunAsync(directory.Path, "init", "--preset", "quickstart", "--force");
        var validate = await TendBinary.RunAsync(directory.Path, "validate");

        first.ExitCode.ShouldBe(0, first.ToString());
        first.Stdout.ShouldContain("app/store.py");
        (File.GetUnixFileMode(Path.Combine(directory.Path, "app", "store.py")) & UnixFileMode.UserExecute).ShouldNotBe(UnixFileMode.None);
        File.Exists(Path.Combine(directory.Path, "config", "web.sample.toml")).ShouldBeTrue();
        File.Exists(Path.Combine(directory.Path, "config", "web.toml")).ShouldBeFalse();
        second.ExitCode.ShouldBe(2);
        second.Stderr.ShouldContain("nothing was written");
        kept.ShouldContain("# my edit");
        forced.ExitCode.ShouldBe(0);
        File.ReadAllText(stackFile).ShouldNotContain("# my edit");
        validate.ExitCode.ShouldBe(0, validate.ToString());
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_preset_lists_the_real_ones()
    {
        using var directory = new TempDirectory();

        var result = await TendBinary.RunAsync(directory.Path, "init", "--preset", "backendai");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("did you mean 'backend.ai'?");
        Directory.GetFileSystemEntries(directory.Path).ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public async Task Ls_lists_the_components_and_their_commands_like_the_executor_does()
    {
        var result = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "backend.ai"), "ls");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("mgr");
        result.Stdout.ShouldContain("Manager: core orchestration and API server");
        result.Stdout.ShouldContain("• schema show - Show the current database schema version");
        result.Stdout.ShouldContain("• start-server (blocking)");
        result.Stdout.ShouldContain("Run a command: tend run mgr health   Check first: tend preflight mgr", Case.Sensitive, "the example names a real command, and one that ends on its own");
        var commands = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "backend.ai"), "run", "mgr");
        commands.Stdout.ShouldContain("Use: tend run mgr health (or another command of the list)");
        commands.Stdout.ShouldContain("  health ");
    }

    [Fact(Timeout = 30_000)]
    public async Task Ls_as_json_has_every_component_with_its_commands()
    {
        var result = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "backend.ai"), "ls", "--json");

        result.ExitCode.ShouldBe(0);
        var components = result.Json.GetProperty("components");
        components.GetArrayLength().ShouldBe(10);
        var names = components.EnumerateArray().Select(c => c.GetProperty("name").GetString()).ToList();
        names.ShouldBe(["postgres", "redis", "etcd", "migrate", "mgr", "ag", "storage", "web", "app-proxy-coordinator", "app-proxy-worker"]);
        var mgr = components.EnumerateArray().Single(c => c.GetProperty("name").GetString() == "mgr");
        mgr.GetProperty("commands").EnumerateArray().Select(c => c.GetProperty("name").GetString()).ShouldContain("schema show");
        mgr.GetProperty("requires").GetArrayLength().ShouldBe(4);
    }

    [Fact(Timeout = 30_000)]
    public async Task Graph_gives_the_start_order_by_levels()
    {
        var result = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "backend.ai"), "graph", "--json");

        result.ExitCode.ShouldBe(0);
        var levels = result.Json.GetProperty("levels").EnumerateArray().Select(l => l.EnumerateArray().Select(n => n.GetString()).ToArray()).ToArray();
        levels[0].ShouldBe(["postgres", "redis", "etcd"]);
        levels[^1].ShouldBe(["ag", "storage", "web"]);
    }

    [Fact(Timeout = 30_000)]
    public async Task Graph_draws_a_tree_in_text()
    {
        var result = await TendBinary.RunAsync(Path.Combine(RepoPaths.Examples, "quickstart"), "graph", "web");

        result.ExitCode.ShouldBe(0);
        result.Stdout.ShouldContain("└── seed job (completed)");
        result.Stdout.ShouldContain("1. store");
    }
}
