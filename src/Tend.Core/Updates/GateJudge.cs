using System.Globalization;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Updates;

/// <summary>What the gate says: still watching, kept, or failed, with the evidence either way.</summary>
public sealed record GateVerdict(bool? Passed, IReadOnlyList<string> Evidence)
{
    public static readonly GateVerdict Watching = new(null, []);

    public bool Decided => Passed is not null;
}

/// <summary>
/// The health gate of an update, as rules over what is seen, with no clock of its own: a new
/// version is kept when, within the window, its health check passed <see cref="UpdateSpec.Passes"/>
/// times in a row, and it neither crashed nor turned unhealthy at any time in the window (a crash
/// 20 s in fails the gate however well it began). Without a health check a service must become
/// ready (stay up its min_uptime) and stay up the whole window; a job must complete within it.
/// Failures before the first pass are the service starting up, not a verdict.
/// </summary>
public sealed class GateJudge(ComponentKind kind, bool hasHealth, int passes, TimeSpan window, DateTimeOffset startedAt)
{
    private int _inARow;
    private int _best;
    private int _checks;
    private DateTimeOffset? _reachedAt;
    private DateTimeOffset? _readyAt;
    private GateVerdict _verdict = GateVerdict.Watching;

    public GateVerdict Verdict => _verdict;

    public DateTimeOffset Deadline => startedAt + window;

    public void Probe(bool passed, string summary, DateTimeOffset at)
    {
        if (_verdict.Decided)
        {
            return;
        }

        if (passed)
        {
            // Counted from the first pass: before it the supervisor polls fast while the service starts.
            _checks++;
            _inARow++;
            _best = Math.Max(_best, _inARow);
            if (_inARow >= passes && _reachedAt is null)
            {
                _reachedAt = at;
            }

            return;
        }

        if (_best > 0)
        {
            _checks++;
            Fail($"its health check failed {Offset(at)} after the restart, after {_best} pass{(_best == 1 ? "" : "es")}: {summary}");
        }
    }

    /// <summary>Ready without a health check: it stayed up its min_uptime.</summary>
    public void Ready(DateTimeOffset at) => _readyAt ??= at;

    /// <summary>The supervisor gave up waiting for its first pass (start_period and retries spent).</summary>
    public void NeverHealthy(string reason, DateTimeOffset at) => Fail($"it did not become healthy ({Offset(at)} after the restart): {reason}");

    /// <summary>It was stopped: by a user, or by the supervisor for its health (readiness, liveness), which <paramref name="why"/> says.</summary>
    public void Stopped(string why, DateTimeOffset at) => Fail($"it was stopped {Offset(at)} after the restart: {why}");

    /// <summary>Its run ended: a crash for a service, the end for a job.</summary>
    public void Exited(bool ok, string how, DateTimeOffset at)
    {
        if (_verdict.Decided)
        {
            return;
        }

        if (kind == ComponentKind.Job)
        {
            if (ok)
            {
                Pass([$"it completed {Offset(at)} after the restart ({how})"]);
            }
            else
            {
                Fail($"it failed {Offset(at)} after the restart: {how}");
            }

            return;
        }

        Fail($"it crashed {Offset(at)} after the restart: {how}");
    }

    /// <summary>Time passed: at the end of the window the gate decides.</summary>
    public GateVerdict Tick(DateTimeOffset now)
    {
        if (_verdict.Decided || now < Deadline)
        {
            return _verdict;
        }

        var watched = Quantities.FormatDuration(window);
        if (kind == ComponentKind.Job)
        {
            Fail($"it did not complete within {watched}");
        }
        else if (hasHealth && _reachedAt is { } reached)
        {
            Pass([$"{passes} passing health checks in a row, the {Ordinal(passes)} {Offset(reached)} after the restart", $"no crash and no failed check in {watched} ({_checks} checks since the first pass)"]);
        }
        else if (hasHealth)
        {
            Fail(_best == 0 ? $"its health check never passed within {watched}" : $"only {_best} passing health check{(_best == 1 ? "" : "s")} in a row within {watched} (needs {passes})");
        }
        else if (_readyAt is { } ready)
        {
            Pass([$"up {Offset(ready)} after the restart (no health check: it must stay up)", $"no crash in {watched}"]);
        }
        else
        {
            Fail($"it did not stay up long enough to count as up within {watched}");
        }

        return _verdict;
    }

    private void Pass(IReadOnlyList<string> evidence) => _verdict = new GateVerdict(true, evidence);

    private void Fail(string why)
    {
        if (!_verdict.Decided)
        {
            _verdict = new GateVerdict(false, [why]);
        }
    }

    private string Offset(DateTimeOffset at) => Quantities.FormatDuration(at - startedAt < TimeSpan.Zero ? TimeSpan.Zero : at - startedAt);

    private static string Ordinal(int n) => n.ToString(CultureInfo.InvariantCulture) + (n % 100 is 11 or 12 or 13 ? "th" : (n % 10) switch { 1 => "st", 2 => "nd", 3 => "rd", _ => "th" });
}
