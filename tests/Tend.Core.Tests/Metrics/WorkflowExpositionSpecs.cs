using System.Diagnostics;
using Tend.Core.Metrics;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Tend.Core.Workflows.Stats;
using static Tend.Core.Tests.Workflows.Stats.RunRecords;

namespace Tend.Core.Tests.Metrics;

/// <summary>
/// The workflow families a scrape shows, read from the run directories under STATE/workflows as
/// the engine wrote them; a run.json rewritten is read again, one left alone is not parsed again.
/// </summary>
public sealed class WorkflowExpositionSpecs : IDisposable
{
    private readonly TempDirectory _state = new();

    public void Dispose() => _state.Dispose();

    private RunDirectory Keep(RunRecord record)
    {
        var directory = new RunDirectory(Path.Combine(_state.Path, "workflows", record.Workflow, record.Run));
        Directory.CreateDirectory(directory.StepsDirectory);
        RunStore.Write(directory, record);
        return directory;
    }

    private static List<ExposedSample> Scrape(RunRecordCache cache, string state)
    {
        var writer = new ExpositionWriter();
        StackExposition.WriteWorkflows(writer, WorkflowTotals.Of(cache.Read(state)));
        return ExpositionText.Samples(writer.ToString());
    }

    private static string Value(List<ExposedSample> samples, string name, params (string Label, string Value)[] labels) =>
        samples.Single(s => s.Name == name && labels.All(l => s[l.Label] == l.Value)).Value;

    [Fact]
    public void Runs_by_outcome_last_run_tokens_and_artifact_checks_are_exposed_per_workflow()
    {
        Keep(Run("triage", RunOutcome.Succeeded, TimeSpan.FromHours(3), TimeSpan.FromSeconds(40), Step("review", StepState.Succeeded, tokens: 1500, emits: 2, ("artifacts/review.json: /0: expected object", 1), (null, 0))));
        Keep(Run("triage", RunOutcome.Failed, TimeSpan.FromHours(2), TimeSpan.FromSeconds(90), Step("review", StepState.Failed, tokens: 500)));
        Keep(Run("triage", RunOutcome.Running, TimeSpan.FromMinutes(1), null));
        Keep(Run("nightly", RunOutcome.Stopped, TimeSpan.FromHours(5), TimeSpan.FromSeconds(12)));

        var samples = Scrape(new RunRecordCache(), _state.Path);

        Value(samples, "tend_workflow_runs_total", ("workflow", "triage"), ("outcome", "succeeded")).ShouldBe("1");
        Value(samples, "tend_workflow_runs_total", ("workflow", "triage"), ("outcome", "failed")).ShouldBe("1");
        Value(samples, "tend_workflow_runs_running", ("workflow", "triage")).ShouldBe("1");
        Value(samples, "tend_workflow_runs_running", ("workflow", "nightly")).ShouldBe("0");
        Value(samples, "tend_workflow_runs_total", ("workflow", "nightly"), ("outcome", "stopped")).ShouldBe("1");
        samples.ShouldNotContain(s => s.Name == "tend_workflow_runs_total" && s["outcome"] == "running", "a counter of runs running would go down when they end");
        samples.Count(s => s.Name == "tend_workflow_runs_total").ShouldBe(2 * (StepStates.OutcomeNames.Count - 1));
        Value(samples, "tend_workflow_last_run_duration_seconds", ("workflow", "triage")).ShouldBe("90");
        Value(samples, "tend_workflow_last_run_timestamp_seconds", ("workflow", "triage")).ShouldBe(((Noon - TimeSpan.FromHours(2) + TimeSpan.FromSeconds(90)).ToUnixTimeSeconds()).ToString(System.Globalization.CultureInfo.InvariantCulture));
        Value(samples, "tend_workflow_tokens_total", ("workflow", "triage")).ShouldBe("2000");
        Value(samples, "tend_workflow_artifacts_total", ("workflow", "triage"), ("result", "ok")).ShouldBe("3");
        Value(samples, "tend_workflow_artifacts_total", ("workflow", "triage"), ("result", "failed")).ShouldBe("1");
        Value(samples, "tend_workflow_run_duration_seconds_bucket", ("workflow", "triage"), ("le", "30")).ShouldBe("0");
        Value(samples, "tend_workflow_run_duration_seconds_bucket", ("workflow", "triage"), ("le", "60")).ShouldBe("1");
        Value(samples, "tend_workflow_run_duration_seconds_bucket", ("workflow", "triage"), ("le", "120")).ShouldBe("2");
        Value(samples, "tend_workflow_run_duration_seconds_count", ("workflow", "triage")).ShouldBe("2", "the running run has no duration yet");
        Value(samples, "tend_workflow_run_duration_seconds_sum", ("workflow", "triage")).ShouldBe("130");
        Value(samples, "tend_workflow_run_duration_seconds_bucket", ("workflow", "nightly"), ("le", "15")).ShouldBe("1");
        samples.Select(s => Family(s.Name)).Distinct().ShouldBeSubsetOf(ExposedMetrics.All.Select(m => m.Name));
    }

