using Tend.Core.Model;

namespace Tend.Daemon.Monitoring;

/// <summary>Hands an alert to the notifiers; returns at once, whatever they do with it.</summary>
internal interface IAlertDelivery
{
    void Post(string id, AlertSeverity severity, byte[] json);
}
