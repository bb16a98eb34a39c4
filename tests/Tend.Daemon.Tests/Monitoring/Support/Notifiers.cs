using System.Text;
using Tend.Core.Model;
using Tend.Daemon.Monitoring.Notify;

namespace Tend.Daemon.Tests.Monitoring.Support;

/// <summary>Notifier specs and messages as a stack file and the monitor would give them.</summary>
public static class Notifiers
{
    public static NotifierSpec Webhook(string url, string name = "hook", string? secretEnv = null, AlertSeverity minSeverity = AlertSeverity.Info, TimeSpan? timeout = null, int attempts = NotifierSpec.DefaultAttempts) =>
        new(name, NotifierKind.Webhook, url, secretEnv, null, minSeverity, timeout ?? NotifierSpec.DefaultTimeout, attempts);

    public static NotifierSpec Exec(string[] argv, string name = "exec", AlertSeverity minSeverity = AlertSeverity.Info, TimeSpan? timeout = null, int attempts = NotifierSpec.DefaultAttempts) =>
        new(name, NotifierKind.Exec, null, null, [.. argv], minSeverity, timeout ?? NotifierSpec.DefaultTimeout, attempts);

    /// <summary>An alert with a body that is not plain ASCII and has a line break, so that any re-encoding shows.</summary>
    public static AlertMessage Alert(string id = "a-1", AlertSeverity severity = AlertSeverity.Critical) =>
        new(id, severity, Encoding.UTF8.GetBytes($"{{\"id\":\"{id}\",\"rule\":\"memory\",\"summary\":\"mémoire > 2 GB ✓\",\n\"severity\":\"{severity.ToString().ToLowerInvariant()}\"}}"));

    /// <summary>No variables at all: what a lookup of an unset variable gives.</summary>
    public static string? NoEnvironment(string name) => null;
}
