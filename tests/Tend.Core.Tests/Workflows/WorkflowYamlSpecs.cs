using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows;

namespace Tend.Core.Tests.Workflows;

/// <summary>The orchestrator's YAML format, read as it is written, into the same model as `[workflows.NAME]`.</summary>
public sealed class WorkflowYamlSpecs : IDisposable
{
    /// <summary>The runbook's example, as its users have it.</summary>
    public const string Triage = """
        name: "Optimized Python Triage"
        policy:
          max_tokens: 50000
          prefer_deterministic: true
          enable_caching: true
          parallel_execution: true
        steps:
          - id: "1.001"
            name: "Fast Linting"
            actor: "ruff_checker"  # Deterministic
            with:
              files: "**/*.py"
              parallel: true
          - id: "1.002"
            name: "Type Checking"
            actor: "mypy_checker"  # Deterministic
            depends_on: []  # Can run in parallel with linting
          - id: "2.001"
            name: "AI Analysis"
            actor: "ai_editor"  # Only for complex issues
            depends_on: ["1.001", "1.002"]
            when: "has_errors('artifacts/linting.json')"
        """;

    public const string Actors = """
        [components.agent]
        kind = "job"
        command = ["true"]
        [components.agent.commands]
        edit = ["true"]

        [actors]
        ruff_checker = ["ruff", "check", "--output-format", "json", "{files}"]
        mypy_checker = ["mypy", "."]
        ai_editor = "agent edit"
        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private string Write(string name, string text)
    {
        var path = Path.Combine(_directory.Path, name);
        File.WriteAllText(path, text);
        return path;
    }

    private StackFile Stack(string toml = Actors) => StackFileLoader.Load(Write("tend.toml", toml)).Stack!;

    [Fact]
    public void The_runbooks_example_reads_with_every_key_where_it_was_written()
    {
        var path = Write("triage.yaml", Triage.Replace("has_errors('artifacts/linting.json')", "true", StringComparison.Ordinal));
        var stack = Stack();

        var load = WorkflowLoader.Load(path, stack);

        load.Problems.ShouldBeEmpty();
        var workflow = load.Workflow!;
        (workflow.Name, workflow.Format, workflow.Source, workflow.Directory).ShouldBe(("Optimized Python Triage", WorkflowFormat.Yaml, path, _directory.Path));
        workflow.Policy.ShouldBe(new WorkflowPolicy(50000, null, null, WorkflowPolicy.DefaultParallel, true));
        workflow.Steps.Select(s => s.Id).ShouldBe(["1.001", "1.002", "2.001"]);

        var lint = workflow.Steps[0];
        lint.Title.ShouldBe("1.001 Fast Linting");
        lint.Location.ShouldBe(new SourceLocation(path, 8, 5));
        lint.Run.ShouldBe(new StepRun.Actor("ruff_checker", new StepRun.Command(["ruff", "check", "--output-format", "json", "{files}"])));
        lint.With.ShouldBe(new ValueDictionary([new("files", "**/*.py"), new("parallel", "true")]));

        workflow.Steps[1].DependsOn.ShouldBeEmpty();
        var ai = workflow.Steps[2];
        ai.Run.ShouldBe(new StepRun.Actor("ai_editor", new StepRun.ComponentCommand("agent", "edit")));
        ai.DependsOn.Select(d => d.StepId).ShouldBe(["1.001", "1.002"]);
        ai.DependsOn[1].Location.ShouldBe(new SourceLocation(path, 21, 28));
        ai.When.ShouldBe("true");
        ai.WhenLocation.ShouldBe(new SourceLocation(path, 22, 12));
    }

    [Fact]
    public void The_orchestrators_policy_words_mean_tends()
    {
        var path = Write("w.yaml", """
            policy:
              parallel_execution: false
              timeout_minutes: 30
              max_cost: 3
            steps:
              - id: "1.001"
                run: ["true"]
                timeout: 90
                timeout_minutes: 2
              - id: "1.002"
                run: ["true"]
                timeout: "5m"
                retry: { max: 2, delay: "1s", on: [75, "transient"] }
                emits: ["out.json"]
                on_fail: continue
            """);

        var workflow = WorkflowLoader.Load(path, null).Workflow!;

        workflow.Name.ShouldBe("w");
        workflow.Policy.ShouldBe(new WorkflowPolicy(null, 3m, TimeSpan.FromMinutes(30), 1, false));
        workflow.Steps[0].Timeout.ShouldBe(TimeSpan.FromMinutes(2));
        workflow.Steps[1].Timeout.ShouldBe(TimeSpan.FromMinutes(5));
        workflow.Steps[1].Retry.ShouldBe(new RetryPolicy(2, Backoff.Exponential, TimeSpan.FromSeconds(1), [75], ["transient"]));
        workflow.Steps[1].OnFail.ShouldBe(OnFail.Continue);
        workflow.Directory.ShouldBe(Environment.CurrentDirectory);
    }

    [Fact]
    public void A_dollar_in_YAML_is_text_not_a_variable()
    {
        var path = Write("w.yaml", "steps:\n  - id: \"1.001\"\n    run: [\"echo\", \"${HOME} costs $5\"]\n");

        WorkflowLoader.Load(path, null).Workflow!.Steps[0].Run.ShouldBe(new StepRun.Command(["echo", "${HOME} costs $5"]));
    }

    [Theory]
    [InlineData("steps:\n  - id: \"1.001\"\n    run: [\"true\"]\n    retyr: {}\n", "4:5: error: unknown key 'retyr' in steps[0] (did you mean 'retry'?)")]
    [InlineData("steps:\n  - id: 1.001\n    run: [\"true\"]\n", "2:9: error: steps[0].id must be a string, not a number")]
    [InlineData("steps:\n  - id: \"1.001\"\n\trun: [\"true\"]\n", "error: invalid YAML")]
    [InlineData("steps: [\n", "error: invalid YAML")]
    [InlineData("name: x\nname: y\nsteps: []\n", "2:1: error: ")]
    [InlineData("- id: \"1.001\"\n", "1:1: error: a workflow file must be a mapping")]
    [InlineData("steps:\n  - id: \"1.001\"\n    run: [\"true\"]\n    on_fail: later\n", "4:14: error: steps[0].on_fail must be one of")]
    public void Mistakes_are_errors_at_their_line_and_column(string yaml, string expected)
    {
        var path = Write("w.yaml", yaml);

        var load = WorkflowLoader.Load(path, null);

        load.Succeeded.ShouldBeFalse();
        string.Join("\n", load.Problems).ShouldContain($"{(expected.StartsWith("error", StringComparison.Ordinal) ? "" : path + ":")}{expected}");
    }

    [Fact]
    public void A_missing_file_and_an_unknown_name_are_problems_not_crashes()
    {
        WorkflowLoader.Load(Path.Combine(_directory.Path, "none.yaml"), null).Problems.Single().Message.ShouldBe("workflow file not found");
        WorkflowLoader.Load("triage", null).Problems.Single().Message.ShouldContain("no stack file");

        var stack = StackFileLoader.Load(Write("tend.toml", Actors + "\n[[workflows.triage.steps]]\nid = \"a\"\nrun = [\"true\"]\n")).Stack!;
        var unknown = WorkflowLoader.Load("traige", stack).Problems.Single();
        unknown.Message.ShouldBe("the stack file has no workflow 'traige'");
        unknown.Hint.ShouldBe("did you mean 'triage'?");
        WorkflowLoader.Load("triage", stack).Succeeded.ShouldBeTrue();
    }
}
