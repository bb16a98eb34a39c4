using Tend.Core.Model;
using Shouldly;
using Tend.Core.Tests.Support;
using Tend.Core.Tests.Workflows.Running;
using Tend.Core.Workflows;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Core.Tests.Workflows.Stats;

/// <summary>A real run leaves in each attempt how many artifacts its checks looked at and how many fell short: what the artifact-success KPI counts.</summary>
public sealed class ArtifactTallySpecs
{
    [Fact(Timeout = 60_000)]
    public async Task An_attempt_records_its_artifacts_checked_and_failed()
    {
        using var dir = new TempDirectory();
        dir.Write("s.json", """{"type":"object"}""");
        var step = Flow.Sh("emit", "echo '{}' > good.json; echo '[]' > bad.json; : > empty.json") with
        {
            Emits = [new ArtifactSpec("good.json", "s.json"), new ArtifactSpec("bad.json", "s.json"), new ArtifactSpec("empty.json", null)],
        };
        var plain = Flow.Sh("plain", "true");

        var (record, _, _) = await Flow.RunAsync(dir, Flow.Of(dir, step, plain));

        var attempt = record.Find("emit")!.Attempts.ShouldHaveSingleItem();
        (attempt.ArtifactsChecked, attempt.ArtifactsFailed).ShouldBe((3, 2));
        var none = record.Find("plain")!.Attempts.ShouldHaveSingleItem();
        (none.ArtifactsChecked, none.ArtifactsFailed).ShouldBe(((int?)null, (int?)null));
    }
}
