namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary><c>exists</c>, <c>json(path)</c> with its field paths, <c>len</c> and <c>contains</c>.</summary>
public sealed class FunctionSpecs
{
    private const string Report = """
        {"summary": {"errors": 2, "files": 3, "clean": false}, "ratio": 0.25, "tool": "ruff",
         "findings": [{"code": "F401"}, {"code": "E501"}], "codes": ["F401", "E501"], "empty": {},
         "with space": "yes", "nothing": null}
        """;

    private static Condition WithReport() => new Condition().File("artifacts/report.json", Report);

    [Fact]
    public void Exists_is_true_for_a_file_or_a_directory_relative_to_the_workflow()
    {
        using var condition = new Condition().File("artifacts/linting.json", "[]");
        condition.Holds("exists('artifacts/linting.json')").ShouldBeTrue();
        condition.Holds("exists('artifacts')").ShouldBeTrue();
        condition.Holds("exists(\"artifacts/other.json\")").ShouldBeFalse();
        condition.Holds($"exists('../{Path.GetFileName(condition.Directory)}/artifacts')").ShouldBeTrue();
    }

    [Fact]
    public void Exists_takes_an_absolute_path_as_is()
    {
        using var condition = new Condition();
        condition.Holds($"exists('{condition.Directory}')").ShouldBeTrue();
        condition.Holds($"exists('{condition.Directory}/nothing-here')").ShouldBeFalse();
    }

    [Theory]
    [InlineData("json('artifacts/report.json').summary.errors == 2")]
    [InlineData("json('artifacts/report.json').summary.errors > 1")]
    [InlineData("json('artifacts/report.json')['summary']['files'] == 3")]
    [InlineData("json('artifacts/report.json').summary.clean == false")]
    [InlineData("not json('artifacts/report.json').summary.clean")]
    [InlineData("json('artifacts/report.json').ratio < 0.5")]
    [InlineData("json('artifacts/report.json').tool == 'ruff'")]
    [InlineData("json('artifacts/report.json').findings[1].code == 'E501'")]
    [InlineData("json('artifacts/report.json')['with space'] == 'yes'")]
    [InlineData("json('artifacts/report.json').nothing == null")]
    [InlineData("(json('artifacts/report.json').summary).errors == 2")]
    public void Json_reads_a_field_path_into_the_file(string text)
    {
        using var condition = WithReport();
        condition.Holds(text).ShouldBeTrue();
    }

    [Theory]
    [InlineData("json('artifacts/report.json').missing == null")]
    [InlineData("json('artifacts/report.json').missing.deeper == null")]
    [InlineData("json('artifacts/report.json').findings[7] == null")]
    [InlineData("json('artifacts/report.json').nothing.field == null")]
    public void A_missing_field_or_index_is_null(string text)
    {
        using var condition = WithReport();
        condition.Holds(text).ShouldBeTrue();
    }

    [Theory]
    [InlineData("len(json('artifacts/report.json').findings) == 2")]
    [InlineData("len(json('artifacts/report.json').summary) == 3")]
    [InlineData("len(json('artifacts/report.json').empty) == 0")]
    [InlineData("len(json('artifacts/report.json').tool) == 4")]
    [InlineData("len('') == 0")]
    [InlineData("len(\"héllo\") == 5")]
    public void Len_counts_characters_items_and_fields(string text)
    {
        using var condition = WithReport();
        condition.Holds(text).ShouldBeTrue();
    }

    [Theory]
    [InlineData("contains('ruff check', 'check')", true)]
    [InlineData("contains('ruff check', 'Check')", false)]
    [InlineData("contains(json('artifacts/report.json').codes, 'E501')", true)]
    [InlineData("contains(json('artifacts/report.json').codes, 'W291')", false)]
    [InlineData("contains(json('artifacts/report.json').codes, 501)", false)]
    [InlineData("contains(json('artifacts/report.json').tool, 'uf')", true)]
    public void Contains_finds_a_part_of_a_string_or_an_item_of_an_array(string text, bool expected)
    {
        using var condition = WithReport();
        condition.Holds(text).ShouldBe(expected);
    }

    [Fact]
    public void Contains_finds_a_number_among_numbers()
    {
        using var condition = new Condition().File("exit.json", """{"codes": [0, 2, 137]}""");
        condition.Holds("contains(json('exit.json').codes, 137)").ShouldBeTrue();
        condition.Holds("contains(json('exit.json').codes, 1)").ShouldBeFalse();
    }

    [Fact]
    public void A_json_file_that_is_a_single_value_is_that_value()
    {
        using var condition = new Condition().File("count.json", "3\n");
        condition.Holds("json('count.json') == 3").ShouldBeTrue();
    }

    [Fact]
    public void A_byte_order_mark_does_not_stop_json_from_reading()
    {
        using var condition = new Condition().File("bom.json", "\uFEFF{\"ok\": true}");
        condition.Holds("json('bom.json').ok").ShouldBeTrue();
    }
}
