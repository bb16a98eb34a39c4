using Tend.Core.Alembic;

namespace Tend.Core.Tests.Alembic;

public sealed class RevisionFileParserSpecs
{
    private static AlembicRevision Read(string source, string file = "versions/x.py")
    {
        var result = RevisionFileParser.Parse(source, file);
        result.Problem.ShouldBeNull(result.Problem is null ? null : string.Join("; ", result.Problem.Facts));
        return result.Revision!;
    }

    private static AlembicProblem Refuse(string source, string file = "versions/x.py")
    {
        var result = RevisionFileParser.Parse(source, file);
        result.Revision.ShouldBeNull();
        return result.Problem!;
    }

    [Fact]
    public void The_plain_template_of_alembic_1_8_reads_as_written()
    {
        var revision = Read(""""
            """add users table

            Revision ID: 1975ea83b712
            Revises: 27c6a30d7c24
            Create Date: 2024-03-01 10:00:00

            """
            from alembic import op
            import sqlalchemy as sa


            # revision identifiers, used by Alembic.
            revision = '1975ea83b712'
            down_revision = '27c6a30d7c24'
            branch_labels = None
            depends_on = None


            def upgrade() -> None:
                revision = 'not this one'
                op.create_table('users')
            """");

        revision.Id.ShouldBe("1975ea83b712");
        revision.DownRevisions.ShouldBe(["27c6a30d7c24"]);
        revision.BranchLabels.ShouldBeEmpty();
        revision.DependsOn.ShouldBeEmpty();
        revision.Message.ShouldBe("add users table");
    }

    [Fact]
    public void Type_annotated_assignments_of_modern_templates_read_like_plain_ones()
    {
        var revision = Read(""""
            """merge

            Revision ID: ae1027a6acf
            Revises: 29f8d1a2b3c4, 3b2a1f0e9d8c
            """
            from typing import Sequence, Union

            revision: str = "ae1027a6acf"
            down_revision: Union[str, Sequence[str], None] = ("29f8d1a2b3c4", "3b2a1f0e9d8c")
            branch_labels: Union[str, Sequence[str], None] = ('core',)
            depends_on: Union[str, Sequence[str], None] = None
            """");

        revision.Id.ShouldBe("ae1027a6acf");
        revision.DownRevisions.ShouldBe(["29f8d1a2b3c4", "3b2a1f0e9d8c"]);
        revision.IsMergePoint.ShouldBeTrue();
        revision.BranchLabels.ShouldBe(["core"]);
    }

    [Theory]
    [InlineData("down_revision = None", new string[0])]
    [InlineData("down_revision = ()", new string[0])]
    [InlineData("down_revision = 'a1'", new[] { "a1" })]
    [InlineData("down_revision = \"a1\"  # the previous one", new[] { "a1" })]
    [InlineData("down_revision = ('a1')", new[] { "a1" })]
    [InlineData("down_revision = ('a1',)", new[] { "a1" })]
    [InlineData("down_revision = ['a1', 'b2']", new[] { "a1", "b2" })]
    [InlineData("down_revision = 'a1', 'b2'", new[] { "a1", "b2" })]
    [InlineData("down_revision = (\n    'a1',  # ours\n    'b2',  # theirs\n)", new[] { "a1", "b2" })]
    [InlineData("down_revision = u'a1'", new[] { "a1" })]
    [InlineData("down_revision = r'a1'", new[] { "a1" })]
    [InlineData("down_revision = \\\n    'a1'", new[] { "a1" })]
    [InlineData("down_revision: Union[str, None] = 'a1'", new[] { "a1" })]
    [InlineData("down_revision: Optional[str] = None", new string[0])]
    public void Down_revision_reads_in_every_literal_form_python_accepts(string line, string[] expected)
    {
        var revision = Read($"revision = 'r1'\n{line}\n");

        revision.DownRevisions.ShouldBe(expected);
    }

    [Fact]
    public void The_last_assignment_wins_as_when_python_runs_the_module()
    {
        var revision = Read("revision = 'r1'\ndown_revision = 'old'\ndown_revision = ('a1', 'b2')\n");

        revision.DownRevisions.ShouldBe(["a1", "b2"]);
    }

    [Fact]
    public void The_docstrings_revises_line_is_not_what_counts()
    {
        var revision = Read(""""
            """fix

            Revision ID: r1
            Revises: somewhere_else
            revision = 'in the docstring'
            """
            revision = 'r1'
            down_revision = 'a1'
            """");

        revision.Id.ShouldBe("r1");
        revision.DownRevisions.ShouldBe(["a1"]);
    }

    [Fact]
    public void Depends_on_and_branch_labels_read_as_strings_or_sequences()
    {
        var revision = Read("revision = 'r1'\ndown_revision = None\nbranch_labels = 'networking'\ndepends_on = ['a1', 'core']\n");

        revision.BranchLabels.ShouldBe(["networking"]);
        revision.DependsOn.ShouldBe(["a1", "core"]);
        revision.IsBase.ShouldBeTrue();
    }

    [Fact]
    public void Code_in_functions_with_f_strings_and_semicolons_does_not_confuse_the_reader()
    {
        var revision = Read(""""
            import sqlalchemy as sa; revision = 'r1'
            down_revision = 'a1'

            def upgrade():
                name = f"{'x'}_{"y"}"
                op.execute(f'''UPDATE t SET a = '{name}' ''')
                down_revision = 'ignored'
            """");

        revision.Id.ShouldBe("r1");
        revision.DownRevisions.ShouldBe(["a1"]);
    }

    [Fact]
    public void A_file_named_by_a_hex_id_without_a_revision_variable_is_a_legacy_revision()
    {
        var revision = Read("down_revision = None\n", "versions/4ab2c9d0.py");

        revision.Id.ShouldBe("4ab2c9d0");
    }

    [Fact]
    public void A_python_file_without_a_revision_fails_naming_the_file()
    {
        var problem = Refuse("def helper():\n    pass\n", "versions/helpers.py");

        problem.ErrorClass.ShouldBe("parse");
        problem.Summary.ShouldContain("helpers.py");
        problem.Facts.ShouldHaveSingleItem().ShouldContain("versions/helpers.py");
    }

    [Fact]
    public void A_down_revision_that_is_not_a_constant_fails_with_its_line()
    {
        var problem = Refuse("revision = 'r1'\ndown_revision = previous.revision\n", "versions/r1.py");

        problem.ErrorClass.ShouldBe("parse");
        problem.Facts[0].ShouldStartWith("versions/r1.py:2: down_revision refers to 'previous'");
    }

    [Fact]
    public void A_missing_down_revision_fails_because_alembic_requires_it()
    {
        var problem = Refuse("revision = 'r1'\n");

        problem.Facts[0].ShouldContain("down_revision");
    }

    [Fact]
    public void An_unterminated_string_fails_with_the_line_it_starts_on()
    {
        var problem = Refuse("revision = 'r1'\ndown_revision = None\n\"\"\"never closed\n");

        problem.Facts[0].ShouldStartWith("versions/x.py:3:");
    }

    [Fact]
    public void A_revision_id_with_characters_alembic_forbids_fails()
    {
        Refuse("revision = 'a-b'\ndown_revision = None\n").Facts[0].ShouldContain("'@', '-' or '+'");
    }

    [Fact]
    public void Labels_given_as_imported_constants_are_skipped_and_said_as_in_openstack_neutron()
    {
        var revision = Read("from neutron.db.migration import cli\n\nrevision = '5abc'\ndown_revision = 'kilo'\nbranch_labels = (cli.EXPAND_BRANCH,)\ndepends_on = ('kilo',)\n", "versions/liberty/expand/5abc.py");

        revision.BranchLabels.ShouldBeEmpty();
        revision.DependsOn.ShouldBe(["kilo"]);
        revision.Skipped.ShouldBe(["versions/liberty/expand/5abc.py:5: branch_labels = ( cli . EXPAND_BRANCH , )"]);
    }
}
