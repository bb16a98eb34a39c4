using System.Text;
using System.Text.RegularExpressions;
using Tend.Core.Rounds;
using Tend.Core.Text;
using Tend.Daemon.Logs;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>
/// Watches one round's output as it is captured: notes when the round's result line appears
/// (which starts the grace period) and feeds every line to the classifier, which decides, if
/// the round fails, what kind of failure it was.
/// </summary>
public sealed class RoundWatcher(Regex? resultPattern, RoundClassifier classifier, TimeProvider time) : IOutputObserver
{
    private readonly TaskCompletionSource<DateTimeOffset> _result = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Completes, with the time, at the first line that matches the result pattern; never without one.</summary>
    public Task<DateTimeOffset> ResultSeen => _result.Task;

    public RoundClassification? Classification => classifier.Result;

    public void OnLine(ReadOnlySpan<byte> line)
    {
        if (resultPattern is not null && !_result.Task.IsCompleted && resultPattern.IsMatchInTime(Encoding.UTF8.GetString(line)))
        {
            _result.TrySetResult(time.GetUtcNow());
        }

        classifier.Observe(line);
    }
}
