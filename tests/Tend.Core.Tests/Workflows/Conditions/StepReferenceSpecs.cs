using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary><c>steps.ID.outcome</c> and its forms, with the orchestrator's dotted ids.</summary>
public sealed class StepReferenceSpecs
{
    [Theory]
    [InlineData(StepOutcome.Succeeded, "succeeded")]
    [InlineData(StepOutcome.Failed, "failed")]
    [InlineData(StepOutcome.Skipped, "skipped")]
    [InlineData(StepOutcome.Omitted, "omitted")]
    public void The_outcome_of_a_step_that_ended_is_its_name_in_lower_case(StepOutcome outcome, string name)
    {
        using var condition = new Condition().Ended("lint", outcome);
        condition.Holds($"steps.lint.outcome == '{name}'").ShouldBeTrue();
    }

    [Theory]
    [InlineData("steps.1.001.outcome == 'failed'")]
    [InlineData("steps['1.001'].outcome == 'failed'")]
    [InlineData("steps[\"1.001\"].outcome == 'failed'")]
    [InlineData("steps.1.001.failed")]
    [InlineData("not steps.1.001.succeeded")]
    [InlineData("steps[ '1.001' ].failed")]
    public void A_dotted_id_of_the_orchestrator_reads_in_each_form(string text)
    {
        using var condition = new Condition().Ended("1.001", StepOutcome.Failed).Ended("1", StepOutcome.Succeeded);
        condition.Holds(text).ShouldBeTrue();
    }

    [Theory]
    [InlineData(StepOutcome.Succeeded, true, false)]
    [InlineData(StepOutcome.Failed, false, true)]
    [InlineData(StepOutcome.Skipped, false, false)]
    [InlineData(StepOutcome.Omitted, false, false)]
    public void Succeeded_and_failed_are_booleans(StepOutcome outcome, bool succeeded, bool failed)
    {
        using var condition = new Condition().Ended("build-app", outcome);
        condition.Holds("steps.build-app.succeeded").ShouldBe(succeeded);
        condition.Holds("steps.build-app.failed").ShouldBe(failed);
    }

    [Fact]
    public void The_steps_a_condition_reads_are_listed_once_each_in_the_order_written()
    {
        var (expression, _) = WhenExpression.Parse("steps.2.001.failed or (steps['1.001'].outcome == 'skipped' and steps.lint.succeeded) or steps.2.001.succeeded");
        expression.ShouldNotBeNull().StepsRead.ShouldBe(["2.001", "1.001", "lint"]);
    }

    [Fact]
    public void A_condition_without_steps_reads_none()
    {
        var (expression, _) = WhenExpression.Parse("exists('x') and true");
        expression.ShouldNotBeNull().StepsRead.ShouldBeEmpty();
    }

    [Fact]
    public void A_step_that_has_not_ended_cannot_be_read()
    {
        using var condition = new Condition().Ended("1.001", StepOutcome.Succeeded);
        condition.ErrorOf("steps.1.002.succeeded").ShouldBe("steps.1.002: step 1.002 has not ended yet (or there is no such step)");
    }
}
