namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary>Conditions that parse but cannot be decided: each says why, and decides nothing.</summary>
public sealed class EvaluationErrorSpecs
{
    private static string ErrorOf(string text)
    {
        using var condition = new Condition()
            .File("artifacts/report.json", """{"errors": 3, "tool": "ruff", "items": [1, 2], "summary": {"errors": 1}}""")
            .File("artifacts/broken.json", "{\"errors\": 3,\n \"tool\": }")
            .File("artifacts/text.txt", "plain words");
        return condition.ErrorOf(text);
    }

    [Theory]
    [InlineData("3", "when must be true or false, this is the number 3")]
    [InlineData("2.5", "when must be true or false, this is the number 2.5")]
    [InlineData("'yes'", "when must be true or false, this is the string 'yes'")]
    [InlineData("null", "when must be true or false, this is null")]
    [InlineData("json('artifacts/report.json').errors", "when must be true or false, this is the number 3")]
    [InlineData("json('artifacts/report.json').items", "when must be true or false, this is an array of 2 items")]
    [InlineData("json('artifacts/report.json').summary", "when must be true or false, this is an object with 1 fields")]
    public void A_result_that_is_not_a_boolean_is_an_error_that_names_it(string text, string message) => ErrorOf(text).ShouldBe(message);

    [Theory]
    [InlineData("1 < 'a'", "< compares two numbers or two strings, not the number 1 and the string 'a'")]
    [InlineData("null >= 0", ">= compares two numbers or two strings, not null and the number 0")]
    [InlineData("true > false", "> compares two numbers or two strings, not true and false")]
    public void Ordering_across_types_is_an_error(string text, string message) => ErrorOf(text).ShouldBe(message);

    [Fact]
    public void An_array_or_object_compares_only_through_len() =>
        ErrorOf("json('artifacts/report.json').items == 2").ShouldBe("== does not compare an array of 2 items: compare len(...) or a field of it");

    [Theory]
    [InlineData("json('artifacts/missing.json').errors > 0", "json: artifacts/missing.json does not exist")]
    [InlineData("json('artifacts').errors > 0", "json: artifacts is a directory, not a file")]
    [InlineData("json('artifacts/broken.json').errors > 0", "json: artifacts/broken.json is not JSON: '}' is an invalid start of a value (line 2, column 10)")]
    [InlineData("json('artifacts/text.txt').errors > 0", "json: artifacts/text.txt is not JSON: 'p' is an invalid start of a value (line 1, column 1)")]
    public void Json_of_a_missing_or_broken_file_is_an_error_that_names_the_file_and_the_problem(string text, string message) =>
        ErrorOf(text).ShouldBe(message);

    [Theory]
    [InlineData("not 'x'", "not takes true or false, not the string 'x' (not binds tighter than ==: write not (a == b))")]
    [InlineData("1 and true", "and takes true or false on each side; its left side is the number 1")]
    [InlineData("true and 'x'", "and takes true or false on each side; its right side is the string 'x'")]
    [InlineData("false or null", "or takes true or false on each side; its right side is null")]
    public void Logic_on_something_other_than_booleans_is_an_error(string text, string message) => ErrorOf(text).ShouldBe(message);

    [Theory]
    [InlineData("len(3) == 1", "len takes a string, an array or an object, not the number 3")]
    [InlineData("contains(3, 'a')", "contains looks in a string or an array, not in the number 3")]
    [InlineData("contains('abc', 1)", "contains looks for a string in a string, not for the number 1")]
    [InlineData("exists(3)", "exists takes a path as a string, not the number 3")]
    [InlineData("has_errors('')", "has_errors takes a path as a string, not the string ''")]
    public void A_function_given_the_wrong_kind_of_value_says_what_it_takes(string text, string message) => ErrorOf(text).ShouldBe(message);

    [Theory]
    [InlineData("json('artifacts/report.json').tool.name == 'x'", "['name'] cannot be read from the string 'ruff'")]
    [InlineData("json('artifacts/report.json').items.first == 1", "['first'] reads a field, but this is an array of 2 items: write [0] for an item")]
    [InlineData("json('artifacts/report.json')[0] == 1", "[0] cannot be read from an object with 4 fields")]
    public void Reading_into_something_that_has_no_such_part_is_an_error(string text, string message) => ErrorOf(text).ShouldBe(message);

    [Fact]
    public void An_error_inside_or_is_not_hidden_by_a_true_right_side() =>
        ErrorOf("json('artifacts/missing.json').ok or true").ShouldBe("json: artifacts/missing.json does not exist");
}
