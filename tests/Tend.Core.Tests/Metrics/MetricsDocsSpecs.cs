using Tend.Core.Metrics;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Metrics;

public sealed class MetricsDocsSpecs
{
    private static string DocsFile => Path.Combine(RepoPaths.Root, "docs", "metrics.md");

    [Fact]
    public void Docs_metrics_md_lists_every_family_and_each_built_in_rule_as_PromQL_as_tend_has_them()
    {
        var document = File.ReadAllText(DocsFile);
        var rendered = MetricsDocs.Render(document);
        if (Environment.GetEnvironmentVariable("TEND_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(DocsFile, rendered);
            document = rendered;
        }

        document.ShouldBe(rendered, "docs/metrics.md's tables are generated: run TEND_UPDATE_DOCS=1 dotnet test tests/Tend.Core.Tests --filter \"FullyQualifiedName~MetricsDocs\"");
        foreach (var metric in ExposedMetrics.All)
        {
            document.ShouldContain($"| `{metric.Name}` |");
        }
    }
}
