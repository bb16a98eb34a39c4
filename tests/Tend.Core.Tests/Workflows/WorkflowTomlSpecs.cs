using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Workflows;

namespace Tend.Core.Tests.Workflows;

/// <summary>`[workflows.NAME]` and `[actors]` of the stack file, as a user writes them.</summary>
public sealed class WorkflowTomlSpecs
{
    private const string Lint = """
        [components.lint]
        kind = "job"
        command = ["true"]
        [components.lint.commands]
        check = ["ruff", "check", "."]
        """;

    private static StackLoadResult Load(string toml) => StackFileLoader.Parse(toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    private static string Errors(string toml)
    {
        var result = Load(toml);
        result.Succeeded.ShouldBeFalse();
        return string.Join("\n", result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Every_key_of_a_workflow_and_its_steps_is_read()
    {
        var stack = Load(Lint + """

            [actors]
            ruff_checker = ["ruff", "check", "--output-format", "json", "{files}"]
            ai_editor = "lint check"

            [workflows.triage]
            description = "lint, then look"
            inputs = { files = "**/*.py" }
            policy = { max_tokens = 50000, max_cost = 2.5, timeout = "10m", parallel = 3, cache = true }

            [[workflows.triage.steps]]
            id = "lint"
            name = "Fast Linting"
            run = ["ruff", "check", "{files}"]
            with = { files = "src", strict = true, level = 2 }
            retry = { max = 3, backoff = "linear", delay = "2s", on = [75, "transient"] }
            timeout = "5m"
            on_fail = "continue"
            emits = ["out.json", { path = "lint.json", schema = "schemas/lint.schema.json" }]

            [[workflows.triage.steps]]
            id = "check"
            run = "lint check"
            depends_on = { lint = "any" }
            when = "true"

            [[workflows.triage.steps]]
            id = "ai"
            actor = "ai_editor"
            depends_on = ["lint", "check"]
            on_fail = "pause_for_review"
            """).Stack!;

        var workflow = stack.FindWorkflow("triage")!;
        workflow.Format.ShouldBe(WorkflowFormat.Toml);
        (workflow.Source, workflow.Directory, workflow.Description).ShouldBe(("tend.toml", "/tmp", "lint, then look"));
        workflow.Inputs.ShouldBe(new ValueDictionary([new("files", "**/*.py")]));
        workflow.Policy.ShouldBe(new WorkflowPolicy(50000, 2.5m, TimeSpan.FromMinutes(10), 3, true));
        workflow.Location.ShouldBe(new SourceLocation("tend.toml", 10, 1));

        var lint = workflow.Steps[0];
        (lint.Id, lint.Name, lint.Title).ShouldBe(("lint", "Fast Linting", "lint Fast Linting"));
        lint.Run.ShouldBe(new StepRun.Command(["ruff", "check", "{files}"]));
        lint.With.ShouldBe(new ValueDictionary([new("files", "src"), new("strict", "true"), new("level", "2")]));
        lint.Retry.ShouldBe(new RetryPolicy(3, Backoff.Linear, TimeSpan.FromSeconds(2), [75], ["transient"]));
        lint.Timeout.ShouldBe(TimeSpan.FromMinutes(5));
        lint.OnFail.ShouldBe(OnFail.Continue);
        lint.Emits.ShouldBe([new ArtifactSpec("out.json", null), new ArtifactSpec("lint.json", "schemas/lint.schema.json")]);
        lint.Location.ShouldBe(new SourceLocation("tend.toml", 15, 1));

        var check = workflow.Steps[1];
        check.Run.ShouldBe(new StepRun.ComponentCommand("lint", "check"));
        check.DependsOn.ShouldBe([new StepDependency("lint", DependencyCondition.Any)]);
        check.When.ShouldBe("true");
        check.WhenLocation.ShouldBe(new SourceLocation("tend.toml", 29, 9));

        var ai = workflow.Steps[2];
        ai.Run.ShouldBe(new StepRun.Actor("ai_editor", new StepRun.ComponentCommand("lint", "check")));
        ai.DependsOn.Select(d => (d.StepId, d.Condition)).ShouldBe([("lint", DependencyCondition.Succeeded), ("check", DependencyCondition.Succeeded)]);
        ai.OnFail.ShouldBe(OnFail.PauseForReview);

        stack.Actors.ShouldBe([new WorkflowActor("ruff_checker", new StepRun.Command(["ruff", "check", "--output-format", "json", "{files}"])), new WorkflowActor("ai_editor", new StepRun.ComponentCommand("lint", "check"))]);
        stack.FindActor("ruff_checker")!.Location.ShouldBe(new SourceLocation("tend.toml", 7, 1));
    }

    [Fact]
    public void A_step_left_to_its_defaults_stops_the_run_on_failure_and_never_retries()
    {
        var workflow = Load(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]").Stack!.FindWorkflow("w")!;

        var step = workflow.Steps.Single();
        (step.Name, step.When, step.Timeout, step.OnFail).ShouldBe((null, null, null, OnFail.Stop));
        step.Retry.ShouldBe(RetryPolicy.None);
        step.With.ShouldBe(ValueDictionary.Empty);
        step.DependsOn.ShouldBeEmpty();
        step.Emits.ShouldBeEmpty();
        workflow.Policy.ShouldBe(WorkflowPolicy.Default);
        (workflow.Description, workflow.Inputs).ShouldBe((null, ValueDictionary.Empty));
    }

    [Fact]
    public void A_stack_file_without_workflows_loads_as_before()
    {
        var stack = Load(Lint).Stack!;

        stack.Workflows.ShouldBeEmpty();
        stack.Actors.ShouldBeEmpty();
        stack.ShouldBe(Load(Lint).Stack);
    }

    [Fact]
    public void Mistakes_are_errors_at_their_line_and_column()
    {
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\nretyr = { max = 1 }").ShouldContain("tend.toml:9:1: error: unknown key 'retyr' in workflows.w.steps[0] (did you mean 'retry'?)");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\non_fail = \"halt\"").ShouldContain("tend.toml:9:11: error: workflows.w.steps[0].on_fail must be one of \"stop\", \"continue\", \"pause_for_review\", not \"halt\"");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\nretry = { backoff = \"linaer\" }").ShouldContain("(did you mean 'linear'?)");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\ntimeout = \"soon\"").ShouldContain("tend.toml:9:11: error: workflows.w.steps[0].timeout must be a duration");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"").ShouldContain("tend.toml:6:1: error: workflows.w.steps[0] has neither run nor actor");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\nactor = \"x\"").ShouldContain("tend.toml:9:1: error: workflows.w.steps[0] has both run and actor");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = \"lint\"").ShouldContain("tend.toml:8:7: error: workflows.w.steps[0].run must name a component and one of its commands");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\ndepends_on = { b = \"maybe\" }").ShouldContain("workflows.w.steps[0].depends_on.b must be \"succeeded\" or \"any\"");
        Errors(Lint + "\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]\nretry = { on = [300] }").ShouldContain("takes exit codes (0 to 255)");
        Errors(Lint + "\n[workflows.w]\ndescription = \"no steps\"").ShouldContain("tend.toml:6:1: error: workflows.w: missing required key 'steps'");
        Errors(Lint + "\n[actors]\nx = 3").ShouldContain("tend.toml:7:5: error: actors.x must be an argv array or a string \"COMPONENT COMMAND\", not an integer");
    }

    [Fact]
    public void Changing_workflows_or_actors_restarts_nothing()
    {
        var before = Load(Lint + "\n[actors]\nx = [\"a\"]\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"true\"]").Stack!;
        var after = Load(Lint + "\n[actors]\nx = [\"b\"]\n[[workflows.w.steps]]\nid = \"a\"\nrun = [\"false\"]\n[[workflows.v.steps]]\nid = \"b\"\nactor = \"x\"").Stack!;

        before.ShouldNotBe(after);
        StackChanges.Between(before, after).IsEmpty.ShouldBeTrue();
    }
}
