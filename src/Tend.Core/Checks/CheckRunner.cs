using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Checks;

/// <summary>
/// Runs a plan: every check at once, each bounded by its own timeout, so a pre-flight takes as
/// long as its slowest check; a check whose dependency failed is skipped with the reason.
/// </summary>
public sealed class CheckRunner(CheckContext context, Diagnostician diagnostician)
{
    /// <summary>Past its timeout a check gets this long to notice before it is abandoned.</summary>
    private static readonly TimeSpan AbandonGrace = TimeSpan.FromMilliseconds(100);

    public async Task<IReadOnlyList<CheckResult>> RunAsync(IReadOnlyList<PlannedCheck> plan, CancellationToken cancellationToken = default)
    {
        var tasks = new Dictionary<string, Task<CheckResult>>(StringComparer.Ordinal);
        foreach (var check in plan)
        {
            // The plan lists dependencies before dependents, so their tasks already exist.
            var dependencies = check.After.Where(tasks.ContainsKey).Select(id => tasks[id]).ToList();
            tasks[check.Id] = RunOneAsync(check, dependencies, cancellationToken);
        }

        return await Task.WhenAll(plan.Select(c => tasks[c.Id]));
    }

    private async Task<CheckResult> RunOneAsync(PlannedCheck check, List<Task<CheckResult>> dependencies, CancellationToken cancellationToken)
    {
        await Task.Yield();
        foreach (var dependency in dependencies)
        {
            var result = await dependency;
            if (result.Status is CheckStatus.Fail or CheckStatus.Skip)
            {
                var skipped = CheckOutcome.Skip($"skipped: {result.Check.Spec.Title} did not pass ({result.Outcome.Summary})");
                return Finish(check, skipped, TimeSpan.Zero);
            }
        }

        var started = context.Time.GetTimestamp();
        var outcome = await RunBoundedAsync(check.Spec, cancellationToken);
        return Finish(check, outcome, context.Time.GetElapsedTime(started));
    }

    /// <summary>One check on its own, bounded by its timeout, without a diagnosis: for health probes that run every few seconds.</summary>
    public Task<CheckOutcome> RunSingleAsync(CheckSpec spec, CancellationToken cancellationToken = default) => RunBoundedAsync(spec, cancellationToken);

    private async Task<CheckOutcome> RunBoundedAsync(CheckSpec spec, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(spec.Timeout, context.Time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            // WaitAsync bounds even a library that ignores its token: the report never waits past the timeout.
            return await spec.RunAsync(context, linked.Token).WaitAsync(spec.Timeout + AbandonGrace, context.Time, cancellationToken);
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested && (deadline.IsCancellationRequested || e is TimeoutException))
        {
            // Whatever a library throws once the deadline has passed (Npgsql's own timeout races
            // ours), the observed fact is the same: no answer in time.
            var limit = Quantities.FormatDuration(spec.Timeout);
            return CheckOutcome.Fail("timeout", $"no answer from {spec.Target} within {limit}", $"{spec.Title} did not finish within {limit}")
                .WithData(("timeout", limit));
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            // A bug in one check must not hide the results of the others: report it as its own failure.
            return CheckOutcome.Fail("internal", $"tend failed to run this check ({e.GetType().Name}: {e.Message})", "this is a bug in tend; please report it with the stack file");
        }
    }

    private CheckResult Finish(PlannedCheck check, CheckOutcome outcome, TimeSpan duration)
    {
        if (outcome.Status == CheckStatus.Pass)
        {
            return new CheckResult(check, outcome, duration, null);
        }

        var data = new Dictionary<string, string>(outcome.Data, StringComparer.Ordinal)
        {
            ["target"] = check.Spec.Target,
            ["summary"] = outcome.Summary,
        };
        if (!data.ContainsKey("host") && HostOf(check.Spec.Target) is { } endpoint)
        {
            data["host"] = endpoint.Host;
            data["port"] = endpoint.Port.ToString(System.Globalization.CultureInfo.InvariantCulture);
        }

        var typed = check.Role == CheckRole.Typed;
        var subject = new DiagnosisSubject(
            check.Spec.Kind,
            outcome.ErrorClass,
            typed ? null : check.Component,
            string.Join('\n', [outcome.Summary, .. outcome.Facts]),
            outcome.ExitCode,
            data)
        {
            Typed = typed,
            Optional = check.Spec.Optional,
        };
        return new CheckResult(check, outcome, duration, diagnostician.Explain(subject));
    }

    /// <summary>Host and port from a target such as "127.0.0.1:8101/db" or a URL, for diagnoses of generic failures.</summary>
    private static Endpoint? HostOf(string target)
    {
        if (Uri.TryCreate(target, UriKind.Absolute, out var uri) && uri.Host.Length > 0)
        {
            return new Endpoint(uri.Host, uri.Port);
        }

        return Endpoint.TryParse(target.Split('/')[0], "127.0.0.1", out var endpoint) ? endpoint : null;
    }
}
