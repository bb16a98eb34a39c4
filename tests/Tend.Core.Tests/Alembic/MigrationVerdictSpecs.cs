using Tend.Core.Alembic;
using Tend.Core.Checks.Kinds;
using Tend.Core.Model;
using static Tend.Core.Tests.Alembic.Revisions;

namespace Tend.Core.Tests.Alembic;

public sealed class MigrationVerdictSpecs
{
    private static readonly string LongId = "2023_11_02_add_audit_log";

    private static RevisionGraph Linear() => Graph(Rev("aaaaaaaaaaa1"), Rev("bbbbbbbbbbb2", "aaaaaaaaaaa1"), Rev(LongId, "bbbbbbbbbbb2"), Rev("ddddddddddd4", LongId));

    private static RevisionGraph TwoHeads() => Graph(Rev("base"), Rev("a", "base"), Rev("b", "a"), Rev("c", "a"));

    [Fact]
    public void A_database_at_the_head_passes()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(Linear(), ["ddddddddddd4"], "alembic_version"));

        outcome.Status.ShouldBe(CheckStatus.Pass);
        outcome.Summary.ShouldBe("up to date, at head ddddddddddd4");
        outcome.Data["current"].ShouldBe("ddddddddddd4");
    }

    [Fact]
    public void A_database_behind_lists_pending_migrations_with_short_ids()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(Linear(), ["aaaaaaaaaaa1"], "alembic_version"));

        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.ErrorClass.ShouldBe("pending");
        outcome.Data["pending_count"].ShouldBe("3");
        outcome.Data["pending"].ShouldBe("bbbbbbbbbbb2 → 2023_11_02_a → ddddddddddd4");
        outcome.Summary.ShouldBe("3 migrations pending: bbbbbbbbbbb2 → 2023_11_02_a → ddddddddddd4");
        outcome.Facts.ShouldContain("pending: 2023_11_02_a revision 2023_11_02_add_audit_log (2023_11_02_add_audit_log.py)");
    }

    [Fact]
    public void An_empty_version_table_is_at_base_with_everything_pending()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(Linear(), [], "alembic_version"));

        outcome.ErrorClass.ShouldBe("pending");
        outcome.Data["pending_count"].ShouldBe("4");
        outcome.Data["current"].ShouldBe("base");
        outcome.Facts[0].ShouldBe("alembic_version is empty (at base)");
    }

    [Fact]
    public void No_version_table_fails_as_a_fresh_database()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(Linear(), null, "meta.alembic_version"));

        outcome.ErrorClass.ShouldBe("no_version_table");
        outcome.Summary.ShouldContain("meta.alembic_version");
        outcome.Data["pending_count"].ShouldBe("4");
    }

    [Fact]
    public void A_revision_the_scripts_do_not_know_fails_with_the_full_id()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(Linear(), ["0123456789abcdef"], "alembic_version"));

        outcome.ErrorClass.ShouldBe("unknown_revision");
        outcome.Data["current"].ShouldBe("0123456789abcdef");
        outcome.Summary.ShouldContain("0123456789ab,");
    }

    [Fact]
    public void Unmerged_heads_with_the_database_at_one_of_them_fail()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(TwoHeads(), ["b"], "alembic_version"));

        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.ErrorClass.ShouldBe("multiple_heads");
        outcome.Data["heads"].ShouldBe("b, c");
        outcome.Data["pending"].ShouldBe("c");
    }

    [Fact]
    public void Unmerged_heads_all_applied_only_warn()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(TwoHeads(), ["b", "c"], "alembic_version"));

        outcome.Status.ShouldBe(CheckStatus.Warn);
        outcome.ErrorClass.ShouldBe("multiple_heads");
        outcome.Data["pending_count"].ShouldBe("0");
    }

    [Fact]
    public void Heads_of_separately_labelled_branches_are_not_a_forgotten_merge()
    {
        var graph = Graph(Rev("c1").WithLabels("core"), Rev("c2", "c1"), Rev("p1").WithLabels("plugins"), Rev("p2", "p1"));

        AlembicCheck.Outcome(MigrationVerdict.Judge(graph, ["c2", "p2"], "alembic_version")).Status.ShouldBe(CheckStatus.Pass);
        AlembicCheck.Outcome(MigrationVerdict.Judge(graph, ["c2", "p1"], "alembic_version")).ErrorClass.ShouldBe("pending");
    }

    [Fact]
    public void Heads_of_independent_bases_are_branches_kept_apart_on_purpose()
    {
        // alembic's "multiple bases" layout: only the second base is labelled.
        var graph = Graph(Rev("c1"), Rev("c2", "c1"), Rev("n1").WithLabels("networking"), Rev("n2", "n1"));

        AlembicCheck.Outcome(MigrationVerdict.Judge(graph, ["c2", "n2"], "alembic_version")).Summary.ShouldBe("up to date, at heads c2, n2");
    }

    [Fact]
    public void A_fork_inside_a_labelled_branch_is_still_a_forgotten_merge()
    {
        var graph = Graph(Rev("c1"), Rev("n1").WithLabels("networking"), Rev("n2", "n1"), Rev("n3", "n1"));

        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(graph, ["c1", "n2", "n3"], "alembic_version"));

        outcome.ErrorClass.ShouldBe("multiple_heads");
        outcome.Data["heads"].ShouldBe("n2, n3");
    }

    [Fact]
    public void Scripts_without_revisions_and_an_empty_table_pass()
    {
        var outcome = AlembicCheck.Outcome(MigrationVerdict.Judge(Graph(), [], "alembic_version"));

        outcome.Status.ShouldBe(CheckStatus.Pass);
        outcome.Summary.ShouldContain("no migrations yet");
    }
}
