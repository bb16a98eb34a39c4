using System.Globalization;
using Tend.Core.Model;
using YamlDotNet.RepresentationModel;
using static Tend.Core.Export.Kubernetes.YamlNodes;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// One component's objects: a service is a Deployment plus a Service for its ports, a job a Job,
/// rounds a Deployment (or, bounded by max_rounds, a Job) running tend itself, with the
/// ConfigMaps of its environment and config file beside them.
/// </summary>
internal static class WorkloadMapper
{
    public sealed record Workload(IReadOnlyList<YamlNode> Documents, IReadOnlyList<string> SecretValues, SkippedComponent? Skipped);

    public static Workload For(Component component, ExportContext context)
    {
        if (component.Kind == ComponentKind.External)
        {
            return new(External(component, context), [], null);
        }

        if (ImageOf(component, context) is not { } image)
        {
            return new([], [], new(component.Name, "it has no image", $"add image = \"IMAGE\" to [components.{component.Name}], or {component.Name} = \"IMAGE\" to the image map"));
        }

        var waits = WaitContainers.For(component, context);
        if (waits.Missing is { } missing)
        {
            return new([], [], missing);
        }

        context.NeedsJobWaiter |= waits.WaitsOnJobs;
        var environment = EnvMapper.For(component, context);
        var config = ConfigFileMapper.For(component, context);
        var probes = ProbeMapper.For(component, context);
        var container = Map(
            ("name", Str(KubeName.Of(component.Name))),
            ("image", Str(image)),
            ("command", Command(component, context) is { } argv ? Strs(argv) : null),
            ("workingDir", config?.WorkingDirectory is { } dir ? Str(dir) : null),
            ("ports", SeqOrNull([.. ComponentPorts.Of(component).Select(p => (YamlNode)Map(("name", Str(KubeName.Port(p))), ("containerPort", Int(p))))])),
            ("envFrom", SeqOrNull([.. environment.EnvFrom])),
            ("env", SeqOrNull([.. environment.Env])),
            ("resources", component.MaxMemory is { } memory ? Map(("limits", Map(("memory", Str(memory.ToString(CultureInfo.InvariantCulture)))))) : null),
            ("readinessProbe", probes.Readiness),
            ("livenessProbe", probes.Liveness),
            ("startupProbe", probes.Startup),
            ("volumeMounts", config is null ? null : Seq([config.VolumeMount])));

        var isJob = component.Kind == ComponentKind.Job || component.Rounds?.MaxRounds is not null;
        var pod = Map(
            ("serviceAccountName", waits.WaitsOnJobs ? Str(ExportContext.JobWaiter) : null),
            ("restartPolicy", Str(isJob ? "Never" : "Always")),
            ("terminationGracePeriodSeconds", Int((long)Math.Ceiling(component.Stop.Grace.TotalSeconds))),
            ("initContainers", SeqOrNull([.. waits.Containers])),
            ("containers", Seq([container])),
            ("volumes", config is null ? null : Seq([config.Volume])));
        var template = Map(("metadata", Map(("labels", context.Selector(component)))), ("spec", pod));
        var annotations = component.Description is { } description ? Map(("tend/description", Str(description))) : null;
        var name = KubeName.Of(component.Name);

        var documents = new List<YamlNode>();
        if (environment.ConfigMap is { } envMap)
        {
            documents.Add(envMap);
        }

        if (config is not null)
        {
            documents.Add(config.ConfigMap);
        }

        if (isJob)
        {
            documents.Add(Map(
                ("apiVersion", Str("batch/v1")),
                ("kind", Str("Job")),
                ("metadata", context.Metadata(component, name, ("annotations", annotations))),
                ("spec", Map(("backoffLimit", Int(BackoffLimit(component, context))), ("template", template)))));
        }
        else
        {
            documents.Add(Map(
                ("apiVersion", Str("apps/v1")),
                ("kind", Str("Deployment")),
                ("metadata", context.Metadata(component, name, ("annotations", annotations))),
                ("spec", Map(
                    ("replicas", Int(1)),
                    ("minReadySeconds", component.Kind == ComponentKind.Service ? Int((long)Math.Ceiling(component.MinUptime.TotalSeconds)) : null),
                    ("selector", Map(("matchLabels", context.Selector(component)))),
                    ("template", template)))));
        }

        if (component.Kind == ComponentKind.Service && ComponentPorts.Of(component) is { Count: > 0 } ports)
        {
            documents.Add(Map(
                ("apiVersion", Str("v1")),
                ("kind", Str("Service")),
                ("metadata", context.Metadata(component, name)),
                ("spec", Map(
                    ("selector", context.Selector(component)),
                    ("ports", Seq([.. ports.Select(p => (YamlNode)Map(("name", Str(KubeName.Port(p))), ("port", Int(p)), ("targetPort", Int(p))))]))))));
        }
        else if (component.Kind == ComponentKind.Service)
        {
            context.Unmapped(component, "ports", "no port is known (no local health check, no port-free pre-flight check): no Service is written, so other pods cannot reach it by name");
        }

        return new(documents, environment.SecretValues, null);
    }

