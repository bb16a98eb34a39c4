using Tend.Core.Alembic;
using static Tend.Core.Tests.Alembic.Revisions;

namespace Tend.Core.Tests.Alembic;

public sealed class RevisionGraphSpecs
{
    // base ─ a ─┬─ b1 ─ b2 ─┬─ m ─ top
    //           └─ c1 ──────┘
    private static RevisionGraph Merged() => Graph(
        Rev("base"), Rev("a", "base"), Rev("b1", "a"), Rev("b2", "b1"), Rev("c1", "a"), Rev("m", "b2", "c1"), Rev("top", "m"));

    [Fact]
    public void A_merged_history_has_one_head_one_base_one_branch_point_and_one_merge_point()
    {
        var graph = Merged();

        graph.Heads.ShouldBe(["top"]);
        graph.Bases.ShouldBe(["base"]);
        graph.BranchPointCount.ShouldBe(1);
        graph.MergePointCount.ShouldBe(1);
    }

    [Fact]
    public void Pending_from_a_mid_point_lists_parents_before_children_in_alembics_order()
    {
        var graph = Merged();

        var pending = graph.PendingUpgrades(["b1"]);

        // alembic walks down from the head taking the merge's first parent first, then reverses
        // the walk: the second parent's branch runs first.
        pending.ShouldBe(["c1", "b2", "m", "top"]);
    }

    [Fact]
    public void Pending_from_a_fresh_database_is_every_revision()
    {
        var graph = Merged();

        var pending = graph.PendingUpgrades([]);

        pending.Count.ShouldBe(7);
        pending[0].ShouldBe("base");
        pending.ShouldBeInUpgradeOrder(graph);
    }

    [Fact]
    public void Two_version_rows_count_both_branches_as_applied()
    {
        var graph = Merged();

        graph.PendingUpgrades(["b2", "c1"]).ShouldBe(["m", "top"]);
        graph.PendingUpgrades(["top"]).ShouldBeEmpty();
    }

    [Fact]
    public void Two_branches_without_a_merge_are_two_heads()
    {
        var graph = Graph(Rev("base"), Rev("a", "base"), Rev("b", "a"), Rev("c", "a"));

        graph.Heads.ShouldBe(["b", "c"]);
        graph.PendingUpgrades(["b"]).ShouldBe(["c"]);
    }

    [Fact]
    public void A_dependency_runs_first_but_does_not_end_a_branch()
    {
        // Two bases: core and a labelled plugins branch whose second step needs core's c2.
        var graph = Graph(
            Rev("c1"), Rev("c2", "c1"), Rev("c3", "c2"),
            Rev("p1").WithLabels("plugins"), Rev("p2", "p1").WithDependencies("c2"));

        graph.Heads.ShouldBe(["c3", "p2"]);
        graph.RealHeads.ShouldBe(["c3", "p2"]);
        graph.Bases.ShouldBe(["c1", "p1"]);
        var pending = graph.PendingUpgrades(["p1"]);
        pending.ShouldBe(["c1", "c2", "c3", "p2"], ignoreOrder: true);
        pending.ShouldBeInUpgradeOrder(graph);
    }

    [Fact]
    public void A_dependency_on_a_branch_label_resolves_to_the_revision_that_declares_it()
    {
        var graph = Graph(Rev("c1"), Rev("p1").WithLabels("plugins"), Rev("c2", "c1").WithDependencies("plugins"));

        graph.DependenciesOf("c2").ShouldBe(["p1"]);
        graph.RealHeads.ShouldBe(["c2"]);
        graph.Heads.ShouldBe(["p1", "c2"]);
    }

    [Fact]
    public void A_down_revision_to_a_missing_revision_is_a_broken_graph_naming_the_file()
    {
        var result = RevisionGraph.Build([Rev("base"), Rev("a", "gone")]);

        result.Problem!.ErrorClass.ShouldBe("broken_graph");
        result.Problem.Summary.ShouldContain("gone");
        result.Problem.Facts[0].ShouldContain("versions/a.py");
    }

    [Fact]
    public void A_depends_on_naming_nothing_is_a_broken_graph()
    {
        RevisionGraph.Build([Rev("base"), Rev("a", "base").WithDependencies("nothing")]).Problem!.ErrorClass.ShouldBe("broken_graph");
    }

    [Fact]
    public void A_cycle_is_a_broken_graph()
    {
        var result = RevisionGraph.Build([Rev("base"), Rev("a", "base", "b"), Rev("b", "a")]);

        result.Problem!.ErrorClass.ShouldBe("broken_graph");
        result.Problem.Summary.ShouldContain("cycle");
    }

    [Fact]
    public void A_revision_defined_twice_is_a_broken_graph_naming_both_files()
    {
        var result = RevisionGraph.Build([Rev("base"), Rev("a", "base"), Rev("a", "base") with { File = "versions/copy.py" }]);

        result.Problem!.Facts[0].ShouldContain("versions/a.py");
        result.Problem.Facts[0].ShouldContain("versions/copy.py");
    }

    [Fact]
    public void A_branch_label_used_twice_is_a_broken_graph()
    {
        RevisionGraph.Build([Rev("a").WithLabels("x"), Rev("b").WithLabels("x")]).Problem!.ErrorClass.ShouldBe("broken_graph");
    }
}
