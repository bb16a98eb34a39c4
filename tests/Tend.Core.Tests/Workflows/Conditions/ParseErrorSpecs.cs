namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary>Text that is not a condition: each error points at the offending column and says what was expected.</summary>
public sealed class ParseErrorSpecs
{
    [Theory]
    [InlineData("", 1, "the condition is empty: write one (e.g. steps.build.succeeded), or remove when")]
    [InlineData("   ", 1, "the condition is empty: write one (e.g. steps.build.succeeded), or remove when")]
    [InlineData("exists('a' and (true", 21, "expected ) to close ( at column 16, found the end of the condition")]
    [InlineData("(true and (false)", 18, "expected ) to close ( at column 1, found the end of the condition")]
    [InlineData("exists('a' 'b')", 12, "expected , or ) to close ( at column 7, found the string 'b'")]
    [InlineData("has_error('x.json')", 1, "unknown function has_error — did you mean has_errors?")]
    [InlineData("true and exist('x')", 10, "unknown function exist — did you mean exists?")]
    [InlineData("frobnicate(1)", 1, "unknown function frobnicate — the functions are exists, has_errors, json, len, contains")]
    [InlineData("exists('artifacts/x.json", 8, "unterminated string: the ' at column 8 has no closing '")]
    [InlineData("\"abc", 1, "unterminated string: the \" at column 1 has no closing \"")]
    [InlineData(@"'a\nb' == 'x'", 3, @"unknown escape in a string: only \\, \' and \"" are escapes")]
    [InlineData("1 = 1", 3, "a single = does not compare: write ==")]
    [InlineData("true & false", 6, "a single & is not an operator: write && (or and)")]
    [InlineData("true | false", 6, "a single | is not an operator: write || (or or)")]
    [InlineData("true ; false", 6, "unexpected character ;")]
    [InlineData("1. == 1", 3, "expected a digit after the decimal point")]
    public void Each_mistake_is_reported_at_its_column(string text, int column, string message)
    {
        var error = Condition.ParseErrorOf(text);
        error.Message.ShouldBe(message);
        error.Column.ShouldBe(column);
    }

    [Theory]
    [InlineData("true false", 6, "expected and, or or the end of the condition, found false")]
    [InlineData("true and", 9, "expected a value (a string, a number, steps.ID.outcome or a function such as exists(...)), found the end of the condition")]
    [InlineData("== 1", 1, "expected a value (a string, a number, steps.ID.outcome or a function such as exists(...)), found ==")]
    [InlineData("and true", 1, "expected a value before and")]
    [InlineData("1 < 2 < 3", 7, "comparisons do not chain: join two with and (a < b and b < c)")]
    [InlineData("ture", 1, "unknown name ture — did you mean true?")]
    [InlineData("failed == steps.a.outcome", 1, "unknown name failed — a string needs quotes: 'failed'")]
    [InlineData("exists()", 1, "exists takes 1 argument (exists(path)), found 0")]
    [InlineData("contains('a')", 1, "contains takes 2 arguments (contains(haystack, needle)), found 1")]
    [InlineData("len('a', 'b') == 1", 1, "len takes 1 argument (len(value)), found 2")]
    public void A_misplaced_or_unknown_word_is_reported_at_its_column(string text, int column, string message)
    {
        var error = Condition.ParseErrorOf(text);
        error.Message.ShouldBe(message);
        error.Column.ShouldBe(column);
    }

    [Theory]
    [InlineData("steps", 6, "expected .ID.outcome or ['ID'].outcome after steps")]
    [InlineData("steps.build", 12, "expected .outcome, .succeeded or .failed after steps.build")]
    [InlineData("steps.outcome", 7, "expected a step id after steps.")]
    [InlineData("steps..outcome", 7, "expected a step id after steps.")]
    [InlineData("steps.build.status == 'ok'", 13, "expected outcome, succeeded or failed after steps.build., found status")]
    [InlineData("steps.1.001.outcom == 'failed'", 13, "expected outcome, succeeded or failed after steps.1.001., found outcom")]
    [InlineData("steps.a..b.outcome", 7, "a step id has no empty part between dots: a..b")]
    [InlineData("steps[1.001].outcome", 7, "expected the step id in quotes after steps[, found 1.001")]
    [InlineData("steps['1.001'.outcome", 14, "expected ] after steps['1.001', found .")]
    [InlineData("steps['1.001'] == 'x'", 16, "expected .outcome, .succeeded or .failed after steps['1.001'], found ==")]
    [InlineData("steps['1.001'].state", 16, "expected outcome, succeeded or failed after steps.1.001., found state")]
    [InlineData("steps[''].failed", 7, "the step id is empty")]
    public void A_malformed_step_reference_is_reported_at_its_column(string text, int column, string message)
    {
        var error = Condition.ParseErrorOf(text);
        error.Message.ShouldBe(message);
        error.Column.ShouldBe(column);
    }

    [Theory]
    [InlineData("json('a.json').", 16, "expected a field name after ., found the end of the condition (write ['name'] for a name with spaces, [0] for an index)")]
    [InlineData("json('a.json').0 == 1", 16, "expected a field name after ., found 0 (write ['name'] for a name with spaces, [0] for an index)")]
    [InlineData("json('a.json')[-1] == 1", 16, "expected a field name in quotes or an index from 0 after [, found -1")]
    [InlineData("json('a.json')[1.5] == 1", 16, "expected a field name in quotes or an index from 0 after [, found 1.5")]
    [InlineData("json('a.json')['x' == 1", 20, "expected ] to close [ at column 15, found ==")]
    public void A_malformed_field_path_is_reported_at_its_column(string text, int column, string message)
    {
        var error = Condition.ParseErrorOf(text);
        error.Message.ShouldBe(message);
        error.Column.ShouldBe(column);
    }

    [Fact]
    public void Nesting_too_deep_is_an_error_rather_than_a_crash()
    {
        var error = Condition.ParseErrorOf(new string('(', 5000) + "true" + new string(')', 5000));
        error.Message.ShouldBe("nested more than 64 deep");
        error.Column.ShouldBe(65);

        Condition.ParseErrorOf(string.Concat(Enumerable.Repeat("not ", 5000)) + "true").Message.ShouldBe("nested more than 64 deep");
    }

    [Fact]
    public void Nesting_within_the_limit_parses()
    {
        using var condition = new Condition();
        condition.Holds(new string('(', 60) + "true" + new string(')', 60)).ShouldBeTrue();
    }
}
