using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using YamlDotNet.RepresentationModel;
using static Tend.Core.Export.Kubernetes.YamlNodes;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// A component's <c>health</c> as the kubelet runs it: readinessProbe always, livenessProbe when
/// tend would restart it unhealthy, startupProbe for its <c>start_period</c>. The kubelet probes
/// from the node into the pod, so the check's host is dropped: the pod itself is probed.
/// </summary>
internal static class ProbeMapper
{
    public sealed record Probes(YamlMappingNode? Readiness, YamlMappingNode? Liveness, YamlMappingNode? Startup);

    public static Probes For(Component component, ExportContext context)
    {
        if (component.Health is not { } health || Handler(component, health.Check, context) is not { } handler)
        {
            return new(null, null, null);
        }

        var period = Seconds(health.Interval);
        var timeout = Seconds(health.Check.Timeout);
        YamlMappingNode Probe(int failures) => Map([.. handler, ("periodSeconds", Int(period)), ("timeoutSeconds", Int(timeout)), ("failureThreshold", Int(failures))]);

        var readiness = Probe(health.Retries);
        var liveness = component.Restart.RestartsWhenUnhealthy ? Probe(health.Retries) : null;
        if (liveness is null && component.Kind == ComponentKind.Service)
        {
            context.Approximated(component, "restart.on_unhealthy", "tend does not restart it when unhealthy, so it gets no livenessProbe: Kubernetes only takes it out of its Service");
        }

        // tend gives a starting service start_period to pass once, on top of retries × interval.
        var startup = health.StartPeriod > TimeSpan.Zero ? Probe((int)Math.Ceiling(health.StartPeriod.TotalSeconds / period) + health.Retries) : null;
        return new(readiness, liveness, startup);
    }

    private static (string, YamlNode?)[]? Handler(Component component, CheckSpec check, ExportContext context)
    {
        switch (check)
        {
            case HttpCheck http:
                if (!ComponentPorts.IsLocal(http.Url.Host))
                {
                    context.Approximated(component, "health.http", $"the check asks {http.Url.Host}; the kubelet asks the pod itself, on the same port and path");
                }

                if (http.Body is not null || http.ExpectedStatus.Count != 1 || http.ExpectedStatus[0] != (200, 399))
                {
                    context.Unmapped(component, "health.http.status/body", "an httpGet probe passes on any status from 200 to 399 and reads no body: the expected status and body are not checked");
                }

                var headers = http.Headers.Select(h => (YamlNode)Map(("name", Str(h.Key)), ("value", Str(h.Value)))).ToList();
                return [("httpGet", Map(
                    ("path", Str(http.Url.PathAndQuery)),
                    ("port", Int(http.Url.Port)),
                    ("scheme", http.Url.Scheme == "https" ? Str("HTTPS") : null),
                    ("httpHeaders", SeqOrNull(headers))))];
            case TcpCheck tcp:
                return [("tcpSocket", Map(("port", Int(tcp.Endpoint.Port))))];
            case ExecCheck exec:
                if (exec.ExpectedExitCode != 0 || exec.Output is not null)
                {
                    context.Unmapped(component, "health.exec", "an exec probe passes on exit code 0 and reads no output: the expected code and output are not checked");
                }

                context.Approximated(component, "health.exec", $"the probe runs `{string.Join(' ', exec.Argv)}` inside the container: its image must have that command");
                return [("exec", Map(("command", Strs(exec.Argv))))];
            default:
                if (ComponentPorts.LocalPort(check) is { } port)
                {
                    context.Approximated(component, $"health.{check.Kind}", $"Kubernetes has no {check.Kind} probe: the probe checks that port {port} accepts a connection");
                    return [("tcpSocket", Map(("port", Int(port))))];
                }

                context.Unmapped(component, $"health.{check.Kind}", $"Kubernetes has no {check.Kind} probe and the check names no port of the pod: no probe");
                return null;
        }
    }

    /// <summary>Whole seconds, at least one: the unit and the minimum of every probe field.</summary>
    public static int Seconds(TimeSpan time) => Math.Max(1, (int)Math.Ceiling(time.TotalSeconds));
}