    private static string? ImageOf(Component component, ExportContext context) =>
        context.Options.Images.GetValueOrDefault(component.Name) ?? component.Image;

    /// <summary>The argv the container runs; null leaves the image's own entrypoint.</summary>
    private static ValueList<string>? Command(Component component, ExportContext context)
    {
        if (component.Kind == ComponentKind.Rounds)
        {
            // Rounds are tend's own loop: the image runs tend, on a stack file of its own that holds this component.
            return component.Rounds!.MaxRounds is { } rounds
                ? ["tend", "up", component.Name, "--max-rounds", rounds.ToString(CultureInfo.InvariantCulture)]
                : ["tend", "daemon", "run", "--up"];
        }

        var argv = component.Command!;
        if (argv.Count > 1 && Path.GetFileName(argv[0]) is "docker" or "podman" && argv.Contains("run"))
        {
            context.Approximated(component, "command", $"it runs a container with {Path.GetFileName(argv[0])} run: in Kubernetes the image is the container, so the image's own entrypoint runs, and the {Path.GetFileName(argv[0])} options (ports, volumes, GPUs) are not carried over");
            return null;
        }

        return argv;
    }

    /// <summary>How often Kubernetes starts a failed Job's pod again: never for restart = "no", else tend's restart budget.</summary>
    private static int BackoffLimit(Component component, ExportContext context)
    {
        if (component.Kind == ComponentKind.Rounds || component.Restart.Mode == RestartMode.No)
        {
            return 0;
        }

        context.Approximated(component, "restart.budget", $"backoffLimit is the restart budget ({component.Restart.Budget}), counted over the Job's life rather than within {Text.Quantities.FormatDuration(component.Restart.BudgetWindow)}");
        return component.Restart.Budget;
    }

    /// <summary>An external component is referenced, not run: an ExternalName Service when its check names a host the cluster can resolve.</summary>
    private static List<YamlNode> External(Component component, ExportContext context)
    {
        if (component.Health?.Check is { } check && ComponentPorts.Host(check) is { } host && ComponentPorts.IsDnsName(host))
        {
            return [Map(
                ("apiVersion", Str("v1")),
                ("kind", Str("Service")),
                ("metadata", context.Metadata(component, KubeName.Of(component.Name))),
                ("spec", Map(("type", Str("ExternalName")), ("externalName", Str(host)))))];
        }

        var where = component.Health?.Check is { } local ? $"its check looks at {local.Target}, which no pod can reach" : "it has no check naming its host";
        context.Unmapped(component, "kind = \"external\"", $"not run by tend, and {where}: no ExternalName Service is written");
        return [];
    }
}
