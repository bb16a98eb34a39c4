using Tend.Core.Config;
using YamlDotNet.RepresentationModel;
using static Tend.Core.Export.Kubernetes.YamlNodes;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// <c>tend export kubernetes</c>'s mapping of a loaded stack to manifests, one file per component
/// plus the RBAC of the Job waits and export-report.md (docs/kubernetes.md). It reads the stack's
/// env and config files and writes nothing: the CLI writes the files it returns.
/// </summary>
public static class KubernetesExporter
{
    /// <param name="environment">Tend's own environment, where the checks' password_env are read, to know the secrets to keep out.</param>
    public static KubernetesExport Export(Model.StackFile stack, KubernetesExportOptions options, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(options);
        var context = new ExportContext(stack, options);
        var files = new List<ExportFile>();
        var skipped = new List<SkippedComponent>();
        var secretValues = new List<string>(StackSecrets.Of(stack, environment).Values);
        foreach (var component in stack.Components)
        {
            var workload = WorkloadMapper.For(component, context);
            secretValues.AddRange(workload.SecretValues);
            if (workload.Skipped is { } skip)
            {
                skipped.Add(skip);
                continue;
            }

            UnmappedSettings.Note(component, context);
            if (workload.Documents.Count > 0)
            {
                files.Add(new(KubeName.Of(component.Name) + ".yaml", Render(workload.Documents)));
            }
        }

        if (context.NeedsJobWaiter)
        {
            files.Add(new(ExportContext.JobWaiter + ".yaml", Render(JobWaiter(context))));
        }

        var report = ExportReport.Render(context, files, skipped);
        files.Add(new(KubernetesExport.ReportFileName, report));
        var secrets = Events.SecretValues.Of(secretValues);
        var leaks = files.Where(f => secrets.Values.Any(v => f.Text.Contains(v, StringComparison.Ordinal))).Select(f => f.Name).ToList();
        return new(files, context.Notes, skipped, context.Secrets, leaks);
    }

    /// <summary>What lets a pod run <c>kubectl wait</c> on the stack's Jobs: a ServiceAccount allowed to read Jobs, in this namespace only.</summary>
    private static List<YamlNode> JobWaiter(ExportContext context)
    {
        var name = ExportContext.JobWaiter;
        var metadata = Map(("name", Str(name)), ("namespace", Str(context.Options.Namespace)), ("labels", Map(("app.kubernetes.io/part-of", Str(KubeName.Of(context.Stack.Name))), ("app.kubernetes.io/managed-by", Str("tend")))));
        return
        [
            Map(("apiVersion", Str("v1")), ("kind", Str("ServiceAccount")), ("metadata", metadata)),
            Map(
                ("apiVersion", Str("rbac.authorization.k8s.io/v1")),
                ("kind", Str("Role")),
                ("metadata", metadata),
                ("rules", Seq([Map(("apiGroups", Strs(["batch"])), ("resources", Strs(["jobs"])), ("verbs", Strs(["get", "list", "watch"])))]))),
            Map(
                ("apiVersion", Str("rbac.authorization.k8s.io/v1")),
                ("kind", Str("RoleBinding")),
                ("metadata", metadata),
                ("roleRef", Map(("apiGroup", Str("rbac.authorization.k8s.io")), ("kind", Str("Role")), ("name", Str(name)))),
                ("subjects", Seq([Map(("kind", Str("ServiceAccount")), ("name", Str(name)), ("namespace", Str(context.Options.Namespace)))]))),
        ];
    }
}
