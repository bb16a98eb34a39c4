using System.Globalization;
using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using YamlDotNet.RepresentationModel;
using static Tend.Core.Export.Kubernetes.YamlNodes;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// A component's <c>requires</c> as init containers, which Kubernetes runs to the end, in order,
/// before the component's own container: <c>tend wait CHECK</c> for "healthy" (the dependency's
/// own health check, pointed at its Service), and <c>kubectl wait</c> on the Job for "completed",
/// since a Job's completion is no network check another pod could make.
/// </summary>
internal static class WaitContainers
{
    /// <summary>The init containers, or why they cannot be written (an image they need is not given).</summary>
    public sealed record Waits(IReadOnlyList<YamlNode> Containers, bool WaitsOnJobs, SkippedComponent? Missing);

    public static Waits For(Component component, ExportContext context)
    {
        var containers = new List<YamlNode>();
        var onJobs = false;
        foreach (var requirement in component.Requires)
        {
            if (context.Stack.Find(requirement.Component) is not { } dependency)
            {
                continue;
            }

            var name = Truncate("wait-" + KubeName.Of(dependency.Name));
            if (requirement.Condition == RequirementCondition.Completed)
            {
                if (context.Options.KubectlImage is not { } kubectl)
                {
                    return new([], false, new(component.Name, $"it requires {dependency.Name} to complete, and that wait runs kubectl, whose image is not given", $"add {KubernetesExportOptions.KubectlKey} = \"IMAGE\" (an image with kubectl) to the image map"));
                }

                onJobs = true;
                containers.Add(Map(
                    ("name", Str(name)),
                    ("image", Str(kubectl)),
                    ("command", Strs(["kubectl", "wait", "--for=condition=complete", $"job/{KubeName.Of(dependency.Name)}", "--timeout=-1s"]))));
                continue;
            }

            if (Word(component, dependency, requirement, context) is not { } wait)
            {
                continue;
            }

            if (context.Options.WaitImage is not { } tend)
            {
                return new([], false, new(component.Name, $"it requires {dependency.Name}, and that wait runs tend wait, whose image is not given", $"pass --tend-image IMAGE, or add {KubernetesExportOptions.TendKey} = \"IMAGE\" (an image with tend on its PATH) to the image map"));
            }

            containers.Add(Map(
                ("name", Str(name)),
                ("image", Str(tend)),
                ("command", Strs(["tend", "wait", wait.Word, "--timeout", "0"])),
                ("env", SeqOrNull(wait.Environment))));
        }

        return new(containers, onJobs, null);
    }

    private sealed record WaitWord(string Word, IReadOnlyList<YamlNode> Environment);

    /// <summary>The check word <c>tend wait</c> takes for a requirement, addressed as another pod reaches the dependency.</summary>
    private static WaitWord? Word(Component component, Component dependency, Requirement requirement, ExportContext context)
    {
        var setting = $"requires.{dependency.Name}";
        var check = dependency.Health?.Check;
        if (dependency.Kind == ComponentKind.External)
        {
            if (check is null || ComponentPorts.Host(check) is not { } host || ComponentPorts.IsLocal(host))
            {
                context.Unmapped(component, setting, $"{dependency.Name} is external{(check is null ? " with no check" : $" at {check.Target}, on this host")}: no pod can reach it there, so it is not waited for");
                return null;
            }

            return Checked(component, dependency, check, host, context);
        }

        var service = KubeName.Of(dependency.Name);
        if (requirement.Condition == RequirementCondition.Healthy && check is not null)
        {
            var host = ComponentPorts.Host(check) is { } h && !ComponentPorts.IsLocal(h) ? h : service;
            return Checked(component, dependency, check, host, context);
        }

        if (ComponentPorts.Of(dependency) is [var port, ..])
        {
            context.Approximated(component, setting, $"\"{requirement.ConditionName}\" of {dependency.Name} is waited for as its Service accepting a connection on port {port}");
            return new($"tcp://{service}:{port}", []);
        }

        context.Unmapped(component, setting, $"\"{requirement.ConditionName}\" of {dependency.Name} has nothing another pod can check (no health check, no port): not waited for");
        return null;
    }

    private static WaitWord? Checked(Component component, Component dependency, CheckSpec check, string host, ExportContext context)
    {
        var setting = $"requires.{dependency.Name}";
        switch (check)
        {
            case HttpCheck http:
                if (http.Url.UserInfo.Length > 0)
                {
                    context.Unmapped(component, setting, $"the user and password in {dependency.Name}'s health URL are left out of the wait");
                }

                return new(new UriBuilder(http.Url) { Host = host, UserName = "", Password = "" }.Uri.ToString(), []);
            case TcpCheck tcp:
                return new($"tcp://{host}:{tcp.Endpoint.Port}", []);
            case PostgresCheck { Server: var pg }:
                var user = pg.User is null ? "" : Uri.EscapeDataString(pg.User) + "@";
                var environment = new List<YamlNode>();
                if (pg.Password is not null || pg.PasswordEnv is not null)
                {
                    // tend's postgres check reads PGPASSWORD when the URL has no password.
                    var key = pg.PasswordEnv ?? "PGPASSWORD";
                    var secret = context.RequireSecret(dependency, key);
                    environment.Add(Map(("name", Str("PGPASSWORD")), ("valueFrom", Map(("secretKeyRef", Map(("name", Str(secret)), ("key", Str(key))))))));
                }

                return new($"postgres://{user}{host}:{pg.Port.ToString(CultureInfo.InvariantCulture)}/{Uri.EscapeDataString(pg.Database)}", environment);
            case RedisCheck redis:
                if (redis.Password is not null || redis.PasswordEnv is not null)
                {
                    context.Approximated(component, setting, $"{dependency.Name}'s redis check logs in with a password, which tend wait cannot take from a Secret: waited for as a TCP connection instead");
                    return new($"tcp://{host}:{redis.Port}", []);
                }

                return new($"{(redis.Tls ? "rediss" : "redis")}://{host}:{redis.Port}/{redis.Database}", []);
            case EtcdCheck etcd:
                return new($"etcd://{host}:{etcd.Endpoint.Port}", []);
            default:
                if (ComponentPorts.Of(dependency) is [var port, ..])
                {
                    context.Approximated(component, setting, $"{dependency.Name}'s {check.Kind} check runs in its own pod: waited for as its Service accepting a connection on port {port}");
                    return new($"tcp://{KubeName.Of(dependency.Name)}:{port}", []);
                }

                context.Unmapped(component, setting, $"{dependency.Name}'s {check.Kind} check can only run in its own pod, and it serves no port: not waited for");
                return null;
        }
    }

    private static string Truncate(string name) => name.Length > 63 ? name[..63].TrimEnd('-') : name;
}
