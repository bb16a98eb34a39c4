using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Tests.Workflows.Records;

/// <summary>Run ids sort by start time: "the latest run" and the cache's earlier runs follow their order.</summary>
public sealed class RunIdSpecs
{
    [Fact]
    public void Runs_started_in_the_same_second_sort_in_the_order_they_started()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.Path);
        var second = new DateTimeOffset(2026, 11, 29, 17, 20, 41, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 50).Select(i => store.Create("build", second.AddMilliseconds(i * 19)).Id).ToList();

        ids.ShouldBe([.. ids.Order(StringComparer.Ordinal)]);
        ids.ShouldAllBe(id => id.StartsWith("20261129-172041-", StringComparison.Ordinal));
    }

    [Fact]
    public void Two_runs_of_the_same_millisecond_get_two_directories()
    {
        using var directory = new TempDirectory();
        var store = new RunStore(directory.Path);
        var now = new DateTimeOffset(2026, 11, 29, 17, 20, 41, 5, TimeSpan.Zero);

        var ids = Enumerable.Range(0, 10).Select(_ => store.Create("build", now).Id).ToList();

        ids.Distinct(StringComparer.Ordinal).Count().ShouldBe(10);
    }
}
