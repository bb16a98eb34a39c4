using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// One pass of a run with what happened in it: the attempts that started during it (an attempt
/// belongs to the last pass that had started by its start; one from before the first pass, as in
/// an older record, to the first), and which steps ended failed in it (as the pass recorded them).
/// </summary>
internal sealed record PassView(RunRecord Run, RunPass Pass, bool Resumption, IReadOnlyList<(string Step, AttemptRecord Attempt)> Attempts, IReadOnlyList<string> FailedSteps)
{
    /// <summary>The passes of <paramref name="run"/>, oldest first.</summary>
    public static IEnumerable<PassView> Of(RunRecord run)
    {
        var passes = run.AllPasses();
        var attempts = new List<(string, AttemptRecord)>[passes.Count];
        for (var i = 0; i < passes.Count; i++)
        {
            attempts[i] = [];
        }

        foreach (var step in run.Steps)
        {
            foreach (var attempt in step.Attempts)
            {
                var index = passes.Count - 1;
                while (index > 0 && passes[index].Started > attempt.Started)
                {
                    index--;
                }

                attempts[index].Add((step.Id, attempt));
            }
        }

        for (var i = 0; i < passes.Count; i++)
        {
            // As each pass recorded them at its end; an older record's one pass, as its steps stand.
            var failed = passes[i].FailedSteps ?? (passes.Count == 1 ? run.FailedSteps() : []);
            yield return new PassView(run, passes[i], i > 0, attempts[i], failed);
        }
    }
}
