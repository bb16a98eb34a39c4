using Tend.Core.Model;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// The checks of rules that have one (<c>check = { http = "..." }</c>): each run in the background,
/// one at a time a rule, started again at every sample once the last one ended, so a slow check
/// (up to its timeout) never holds the sample up. A rule reads how long its check has been failing.
/// </summary>
internal sealed class RuleChecks(Func<CheckContext> context, TimeProvider time)
{
    private readonly Dictionary<string, State> _states = new(StringComparer.Ordinal);

    /// <summary>Takes the results of the checks that ended and starts them again; forgets rules gone or changed.</summary>
    public void Step(IEnumerable<MonitorRule> rules, CancellationToken stopping)
    {
        var wanted = rules.Where(r => r.Check is not null).ToDictionary(r => r.Name, r => r.Check!, StringComparer.Ordinal);
        foreach (var name in _states.Keys.Where(n => !wanted.TryGetValue(n, out var spec) || spec != _states[n].Spec).ToList())
        {
            _states.Remove(name);
        }

        foreach (var (name, spec) in wanted)
        {
            if (!_states.TryGetValue(name, out var state))
            {
                _states[name] = state = new State(spec);
            }

            if (state.Running is { IsCompleted: false })
            {
                continue;
            }

            if (state.Running is { } ended)
            {
                var outcome = ended.IsCompletedSuccessfully ? ended.Result : new CheckOutcome(CheckStatus.Fail, ended.Exception?.GetBaseException().Message ?? "the check did not end");
                state.Seen = true;
                state.FailingSince = outcome.Status == CheckStatus.Fail ? state.FailingSince ?? time.GetUtcNow() : null;
            }

            state.Running = RunAsync(spec, stopping);
        }
    }

    /// <summary>Seconds the rule's check has been failing (0 while it passes); null before its first result.</summary>
    public double? FailingFor(string rule, DateTimeOffset now) =>
        _states.TryGetValue(rule, out var state) && state.Seen ? state.FailingSince is { } since ? Math.Max(0, (now - since).TotalSeconds) : 0 : null;

    private async Task<CheckOutcome> RunAsync(CheckSpec spec, CancellationToken stopping)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(stopping);
        deadline.CancelAfter(spec.Timeout);
        try
        {
            return await Task.Run(() => spec.RunAsync(context(), deadline.Token), CancellationToken.None);
        }
        catch (OperationCanceledException)
        {
            return new CheckOutcome(CheckStatus.Fail, $"no answer within {Core.Text.Quantities.FormatDuration(spec.Timeout)}");
        }
    }

    private sealed class State(CheckSpec spec)
    {
        public CheckSpec Spec { get; } = spec;

        public Task<CheckOutcome>? Running { get; set; }

        public bool Seen { get; set; }

        public DateTimeOffset? FailingSince { get; set; }
    }
}
