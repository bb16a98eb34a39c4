using Tend.Core.Events;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Events;

public sealed class EventDocsSpecs
{
    private static string DocsFile => Path.Combine(RepoPaths.Root, "docs", "events.md");

    [Fact]
    public void Docs_events_md_is_what_the_registry_renders()
    {
        var rendered = EventKinds.RenderMarkdown();
        if (Environment.GetEnvironmentVariable("TEND_UPDATE_DOCS") == "1")
        {
            File.WriteAllText(DocsFile, rendered);
        }

        File.ReadAllText(DocsFile).ShouldBe(rendered, "docs/events.md is generated: run TEND_UPDATE_DOCS=1 dotnet test tests/Tend.Core.Tests --filter \"FullyQualifiedName~EventDocs\"");
    }

    [Fact]
    public void Every_kind_and_every_field_is_in_the_docs()
    {
        var rendered = EventKinds.RenderMarkdown();

        foreach (var kind in EventKinds.All)
        {
            rendered.ShouldContain($"\n### {kind.Name}\n");
            foreach (var field in kind.Fields)
            {
                rendered.ShouldContain($"| `{field.Name}` | {field.TypeName}");
            }
        }
    }
}
