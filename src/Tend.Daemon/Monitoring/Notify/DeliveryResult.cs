namespace Tend.Daemon.Monitoring.Notify;

/// <summary>How one attempt of one notifier went, as a value: delivered, worth another try, or not.</summary>
/// <param name="Reason">Short, for people: "HTTP 500", "connection refused", "exit 3: no route". Never a secret.</param>
/// <param name="Output">What an exec printed (its last few KB), redacted; null for a webhook.</param>
internal sealed record DeliveryResult(bool Succeeded, bool Retryable, string Reason, string? Output = null)
{
    public static DeliveryResult Delivered(string reason, string? output = null) => new(true, false, reason, output);

    public static DeliveryResult Retry(string reason, string? output = null) => new(false, true, reason, output);

    public static DeliveryResult GiveUp(string reason, string? output = null) => new(false, false, reason, output);
}
