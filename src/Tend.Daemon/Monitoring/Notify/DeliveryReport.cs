using Tend.Core.Model;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// What became of one attempt to send one message through one notifier, for events and for
/// <c>tend alerts test</c>.
/// </summary>
/// <param name="Notifier">The notifier's name (<see cref="NotifierSpec.Name"/>).</param>
/// <param name="MessageId">The <see cref="AlertMessage.Id"/> sent.</param>
/// <param name="Attempt">1 for the first try; 0 when the message was never tried (dropped from a full queue).</param>
/// <param name="Succeeded">The destination took it.</param>
/// <param name="Final">No further attempt follows: it succeeded, failed for good, ran out of attempts, or was dropped.</param>
/// <param name="Reason">Short: "HTTP 500", "connection refused", "exit 3: &lt;last stderr line&gt;", "timed out after 10s".</param>
/// <param name="NextDelay">The wait before the next attempt, when one is scheduled.</param>
public sealed record DeliveryReport(
    string Notifier,
    NotifierKind Kind,
    string MessageId,
    int Attempt,
    bool Succeeded,
    bool Final,
    string Reason,
    TimeSpan? NextDelay)
{
    /// <summary>An exec's output (stderr, then stdout, the last 4 KB of each), redacted; null for a webhook.</summary>
    public string? Output { get; init; }

    /// <summary>Never attempted: pushed out of a full queue by newer messages.</summary>
    public bool Dropped => Attempt == 0;

    /// <summary>The message will not reach this notifier.</summary>
    public bool GaveUp => Final && !Succeeded;
}
