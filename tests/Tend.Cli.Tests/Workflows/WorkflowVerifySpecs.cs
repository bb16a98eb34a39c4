using System.Text.RegularExpressions;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Workflows;

/// <summary>`tend workflow verify FILE|NAME [--schema SCHEMA]` through the built binary: every broken workflow at its file:line:col, exit 2, never a stack trace.</summary>
public sealed class WorkflowVerifySpecs
{
    private static string Corpus => Path.Combine(RepoPaths.Root, "tests", "Tend.Cli.Tests", "Workflows", "Corpus");

    private static string ShippedSchema => Path.Combine(RepoPaths.Root, "docs", "workflow.schema.json");

    /// <summary>The runbook's example, as its users wrote it.</summary>
    private const string Triage = """
        name: "Optimized Python Triage"
        policy:
          max_tokens: 50000
          prefer_deterministic: true
          enable_caching: true
          parallel_execution: true
        steps:
          - id: "1.001"
            name: "Fast Linting"
            actor: "ruff_checker"  # Deterministic
            with:
              files: "**/*.py"
              parallel: true
          - id: "1.002"
            name: "Type Checking"
            actor: "mypy_checker"  # Deterministic
            depends_on: []  # Can run in parallel with linting
          - id: "2.001"
            name: "AI Analysis"
            actor: "ai_editor"  # Only for complex issues
            depends_on: ["1.001", "1.002"]
            when: "has_errors('artifacts/linting.json')"
        """;

    public static TheoryData<string> Cases() => [.. Directory.EnumerateFiles(Corpus).Select(f => Path.GetFileName(f)).Where(f => f != "actors.toml").Order(StringComparer.Ordinal)];

    [Theory(Timeout = 30_000)]
    [MemberData(nameof(Cases))]
    public async Task A_broken_workflow_is_reported_at_its_place_with_exit_code_2(string file)
    {
        using var directory = new TempDirectory();
        var (place, fragment) = Expectation(file);
        var yaml = file.EndsWith(".yaml", StringComparison.Ordinal);
        File.Copy(Path.Combine(Corpus, yaml ? "actors.toml" : file), Path.Combine(directory.Path, "tend.toml"));
        if (yaml)
        {
            File.Copy(Path.Combine(Corpus, file), Path.Combine(directory.Path, file));
        }

        var result = await TendBinary.RunAsync(directory.Path, "workflow", "verify", yaml ? file : "w");

        result.ExitCode.ShouldBe(2, result.ToString());
        var line = result.Stderr.Split('\n').FirstOrDefault(l => l.Contains(fragment, StringComparison.Ordinal));
        line.ShouldNotBeNull(result.ToString());
        line.ShouldMatch($"^{Regex.Escape(yaml ? file : "tend.toml")}:{place.Replace("*", "[0-9]+", StringComparison.Ordinal)}: error: ", result.ToString());
        result.Stderr.ShouldNotContain("   at ");
        result.Stderr.ShouldNotContain("Exception");
        result.Stdout.ShouldBeEmpty();
    }

