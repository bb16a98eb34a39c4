namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary>Literals, and/or/not in both spellings, comparisons and precedence.</summary>
public sealed class OperatorSpecs
{
    private static bool Holds(string text)
    {
        using var condition = new Condition();
        return condition.Holds(text);
    }

    [Theory]
    [InlineData("true", true)]
    [InlineData("false", false)]
    [InlineData("  true  ", true)]
    [InlineData("(true)", true)]
    [InlineData("((false))", false)]
    public void A_literal_boolean_is_its_value(string text, bool expected) => Holds(text).ShouldBe(expected);

    [Theory]
    [InlineData("true and true", true)]
    [InlineData("true and false", false)]
    [InlineData("false and true", false)]
    [InlineData("true && false", false)]
    [InlineData("true&&true", true)]
    [InlineData("false or false", false)]
    [InlineData("false or true", true)]
    [InlineData("true || false", true)]
    [InlineData("false||false", false)]
    [InlineData("not true", false)]
    [InlineData("not false", true)]
    [InlineData("!true", false)]
    [InlineData("!!true", true)]
    [InlineData("not not false", false)]
    public void And_or_and_not_work_in_words_and_in_symbols(string text, bool expected) => Holds(text).ShouldBe(expected);

    [Theory]
    [InlineData("true or true and false", true)]
    [InlineData("(true or true) and false", false)]
    [InlineData("false and true or true", true)]
    [InlineData("false and (true or true)", false)]
    [InlineData("not false and false", false)]
    [InlineData("not (false and false)", true)]
    [InlineData("1 == 1 and 2 == 3", false)]
    [InlineData("1 == 2 or 2 == 2", true)]
    [InlineData("!true == false", true)]
    public void Not_binds_tighter_than_comparison_which_binds_tighter_than_and_which_binds_tighter_than_or(string text, bool expected) =>
        Holds(text).ShouldBe(expected);

    [Theory]
    [InlineData("3 == 3", true)]
    [InlineData("3 == 3.0", true)]
    [InlineData("3 != 4", true)]
    [InlineData("2 < 10", true)]
    [InlineData("10 < 2", false)]
    [InlineData("2.5 <= 2.5", true)]
    [InlineData("2.5 > 2.4", true)]
    [InlineData("-1 < 0", true)]
    [InlineData("-1.5 >= -1.5", true)]
    public void Numbers_compare_numerically(string text, bool expected) => Holds(text).ShouldBe(expected);

    [Theory]
    [InlineData("'abc' == \"abc\"", true)]
    [InlineData("'abc' == 'ABC'", false)]
    [InlineData("'abc' != 'abd'", true)]
    [InlineData("'10' < '9'", true)]
    [InlineData("'B' < 'a'", true)]
    [InlineData("'b' >= 'a'", true)]
    public void Strings_compare_ordinally(string text, bool expected) => Holds(text).ShouldBe(expected);

    [Theory]
    [InlineData("1 == '1'", false)]
    [InlineData("1 != '1'", true)]
    [InlineData("true == 'true'", false)]
    [InlineData("null == false", false)]
    [InlineData("null == null", true)]
    [InlineData("0 == null", false)]
    [InlineData("true == true", true)]
    [InlineData("false != true", true)]
    public void Equality_across_types_is_false(string text, bool expected) => Holds(text).ShouldBe(expected);

    [Theory]
    [InlineData(@"'it\'s' == ""it's""", true)]
    [InlineData(@"""say \""hi\"""" == 'say ""hi""'", true)]
    [InlineData(@"'a\\b' == ""a\\b""", true)]
    [InlineData(@"len('a\\b') == 3", true)]
    [InlineData(@"len('it\'s') == 4", true)]
    public void Strings_take_backslash_escapes_of_quotes_and_backslashes(string text, bool expected) => Holds(text).ShouldBe(expected);

    [Fact]
    public void Not_applies_to_the_value_right_after_it_not_to_a_comparison()
    {
        using var condition = new Condition().Ended("lint", Tend.Core.Workflows.Conditions.StepOutcome.Failed);
        condition.ErrorOf("not steps.lint.outcome == 'failed'").ShouldStartWith("not takes true or false, not the string 'failed'");
        condition.Holds("not (steps.lint.outcome == 'succeeded')").ShouldBeTrue();
    }

    [Fact]
    public void And_does_not_evaluate_its_right_side_when_its_left_is_false()
    {
        using var condition = new Condition();
        condition.Holds("false and json('missing.json').ok").ShouldBeFalse();
        condition.Holds("true or json('missing.json').ok").ShouldBeTrue();
    }
}
