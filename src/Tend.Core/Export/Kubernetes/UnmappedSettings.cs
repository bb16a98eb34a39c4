using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// The settings of a component that Kubernetes has no place for, said in the report rather than
/// dropped. <see cref="Handled"/> names every property of <see cref="Component"/> with where it
/// goes, so that a new setting of the model fails a test until the export says what it does with it.
/// </summary>
public static class UnmappedSettings
{
    /// <summary>
    /// Each property of <see cref="Component"/>, and what the export makes of it: where it goes, and
    /// the setting under which export-report.md lists it when it is reported.
    /// </summary>
    public static readonly IReadOnlyDictionary<string, SettingExport> Handled = new Dictionary<string, SettingExport>(StringComparer.Ordinal)
    {
        ["Name"] = new("object names and labels"),
        ["Kind"] = new("Deployment, Job, ExternalName Service"),
        ["KindName"] = new("same as Kind"),
        ["Description"] = new("the tend/description annotation"),
        ["Command"] = new("the container's command"),
        ["WorkingDirectory"] = new("reported: a path on this host", "cwd"),
        ["Environment"] = new("a ConfigMap and secretKeyRefs"),
        ["EnvFiles"] = new("a ConfigMap and secretKeyRefs"),
        ["EnvInherit"] = new("reported", "env_inherit"),
        ["Secrets"] = new("secretKeyRefs"),
        ["Requires"] = new("init containers"),
        ["Config"] = new("a ConfigMap mounted at its path"),
        ["Preflight"] = new("port-free gives the ports; the rest reported", "preflight"),
        ["Health"] = new("readiness, liveness and startup probes"),
        ["Commands"] = new("reported, with kubectl exec", "commands."),
        ["Restart"] = new("liveness probe, backoffLimit; back-off and budget reported", "restart.backoff"),
        ["Stop"] = new("terminationGracePeriodSeconds; a signal other than TERM reported", "stop.signal"),
        ["Logs"] = new("reported", "logs"),
        ["Rounds"] = new("run by tend in the container"),
        ["MinUptime"] = new("minReadySeconds"),
        ["Once"] = new("reported", "once"),
        ["MaxMemory"] = new("resources.limits.memory"),
        ["Update"] = new("reported", "update"),
        ["Backup"] = new("reported", "backup"),
        ["Image"] = new("the container's image"),
        ["Location"] = new("where it is written in the stack file: nothing to export"),
    };

    internal static void Note(Component component, ExportContext context)
    {
        if (component.Kind == ComponentKind.External)
        {
            return;
        }

        var restart = component.Restart;
        if (component.Kind == ComponentKind.Service)
        {
            var restartNote = restart.Mode switch
            {
                RestartMode.No => "restart = \"no\": a Deployment's container is always restarted when it exits",
                RestartMode.OnFailure => "restart = \"on-failure\": a Deployment's container is restarted when it exits, even with 0",
                _ => null,
            };
            if (restartNote is not null)
            {
                context.Unmapped(component, "restart.mode", restartNote);
            }
        }

        if (restart.Mode != RestartMode.No && component.Kind != ComponentKind.Rounds)
        {
            context.Unmapped(component, "restart.backoff", $"back-off {Quantities.FormatDuration(restart.BackoffMin)} to {Quantities.FormatDuration(restart.BackoffMax)}, reset after {Quantities.FormatDuration(restart.ResetAfter)}: the kubelet's own back-off (10s doubling to 5m) applies");
            if (component.Kind == ComponentKind.Service)
            {
                context.Unmapped(component, "restart.budget", $"at most {restart.Budget} restarts in {Quantities.FormatDuration(restart.BudgetWindow)}, then crash_loop: Kubernetes never gives up on a Deployment's pod (CrashLoopBackOff goes on)");
            }
        }

        if (component.Stop.Signal != "TERM")
        {
            context.Unmapped(component, "stop.signal", $"stop signal {component.Stop.Signal}: the kubelet sends the image's STOPSIGNAL (TERM unless the image says otherwise); set STOPSIGNAL SIG{component.Stop.Signal} in the image (the pod field lifecycle.stopSignal is alpha in Kubernetes 1.33 and not written)");
        }

        if (component.MaxMemory is not null)
        {
            context.Approximated(component, "max_memory", "the memory limit is enforced by the kernel: over it, the container is OOM-killed and restarted, not stopped in order");
        }

        if (Path.GetFullPath(component.WorkingDirectory) != Path.GetFullPath(context.Stack.Directory))
        {
            context.Unmapped(component, "cwd", $"{Path.GetRelativePath(context.Stack.Directory, component.WorkingDirectory)} (from the stack's directory) is a directory of this host: the container runs in its image's working directory");
        }

        foreach (var check in component.Preflight.Where(c => c is not Checks.Kinds.PortFreeCheck))
        {
            context.Unmapped(component, "preflight", $"{check.Title}: pre-flight checks run on this host before a start; in Kubernetes they are the image's and the node's business");
        }

        foreach (var command in component.Commands)
        {
            var argv = string.Join(' ', command.Argv.Select(ShellWords.Quote));
            context.Unmapped(component, $"commands.{command.Name}", $"run it in the pod: kubectl exec -n {context.Options.Namespace} {(component.Kind == ComponentKind.Job ? "job" : "deploy")}/{KubeName.Of(component.Name)} -- {argv}");
        }

        if (component.Logs != LogPolicy.Default && component.Logs != LogPolicy.DefaultForRounds)
        {
            context.Unmapped(component, "logs", "log files and their retention: Kubernetes keeps container logs by the kubelet's settings (containerLogMaxSize)");
        }

        if (component.Once)
        {
            context.Unmapped(component, "once", "a Job runs once per object: it runs again only when deleted and applied again");
        }

        if (component.Update is not null)
        {
            context.Unmapped(component, "update", "tend update changes versions on this host; in Kubernetes change the image and apply (a Deployment rolls out, gated by its readinessProbe)");
        }

        if (component.Backup.Sources.Count > 0)
        {
            context.Unmapped(component, "backup", "tend backup copies files and databases on this host; back up the cluster's volumes with the cluster's tools");
        }

        if (component.Rounds is { } rounds)
        {
            context.Approximated(component, "rounds", rounds.MaxRounds is { } max
                ? $"a Job runs `tend up {component.Name} --max-rounds {max}`: its image must hold tend and a stack file with {component.Name} alone (what it requires runs in its own pods)"
                : $"a Deployment runs `tend daemon run --up`: its image must hold tend and a stack file with {component.Name} alone (what it requires runs in its own pods)");
        }
    }
}

/// <summary>Where a setting goes in the export; <paramref name="ReportedAs"/> is how export-report.md names it when it cannot go anywhere.</summary>
public sealed record SettingExport(string How, string? ReportedAs = null);