    /// <summary>A histogram's series named by their family.</summary>
    private static string Family(string sample) =>
        ExposedMetrics.All.Any(m => m.Name == sample) ? sample : System.Text.RegularExpressions.Regex.Replace(sample, "_(bucket|sum|count)$", "");

    [Fact]
    public void No_workflow_run_means_no_workflow_family()
    {
        Scrape(new RunRecordCache(), _state.Path).ShouldBeEmpty();
    }

    [Fact]
    public void A_rewritten_run_json_is_read_again_and_a_resumed_run_adds_its_pass_without_taking_back_the_interruption()
    {
        var cache = new RunRecordCache();
        var running = Run("triage", RunOutcome.Running, TimeSpan.FromMinutes(10), null) with { RunnerPid = int.MaxValue - 1 };
        var directory = Keep(running);
        Value(Scrape(cache, _state.Path), "tend_workflow_runs_total", ("workflow", "triage"), ("outcome", "interrupted")).ShouldBe("1");

        // What `tend workflow resume` writes: the interrupted pass kept, its own pass added.
        var interrupted = RunStore.Read(directory)!;
        var resumedAt = running.Started + TimeSpan.FromMinutes(5);
        RunStore.Write(directory, running with
        {
            Outcome = RunOutcome.Succeeded,
            Ended = resumedAt + TimeSpan.FromSeconds(20),
            Passes = [.. interrupted.AllPasses(), new RunPass(resumedAt, resumedAt + TimeSpan.FromSeconds(20), RunOutcome.Succeeded, null, Environment.ProcessId, 0, 0)],
        });
        File.SetLastWriteTimeUtc(directory.RunFile, File.GetLastWriteTimeUtc(directory.RunFile).AddSeconds(1));
        var samples = Scrape(cache, _state.Path);

        Value(samples, "tend_workflow_runs_total", ("workflow", "triage"), ("outcome", "succeeded")).ShouldBe("1");
        Value(samples, "tend_workflow_runs_total", ("workflow", "triage"), ("outcome", "interrupted")).ShouldBe("1", "a counter never goes down: the interruption stays counted");
        Value(samples, "tend_workflow_run_duration_seconds_sum", ("workflow", "triage")).ShouldBe("20", "the resumption's duration is its own, not since the run's first start");
        Value(samples, "tend_workflow_last_run_duration_seconds", ("workflow", "triage")).ShouldBe("20");
    }

    [Fact]
    public void A_scrape_of_200_kept_runs_reads_them_from_the_cache_in_a_few_milliseconds()
    {
        for (var i = 0; i < 200; i++)
        {
            Keep(Run($"flow{i % 4}", RunOutcome.Succeeded, TimeSpan.FromMinutes(i + 1), TimeSpan.FromSeconds(30), Step("a", StepState.Succeeded, tokens: 10, emits: 1)));
        }

        var cache = new RunRecordCache();
        Scrape(cache, _state.Path);
        var watch = Stopwatch.StartNew();
        var samples = Scrape(cache, _state.Path);
        watch.Stop();

        samples.Where(s => s.Name == "tend_workflow_runs_total" && s["outcome"] == "succeeded").Sum(s => long.Parse(s.Value, System.Globalization.CultureInfo.InvariantCulture)).ShouldBe(200);
        TestContext.Current.TestOutputHelper?.WriteLine($"cached scrape of 200 runs: {watch.Elapsed.TotalMilliseconds:0.00} ms");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromMilliseconds(50), "a cached read is one stat per run, not a parse");
    }
}
