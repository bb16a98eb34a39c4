using Tend.Core.Config;
using Tend.Core.Monitoring;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Monitoring;

public sealed class MonitorDocsSpecs
{
    private static string DocsFile => Path.Combine(RepoPaths.Root, "docs", "monitor.md");

    [Fact]
    public void Docs_monitor_md_lists_every_metric_and_built_in_rule_as_the_daemon_has_them()
    {
        var document = File.ReadAllText(DocsFile);
        var rendered = MonitorDocs.Render(document);
        if (Environment.GetEnvironmentVariable("TEND_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(DocsFile, rendered);
            document = rendered;
        }

        document.ShouldBe(rendered, "docs/monitor.md's tables are generated: run TEND_UPDATE_DOCS=1 dotnet test tests/Tend.Core.Tests --filter \"FullyQualifiedName~MonitorDocs\"");
        foreach (var metric in MetricCatalog.All)
        {
            document.ShouldContain($"| `{metric.Name}` |");
        }
    }
}
