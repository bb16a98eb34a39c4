using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Tests.Workflows.Running;

/// <summary>
/// <c>policy.cache</c>: what changes a step's cache key and what does not, and a second run of an
/// unchanged workflow that runs nothing, for real, in a scratch directory.
/// </summary>
public sealed class StepCacheSpecs : IDisposable
{
    private static readonly Dictionary<string, string> NoInputs = [];
    private readonly TempDirectory _dir = new();

    public StepCacheSpecs()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "src"));
        File.WriteAllText(Path.Combine(_dir.Path, "src", "a.txt"), "a");
        File.WriteAllText(Path.Combine(_dir.Path, "src", "b.txt"), "b");
        File.WriteAllText(Path.Combine(_dir.Path, "notes.md"), "unrelated");
    }

    public void Dispose() => _dir.Dispose();

    private static WorkflowStep Lint => Flow.Sh("lint", "cat {files} > out/lint.txt") with
    {
        With = new ValueDictionary(new Dictionary<string, string> { ["files"] = "src/*.txt", ["level"] = "strict" }),
        Emits = [new ArtifactSpec("out/lint.txt", null)],
    };

    private Workflow Cached(params WorkflowStep[] steps) => Flow.Of(_dir, steps) with { Policy = WorkflowPolicy.Default with { Cache = true } };

    private string Key(WorkflowStep step, IReadOnlyDictionary<string, string>? variables = null, params (string, ArtifactRecord)[] upstream) =>
        StepCache.Key(Cached(step), step, null, NoInputs, variables ?? new Dictionary<string, string> { ["TEND_STEP"] = step.Id }, upstream)!;

    [Fact]
    public void The_key_changes_with_an_input_file_s_content_a_new_match_of_its_glob_its_inputs_and_its_command()
    {
        var before = Key(Lint);

        File.WriteAllText(Path.Combine(_dir.Path, "src", "a.txt"), "a changed");
        var edited = Key(Lint);
        File.WriteAllText(Path.Combine(_dir.Path, "src", "c.txt"), "c");
        var added = Key(Lint);
        var otherInput = Key(Lint with { With = new ValueDictionary(new Dictionary<string, string> { ["files"] = "src/*.txt", ["level"] = "lax" }) });
        var otherCommand = Key(Lint with { Run = new StepRun.Command(["sh", "-c", "cat {files} | sort > out/lint.txt"]) });

        new[] { before, edited, added, otherInput, otherCommand }.Distinct().Count().ShouldBe(5);
    }

    [Fact]
    public void The_key_changes_with_what_an_upstream_step_emitted_and_with_a_file_a_plain_input_names()
    {
        Directory.CreateDirectory(Path.Combine(_dir.Path, "out"));
        File.WriteAllText(Path.Combine(_dir.Path, "out", "lint.txt"), "findings 1");
        var triage = Flow.Sh("triage", "cat {report}", "lint") with { With = new ValueDictionary(new Dictionary<string, string> { ["report"] = "notes.md" }) };
        var upstream = ("lint", new ArtifactRecord("out/lint.txt", 10));
        var before = Key(triage, null, upstream);

        File.WriteAllText(Path.Combine(_dir.Path, "out", "lint.txt"), "findings 2");
        var upstreamChanged = Key(triage, null, upstream);
        File.WriteAllText(Path.Combine(_dir.Path, "notes.md"), "named by an input");
        var namedFileChanged = Key(triage, null, upstream);

        upstreamChanged.ShouldNotBe(before);
        namedFileChanged.ShouldNotBe(upstreamChanged);
    }

    [Fact]
    public void The_key_does_not_change_with_the_run_s_own_variables_an_unrelated_file_or_the_step_s_own_artifact()
    {
        var before = Key(Lint);

        var perRun = Key(Lint, new Dictionary<string, string> { ["TEND_STEP"] = "lint", ["TEND_RUN"] = "20261129-1", ["TEND_ATTEMPT"] = "2", ["TEND_RUN_DIR"] = "/x", ["TEND_STEP_REPORT"] = "/x/r" });
        File.WriteAllText(Path.Combine(_dir.Path, "notes.md"), "changed, but no input names it");
        var unrelated = Key(Lint);
        Directory.CreateDirectory(Path.Combine(_dir.Path, "out"));
        File.WriteAllText(Path.Combine(_dir.Path, "out", "lint.txt"), "its own output");
        var ownOutput = Key(Lint with { With = new ValueDictionary(new Dictionary<string, string> { ["files"] = "src/*.txt", ["level"] = "strict", ["output"] = "out/lint.txt" }) });
        var ownOutputBefore = Key(Lint with { With = new ValueDictionary(new Dictionary<string, string> { ["files"] = "src/*.txt", ["level"] = "strict", ["output"] = "out/lint.txt" }) });

        perRun.ShouldBe(before);
        unrelated.ShouldBe(before);
        ownOutput.ShouldBe(ownOutputBefore);
        File.Delete(Path.Combine(_dir.Path, "out", "lint.txt"));
        Key(Lint with { With = new ValueDictionary(new Dictionary<string, string> { ["files"] = "src/*.txt", ["level"] = "strict", ["output"] = "out/lint.txt" }) }).ShouldBe(ownOutput);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_second_run_runs_nothing_says_where_each_step_is_cached_from_and_an_edited_input_reruns_its_step_only()
    {
        var count = Path.Combine(_dir.Path, "runs.log");
        var lint = Lint with { Run = new StepRun.Command(["sh", "-c", $"echo lint >> {count}; mkdir -p out; cat {{files}} > out/lint.txt"]) };
        var other = Flow.Sh("other", $"echo other >> {count}");
        var workflow = Cached(lint, other);

        var (first, _, _) = await Flow.RunAsync(_dir, workflow);
        var (second, _, seen) = await Flow.RunAsync(_dir, workflow);
        File.WriteAllText(Path.Combine(_dir.Path, "src", "b.txt"), "b changed");
        var (third, _, _) = await Flow.RunAsync(_dir, workflow);

        first.Outcome.ShouldBe(RunOutcome.Succeeded);
        second.Outcome.ShouldBe(RunOutcome.Succeeded);
        second.Find("lint")!.CachedFrom.ShouldBe(first.Run);
        second.Find("lint")!.Attempts.ShouldBeEmpty();
        second.Find("lint")!.Artifacts.ShouldHaveSingleItem().Sha256.ShouldNotBeNull();
        seen.ShouldContain(t => t.StepId == "other" && t.State == StepState.Succeeded && t.Reason == $"cached from {first.Run}");
        third.Find("lint")!.CachedFrom.ShouldBeNull();
        third.Find("other")!.CachedFrom.ShouldBe(first.Run);
        File.ReadAllLines(count).ShouldBe(["lint", "other", "lint"], ignoreOrder: true);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_changed_artifact_a_step_that_opts_out_and_a_workflow_without_cache_run_again()
    {
        var count = Path.Combine(_dir.Path, "runs.log");
        var lint = Lint with { Run = new StepRun.Command(["sh", "-c", $"echo lint >> {count}; mkdir -p out; cat {{files}} > out/lint.txt"]) };
        var deploy = Flow.Sh("deploy", $"echo deploy >> {count}") with { Cache = false };
        var workflow = Cached(lint, deploy);

        await Flow.RunAsync(_dir, workflow);
        File.WriteAllText(Path.Combine(_dir.Path, "out", "lint.txt"), "tampered");
        var (second, _, _) = await Flow.RunAsync(_dir, workflow);
        await Flow.RunAsync(_dir, workflow with { Policy = WorkflowPolicy.Default });

        second.Find("lint")!.CachedFrom.ShouldBeNull("its artifact no longer has the content recorded");
        File.ReadAllLines(count).ShouldBe(["lint", "deploy", "lint", "deploy", "lint", "deploy"], ignoreOrder: true);
    }
}
