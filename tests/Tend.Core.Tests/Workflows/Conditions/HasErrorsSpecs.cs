namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary><c>has_errors(path)</c> on the reports linters write.</summary>
public sealed class HasErrorsSpecs
{
    private static bool HasErrors(string content)
    {
        using var condition = new Condition().File("artifacts/linting.json", content);
        return condition.Holds("has_errors('artifacts/linting.json')");
    }

    [Fact]
    public void Ruff_finding_something_has_errors() => HasErrors(LintSamples.Ruff).ShouldBeTrue();

    [Fact]
    public void Ruff_finding_nothing_has_none() => HasErrors(LintSamples.RuffClean).ShouldBeFalse();

    [Fact]
    public void Mypy_json_lines_with_an_error_has_errors() => HasErrors(LintSamples.Mypy).ShouldBeTrue();

    [Fact]
    public void Mypy_json_lines_with_notes_only_has_none() => HasErrors(LintSamples.MypyNotesOnly).ShouldBeFalse();

    [Fact]
    public void A_single_mypy_line_that_is_an_error_has_errors() =>
        HasErrors(LintSamples.Mypy.Split('\n')[0]).ShouldBeTrue();

    [Fact]
    public void Eslint_reports_are_judged_by_their_error_counts()
    {
        HasErrors(LintSamples.EslintClean).ShouldBeFalse();
        HasErrors(LintSamples.Eslint).ShouldBeTrue();
    }

    [Theory]
    [InlineData("""{"errors": [{"file": "a.py", "message": "bad"}], "warnings": []}""", true)]
    [InlineData("""{"errors": [], "warnings": [{"file": "a.py"}]}""", false)]
    [InlineData("""{"errors": 2}""", true)]
    [InlineData("""{"errors": 0}""", false)]
    [InlineData("""{"error_count": 1}""", true)]
    [InlineData("""{"errorCount": 3}""", true)]
    [InlineData("""{"errorCount": 0, "warningCount": 5}""", false)]
    [InlineData("""{"summary": {"errors": 1}}""", true)]
    [InlineData("""{"summary": {"error_count": 4}}""", true)]
    [InlineData("""{"summary": {"errors": 0, "warnings": 7}}""", false)]
    [InlineData("""{"diagnostics": [{"severity": "warning"}, {"severity": "ERROR"}]}""", true)]
    [InlineData("""{"diagnostics": [{"severity": "warning"}, {"level": "note"}]}""", false)]
    [InlineData("""{"messages": [{"text": "no severity at all"}]}""", true)]
    [InlineData("""{"results": [{"level": "error"}]}""", true)]
    [InlineData("""{"results": []}""", false)]
    [InlineData("""{"status": "ok"}""", false)]
    [InlineData("""{}""", false)]
    [InlineData("""["E501 line too long"]""", true)]
    [InlineData("""[{"severity": "warning"}]""", false)]
    public void An_object_has_errors_by_its_errors_its_counts_its_summary_or_its_diagnostics(string content, bool expected) =>
        HasErrors(content).ShouldBe(expected);

    [Theory]
    [InlineData("")]
    [InlineData("  \n\n")]
    public void An_empty_report_has_none(string content) => HasErrors(content).ShouldBeFalse();

    [Fact]
    public void A_missing_report_has_none()
    {
        using var condition = new Condition();
        condition.Holds("has_errors('artifacts/linting.json')").ShouldBeFalse();
    }

    [Fact]
    public void A_report_that_is_not_json_cannot_be_judged_and_the_error_names_the_file_and_the_place()
    {
        using var condition = new Condition().File("lint.json", "app.py:1:1: F401 'os' imported but unused\n");
        condition.ErrorOf("has_errors('lint.json')").ShouldBe("has_errors: lint.json is not JSON: 'a' is an invalid start of a value (line 1, column 1)");
    }

    [Fact]
    public void A_bad_line_in_json_lines_is_named_by_its_number()
    {
        using var condition = new Condition().File("mypy.json", LintSamples.Mypy.Split('\n')[0] + "\nnot json\n");
        condition.ErrorOf("has_errors('mypy.json')").ShouldStartWith("has_errors: mypy.json is neither JSON nor JSON Lines: line 2: ");
    }

    [Fact]
    public void An_absolute_path_is_read_as_is()
    {
        using var condition = new Condition().File("reports/lint.json", LintSamples.Ruff);
        condition.Holds($"has_errors('{Path.Combine(condition.Directory, "reports/lint.json")}')").ShouldBeTrue();
    }
}
