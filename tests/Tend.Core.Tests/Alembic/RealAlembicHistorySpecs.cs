namespace Tend.Core.Tests.Alembic;

/// <summary>
/// tend's reading of the fixture histories against what alembic 1.8.1 itself answered about
/// them (tests/fixtures/alembic/*/expected.json, written by generate.py).
/// </summary>
public sealed class RealAlembicHistorySpecs
{
    public static TheoryData<string> Fixtures => ["history", "two-heads"];

    private static string Ini(string fixture) => Path.Combine(AlembicFixtures.Root, fixture, "alembic.ini");

    private static AlembicFixtures.Expected Expected(string fixture) =>
        AlembicFixtures.Expected.Load(Path.Combine(AlembicFixtures.Root, fixture, "expected.json"));

    [Fact]
    public async Task The_history_fixture_is_the_size_and_shape_it_claims()
    {
        var graph = await AlembicFixtures.GraphAsync(AlembicFixtures.HistoryIni);

        graph.Revisions.Count.ShouldBe(321);
        graph.MergePointCount.ShouldBe(22);
        graph.BranchPointCount.ShouldBeGreaterThan(15);
        graph.Heads.Count.ShouldBe(1);
        graph.Bases.Count.ShouldBe(2);
        graph.Revisions.Count(r => r.DependsOn.Count > 0).ShouldBe(2);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Heads_are_the_ones_alembic_heads_lists(string fixture)
    {
        var graph = await AlembicFixtures.GraphAsync(Ini(fixture));

        graph.Heads.ShouldBe(Expected(fixture).Heads, ignoreOrder: true);
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Every_revision_links_as_alembic_history_shows_it(string fixture)
    {
        var graph = await AlembicFixtures.GraphAsync(Ini(fixture));
        var history = Expected(fixture).History;

        graph.Revisions.Select(r => r.Id).ShouldBe(history.Select(h => h.Revision), ignoreOrder: true);
        foreach (var line in history)
        {
            var revision = graph[line.Revision];
            revision.DownRevisions.ShouldBe(line.Down, $"down_revision of {line.Revision}");
            revision.DependsOn.ShouldBe(line.DependsOn, $"depends_on of {line.Revision}");
            revision.Message.ShouldBe(line.Message);
            line.Flags.Contains("head").ShouldBe(graph.RealHeads.Contains(line.Revision), $"(head) of {line.Revision}");
            line.Flags.Contains("effective head").ShouldBe(graph.Heads.Contains(line.Revision) && !graph.RealHeads.Contains(line.Revision), $"(effective head) of {line.Revision}");
            line.Flags.Contains("branchpoint").ShouldBe(graph.ChildrenOf(line.Revision).Count > 1, $"(branchpoint) of {line.Revision}");
            line.Flags.Contains("mergepoint").ShouldBe(revision.IsMergePoint, $"(mergepoint) of {line.Revision}");
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task Pending_migrations_are_exactly_what_alembic_upgrade_ran_in_alembics_order(string fixture)
    {
        var expected = Expected(fixture);
        var graph = AlembicFixtures.InOrder(await AlembicFixtures.GraphAsync(Ini(fixture)), expected.LoadOrder);

        foreach (var upgrade in expected.Upgrades)
        {
            var pending = graph.PendingUpgrades(upgrade.From);

            pending.ShouldBe(upgrade.Ran.Select(r => r.To).ToList(), upgrade.Command);
            foreach (var (down, to) in upgrade.Ran)
            {
                string.Join(", ", graph[to].DownRevisions).ShouldBe(down, $"{upgrade.Command}: the step to {to}");
            }
        }
    }

    [Theory]
    [MemberData(nameof(Fixtures))]
    public async Task In_tends_own_file_order_pending_migrations_are_the_same_set_in_a_valid_order(string fixture)
    {
        var graph = await AlembicFixtures.GraphAsync(Ini(fixture));

        foreach (var upgrade in Expected(fixture).Upgrades)
        {
            var pending = graph.PendingUpgrades(upgrade.From);

            pending.ShouldBe(upgrade.Ran.Select(r => r.To).ToList(), ignoreOrder: true, upgrade.Command);
            pending.ShouldBeInUpgradeOrder(graph);
        }
    }

    [Fact]
    public async Task With_one_head_tends_order_matches_alembics_whatever_the_file_order()
    {
        var expected = AlembicFixtures.HistoryExpected;
        var graph = await AlembicFixtures.GraphAsync(AlembicFixtures.HistoryIni);

        foreach (var upgrade in expected.Upgrades)
        {
            graph.PendingUpgrades(upgrade.From).ShouldBe(upgrade.Ran.Select(r => r.To).ToList(), upgrade.Command);
        }
    }

    [Fact]
    public async Task The_fixture_exercises_merges_from_mid_points_and_multi_row_version_tables()
    {
        var expected = AlembicFixtures.HistoryExpected;

        expected.Upgrades.Count(u => u.From.Count == 0 && u.Ran.Count == 321).ShouldBe(1);
        expected.Upgrades.Count(u => u.From.Count == 2).ShouldBe(2);
        expected.Upgrades.ShouldContain(u => u.From.Count == 1 && u.Ran.Count == 0);
        expected.Upgrades.ShouldContain(u => u.Ran.Any(r => r.Down.Contains(',', StringComparison.Ordinal)));
        await Task.CompletedTask;
    }
}
