using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Workflows;

/// <summary>
/// <c>policy.cache</c> through the built binary: a second run of an unchanged workflow runs no step
/// (a marker file counts the executions), and an edited input file reruns the step that reads it
/// and the step that reads what that one emitted, not the others.
/// </summary>
public sealed class WorkflowCacheSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private string[] Executions() => File.Exists(Path.Combine(_directory.Path, "executions.log")) ? File.ReadAllLines(Path.Combine(_directory.Path, "executions.log")) : [];

    private void Stack() => _directory.Write("tend.toml", """
        [workflows.build]
        policy = { cache = true }

        [[workflows.build.steps]]
        id = "compile"
        run = ["sh", "-c", "echo compile >> executions.log; mkdir -p out; cat {files} > out/compiled.txt"]
        with = { files = "src/*.c" }
        emits = ["out/compiled.txt"]

        [[workflows.build.steps]]
        id = "docs"
        run = ["sh", "-c", "echo docs >> executions.log; mkdir -p out; cat {pages} > out/docs.txt"]
        with = { pages = "pages/*.md" }
        emits = ["out/docs.txt"]

        [[workflows.build.steps]]
        id = "package"
        run = ["sh", "-c", "echo package >> executions.log; cat out/compiled.txt out/docs.txt > out/package.txt"]
        depends_on = ["compile", "docs"]
        emits = ["out/package.txt"]

        [[workflows.build.steps]]
        id = "publish"
        run = ["sh", "-c", "echo publish >> executions.log"]
        depends_on = ["package"]
        cache = false
        """);

    [Fact(Timeout = 120_000)]
    public async Task A_second_run_runs_nothing_cached_and_an_edited_input_reruns_its_step_and_what_depends_on_it()
    {
        Stack();
        _directory.Write("src/main.c", "int main() { return 0; }\n");
        _directory.Write("pages/index.md", "# Build\n");

        var first = await Tend("workflow", "run", "build");
        var second = await Tend("workflow", "run", "build");
        var afterSecond = Executions();
        _directory.Write("src/main.c", "int main() { return 1; }\n");
        var third = await Tend("workflow", "run", "build");

        first.ExitCode.ShouldBe(0, first.ToString());
        second.ExitCode.ShouldBe(0, second.ToString());
        third.ExitCode.ShouldBe(0, third.ToString());
        afterSecond.ShouldBe(["compile", "docs", "package", "publish", "publish"], ignoreOrder: true, "the second run ran only the step that opts out");
        Executions().Skip(afterSecond.Length).ShouldBe(["compile", "package", "publish"], ignoreOrder: true, "docs reads no file that changed");
        var firstRun = Runs().First();
        second.Stdout.ShouldContain($"compile succeeded: cached from {firstRun}");
        third.Stdout.ShouldContain($"docs succeeded: cached from {firstRun}");
        var show = await Tend("workflow", "show", Runs().Last());
        show.ExitCode.ShouldBe(0, show.ToString());
        show.Stdout.ShouldContain($"cached from {firstRun}");
        File.ReadAllText(Path.Combine(_directory.Path, "out", "package.txt")).ShouldContain("return 1");
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_policy_cache_every_run_runs_every_step()
    {
        Stack();
        _directory.Write("tend.toml", File.ReadAllText(Path.Combine(_directory.Path, "tend.toml")).Replace("policy = { cache = true }", "", StringComparison.Ordinal));
        _directory.Write("src/main.c", "int main() { return 0; }\n");
        _directory.Write("pages/index.md", "# Build\n");

        (await Tend("workflow", "run", "build")).ExitCode.ShouldBe(0);
        (await Tend("workflow", "run", "build")).ExitCode.ShouldBe(0);

        Executions().Length.ShouldBe(8);
    }

    /// <summary>The runs' ids, oldest first.</summary>
    private List<string> Runs() =>
        [.. Directory.GetDirectories(Path.Combine(_directory.Path, ".tend", "workflows", "build")).Select(Path.GetFileName).OfType<string>().Order(StringComparer.Ordinal)];
}
