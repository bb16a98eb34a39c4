using Tend.Core.Config;
using Tend.Core.Export.Kubernetes;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Export;

/// <summary>A stack file written to a scratch directory, loaded, and exported.</summary>
public abstract class ExportFixture : IDisposable
{
    protected TempDirectory Directory { get; } = new();

    public void Dispose()
    {
        Directory.Dispose();
        GC.SuppressFinalize(this);
    }

    protected static readonly Dictionary<string, string> Images = new(StringComparer.Ordinal)
    {
        ["tend"] = "ghcr.io/example/tend:0.1",
        ["kubectl"] = "registry.k8s.io/kubectl:v1.33.0",
    };

    protected StackFile Load(string toml)
    {
        var path = Directory.Write("tend.toml", toml);
        var result = StackFileLoader.Load(path, _ => null);
        result.Errors.ShouldBeEmpty();
        return result.Stack!;
    }

    /// <summary>Every component gets an image (app:1) unless <paramref name="images"/> says otherwise.</summary>
    protected KubernetesExport Export(string toml, IReadOnlyDictionary<string, string>? images = null, string ns = "default")
    {
        var stack = Load(toml);
        var map = new Dictionary<string, string>(images ?? Images, StringComparer.Ordinal);
        if (images is null)
        {
            foreach (var component in stack.Components.Where(c => c.Kind != ComponentKind.External))
            {
                map.TryAdd(component.Name, "example.org/app:1");
            }
        }

        return KubernetesExporter.Export(stack, new KubernetesExportOptions(ns, map, null), _ => null);
    }

    protected static string Report(KubernetesExport export) => export.Files.Single(f => f.Name == KubernetesExport.ReportFileName).Text;
}
