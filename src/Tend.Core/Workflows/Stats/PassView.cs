using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// One pass of a run with what happened in it: the attempts that started during it (an attempt
/// belongs to the last pass that had started by its start; one from before the first pass, as in
/// an older record, to the first), and which steps ended failed in it.
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
            // The last pass has the steps' states; an earlier one, each step's last attempt in it.
            IReadOnlyList<string> failed = i == passes.Count - 1
                ? [.. run.Steps.Where(s => s.State == StepState.Failed).Select(s => s.Id)]
                : [.. attempts[i].GroupBy(a => a.Item1, StringComparer.Ordinal).Where(g => g.Last().Item2.Reason is not null).Select(g => g.Key)];
            yield return new PassView(run, passes[i], i > 0, attempts[i], failed);
        }
    }
}
