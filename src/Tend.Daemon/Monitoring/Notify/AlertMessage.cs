using Tend.Core.Model;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// One notification as every notifier sends it: the body is the alert already serialized by the
/// caller (a UTF-8 JSON object), posted as is by a webhook and written as is to an exec's stdin.
/// </summary>
/// <param name="Id">Unique per notification: the webhook's <c>X-Tend-Delivery</c>, the same on every retry.</param>
/// <param name="Severity">Compared with each notifier's <c>min_severity</c>.</param>
/// <param name="Json">The body, byte for byte: the webhook signature is over exactly these bytes.</param>
public sealed record AlertMessage(string Id, AlertSeverity Severity, byte[] Json);