    [Fact(Timeout = 30_000)]
    public void The_corpus_covers_both_formats_and_every_kind_of_mistake()
    {
        var cases = Cases().Select(c => (string)c.Data).ToList();

        cases.Count.ShouldBeGreaterThanOrEqualTo(12);
        cases.ShouldContain(c => c.EndsWith(".toml", StringComparison.Ordinal));
        cases.ShouldContain(c => c.EndsWith(".yaml", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_runbooks_example_verifies_with_its_levels()
    {
        using var directory = Beside(Triage);

        var result = await TendBinary.RunAsync(directory.Path, "workflow", "verify", "triage.yaml");

        result.ExitCode.ShouldBe(0, result.ToString());
        result.Stdout.ShouldContain("ok: Optimized Python Triage — 3 steps in 2 levels");
        result.Stdout.ShouldContain("1. 1.001 Fast Linting, 1.002 Type Checking");
        result.Stdout.ShouldContain("2. 2.001 AI Analysis");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_workflow_of_the_stack_file_verifies_by_its_name_and_a_wrong_name_lists_the_others()
    {
        using var directory = new TempDirectory();
        File.WriteAllText(Path.Combine(directory.Path, "tend.toml"), "[components.api]\ncommand = [\"true\"]\n[[workflows.triage.steps]]\nid = \"lint\"\nrun = [\"true\"]\n[[workflows.triage.steps]]\nid = \"look\"\nrun = [\"true\"]\ndepends_on = [\"lint\"]\n");

        var ok = await TendBinary.RunAsync(directory.Path, "workflow", "verify", "triage");
        var wrong = await TendBinary.RunAsync(directory.Path, "workflow", "verify", "traige");

        ok.ExitCode.ShouldBe(0, ok.ToString());
        ok.Stdout.ShouldContain("ok: triage — 2 steps in 2 levels");
        wrong.ExitCode.ShouldBe(2, wrong.ToString());
        wrong.Stderr.ShouldContain("the stack file has no workflow 'traige' (did you mean 'triage'?)");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_shipped_schema_accepts_the_example_and_rejects_a_broken_workflow_at_its_pointer()
    {
        using var directory = Beside(Triage);
        File.WriteAllText(Path.Combine(directory.Path, "bad.yaml"), "steps:\n  - id: \"1.001\"\n    actor: ruff_checker\n    on_fail: later\n  - id: \"2\"\n    actor: mypy_checker\n");

        var good = await TendBinary.RunAsync(directory.Path, "workflow", "verify", "triage.yaml", "--schema", ShippedSchema);
        var bad = await TendBinary.RunAsync(directory.Path, "workflow", "verify", "bad.yaml", "--schema", ShippedSchema);

        good.ExitCode.ShouldBe(0, good.ToString());
        bad.ExitCode.ShouldBe(2, bad.ToString());
        bad.Stderr.ShouldContain("bad.yaml:4:14: error: /steps/0/on_fail:");
        bad.Stderr.ShouldContain("bad.yaml:5:10: error: /steps/1/id:");
        bad.Stderr.ShouldNotContain("   at ");
    }

    [Theory(Timeout = 60_000)]
    [InlineData("unknown-key.yaml", "/steps/0")]
    [InlineData("bad-id.yaml", "/steps/0/id")]
    [InlineData("bad-retry.yaml", "/steps/0/retry/backoff")]
    [InlineData("wrong-type.yaml", "/steps/0/depends_on")]
    [InlineData("numeric-id.yaml", "/steps/0/id")]
    public async Task The_shipped_schema_rejects_the_broken_examples_it_can_see(string file, string pointer)
    {
        using var directory = new TempDirectory();
        File.Copy(Path.Combine(Corpus, file), Path.Combine(directory.Path, file));

        var result = await TendBinary.RunAsync(directory.Path, "workflow", "verify", file, "--schema", ShippedSchema);

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain($": error: {pointer}");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_schema_that_is_not_JSON_is_a_problem_not_a_crash()
    {
        using var directory = Beside(Triage);
        File.WriteAllText(Path.Combine(directory.Path, "broken.json"), "{ \"type\": ");

        var result = await TendBinary.RunAsync(directory.Path, "workflow", "verify", "triage.yaml", "--schema", "broken.json");

        result.ExitCode.ShouldBe(2, result.ToString());
        result.Stderr.ShouldContain("broken.json:1:");
        result.Stderr.ShouldContain("the schema is not valid JSON");
        result.Stderr.ShouldNotContain("   at ");
    }

    private static TempDirectory Beside(string yaml)
    {
        var directory = new TempDirectory();
        File.Copy(Path.Combine(Corpus, "actors.toml"), Path.Combine(directory.Path, "tend.toml"));
        File.WriteAllText(Path.Combine(directory.Path, "triage.yaml"), yaml);
        return directory;
    }

    /// <summary>The first line of a corpus file: <c># expect: LINE:COL: what the message says</c> (COL * where another engineer's parser decides it).</summary>
    private static (string Place, string Fragment) Expectation(string file)
    {
        var first = File.ReadLines(Path.Combine(Corpus, file)).First();
        var match = Regex.Match(first, @"^# expect: (?<place>\d+:(\d+|\*)): (?<fragment>.+)$");
        match.Success.ShouldBeTrue($"{file} starts with # expect: LINE:COL: message");
        return (match.Groups["place"].Value, match.Groups["fragment"].Value);
    }
}
