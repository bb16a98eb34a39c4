using Tend.Core.Model;

namespace Tend.Core.Checks.Waiting;

/// <summary>A check to wait for, with the runner that knows where its paths are relative to (the stack's directory for a component's health, the caller's for a typed check).</summary>
public sealed record WaitedCheck(PlannedCheck Check, CheckRunner Runner);

/// <summary>A check's answer during a wait; <paramref name="Changed"/> when it differs from the check's previous one (so a face prints news, not every retry).</summary>
public sealed record WaitProgress(CheckResult Result, TimeSpan Elapsed, bool Changed);

/// <summary>How a wait ended: every check's last answer, and when each that passed first did.</summary>
public sealed record WaitOutcome(bool Passed, bool TimedOut, TimeSpan Elapsed, IReadOnlyList<CheckResult> Last, IReadOnlyDictionary<string, TimeSpan> PassedAfter)
{
    public IEnumerable<CheckResult> Failing => Last.Where(r => !PassedAfter.ContainsKey(r.Check.Id));
}

/// <summary>
/// Runs checks again and again until each has passed once, or the time is up: what an init
/// container, a CI job or a script needs before it starts what depends on a server. A check
/// that passed is not asked again (a database that answered once is up; flapping is the
/// supervisor's business). A warning counts as a pass: the thing is there.
/// </summary>
public sealed class CheckWaiter(TimeProvider time)
{
    public async Task<WaitOutcome> WaitAsync(IReadOnlyList<WaitedCheck> checks, TimeSpan interval, TimeSpan? timeout, Action<WaitProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(checks);
        var started = time.GetTimestamp();
        var last = new Dictionary<string, CheckResult>(StringComparer.Ordinal);
        var passedAfter = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        var pending = checks.ToList();
        using var deadline = timeout is { } limit ? new CancellationTokenSource(limit, time) : new CancellationTokenSource();
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        while (true)
        {
            try
            {
                var rounds = pending.GroupBy(c => c.Runner).Select(g => g.Key.RunAsync([.. g.Select(c => c.Check)], linked.Token));
                foreach (var result in (await Task.WhenAll(rounds)).SelectMany(r => r))
                {
                    var id = result.Check.Id;
                    var changed = !last.TryGetValue(id, out var previous) || previous.Status != result.Status || previous.Outcome.Summary != result.Outcome.Summary;
                    last[id] = result;
                    if (result.Status is CheckStatus.Pass or CheckStatus.Warn)
                    {
                        passedAfter[id] = time.GetElapsedTime(started);
                    }

                    progress?.Invoke(new WaitProgress(result, time.GetElapsedTime(started), changed));
                }

                pending.RemoveAll(c => passedAfter.ContainsKey(c.Check.Id));
                if (pending.Count == 0)
                {
                    return Outcome(checks, last, passedAfter, started, timedOut: false);
                }

                await Task.Delay(interval, time, linked.Token);
            }
            catch (OperationCanceledException) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
            {
                return Outcome(checks, last, passedAfter, started, timedOut: true);
            }
        }
    }

    private WaitOutcome Outcome(IReadOnlyList<WaitedCheck> checks, Dictionary<string, CheckResult> last, Dictionary<string, TimeSpan> passedAfter, long started, bool timedOut)
    {
        var elapsed = time.GetElapsedTime(started);

        // A check still on its first try when the time ran out has no answer of its own: say so rather than leave it out.
        var unanswered = CheckOutcome.Fail("timeout", "no answer before the wait ran out of time", $"the wait ended {Text.Quantities.FormatDuration(elapsed)} in, during this check's first try");
        var results = checks.Select(c => last.TryGetValue(c.Check.Id, out var r) ? r : new CheckResult(c.Check, unanswered, elapsed, null)).ToList();
        return new WaitOutcome(passedAfter.Count == checks.Count, timedOut, elapsed, results, passedAfter);
    }
}
