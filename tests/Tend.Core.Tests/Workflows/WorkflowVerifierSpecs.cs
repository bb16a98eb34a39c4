using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows;

namespace Tend.Core.Tests.Workflows;

/// <summary>`tend workflow verify`'s checks: each problem a user can make, at its place.</summary>
public sealed class WorkflowVerifierSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private (string Path, string Problems) Verify(string yaml, string? toml = WorkflowYamlSpecs.Actors)
    {
        var path = Path.Combine(_directory.Path, "w.yaml");
        File.WriteAllText(path, yaml);
        StackFile? stack = null;
        if (toml is not null)
        {
            File.WriteAllText(Path.Combine(_directory.Path, "tend.toml"), toml);
            stack = StackFileLoader.Load(Path.Combine(_directory.Path, "tend.toml")).Stack!;
        }

        var load = WorkflowLoader.Load(path, stack);
        return (path, string.Join("\n", load.Problems));
    }

    private static string Steps(params string[] steps) => "steps:\n" + string.Concat(steps.Select(s => s + "\n"));

    [Fact]
    public void The_runbooks_example_verifies_clean_given_its_actors()
    {
        var (_, problems) = Verify(WorkflowYamlSpecs.Triage.Replace("has_errors('artifacts/linting.json')", "true", StringComparison.Ordinal));

        problems.ShouldBeEmpty();
    }

    [Fact]
    public void Duplicate_ids_are_named_with_the_first_place()
    {
        var (path, problems) = Verify(Steps("  - id: \"1.001\"\n    actor: ruff_checker", "  - id: \"1.001\"\n    actor: mypy_checker"));

        problems.ShouldContain($"{path}:4:5: error: step id '1.001' is used twice (first at {path}:2:5)");
    }

    [Fact]
    public void An_unknown_dependency_gets_the_closest_id()
    {
        var (path, problems) = Verify(Steps("  - id: \"1.001\"\n    actor: ruff_checker", "  - id: \"1.002\"\n    actor: mypy_checker\n    depends_on: [\"1.01\"]"));

        problems.ShouldContain($"{path}:6:19: error: step 1.002 depends on '1.01', which is not a step of this workflow (did you mean '1.001'?)");
    }

    [Fact]
    public void A_cycle_is_printed_along_the_cycle_at_its_first_step()
    {
        var (path, problems) = Verify(Steps(
            "  - id: \"1.001\"\n    actor: ruff_checker\n    depends_on: [\"1.003\"]",
            "  - id: \"1.002\"\n    actor: ruff_checker\n    depends_on: [\"1.001\"]",
            "  - id: \"1.003\"\n    actor: ruff_checker\n    depends_on: [\"1.002\"]"));

        problems.ShouldContain($"{path}:2:5: error: dependency cycle: 1.001 → 1.003 → 1.002 → 1.001");
    }

    [Fact]
    public void A_step_that_depends_on_itself_is_told_so()
    {
        var (path, problems) = Verify(Steps("  - id: \"1.001\"\n    actor: ruff_checker\n    depends_on: \"1.001\""));

        problems.ShouldContain($"{path}:4:18: error: step 1.001 depends on itself");
        problems.ShouldNotContain("cycle");
    }

    [Fact]
    public void A_condition_that_does_not_parse_points_into_the_expression()
    {
        var (path, problems) = Verify(Steps("  - id: \"1.001\"\n    actor: ruff_checker\n    when: \"maybe\""));

        problems.ShouldContain($"{path}:4:12: error: step 1.001: when does not parse:");
    }

    [Fact]
    public void Step_ids_of_the_YAML_format_are_X_dot_YYY_and_those_of_TOML_are_free()
    {
        Verify(Steps("  - id: \"lint\"\n    actor: ruff_checker")).Problems.ShouldContain("step id 'lint' is not in the X.YYY form");
        Verify(Steps("  - id: \"1.01\"\n    actor: ruff_checker")).Problems.ShouldContain("step id '1.01' is not in the X.YYY form");
        Verify(Steps("  - id: \"12.345\"\n    actor: ruff_checker")).Problems.ShouldBeEmpty();

        var stack = StackFileLoader.Parse("[components.x]\ncommand = [\"true\"]\n[[workflows.w.steps]]\nid = \"lint\"\nrun = [\"true\"]", "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems()).Stack!;
        WorkflowVerifier.Verify(stack.FindWorkflow("w")!, stack).ShouldBeEmpty();
    }

    [Fact]
    public void An_actor_that_does_not_resolve_lists_the_known_ones()
    {
        Verify(Steps("  - id: \"1.001\"\n    actor: ruff_chekcer")).Problems.ShouldContain("actor 'ruff_chekcer' is not in the stack's [actors] (did you mean 'ruff_checker'?)");
        Verify(Steps("  - id: \"1.001\"\n    actor: pylint")).Problems.ShouldContain("(actors are: ruff_checker, mypy_checker, ai_editor)");
        Verify(Steps("  - id: \"1.001\"\n    actor: pylint"), "[components.x]\ncommand = [\"true\"]").Problems.ShouldContain("the stack file has no [actors] table");
        Verify(Steps("  - id: \"1.001\"\n    actor: pylint"), null).Problems.ShouldContain("there is no stack file with an [actors] table");
    }

    [Fact]
    public void A_component_command_must_exist()
    {
        Verify(Steps("  - id: \"1.001\"\n    run: \"agnet edit\"")).Problems.ShouldContain("'agnet' is not a component of this stack (did you mean 'agent'?)");
        Verify(Steps("  - id: \"1.001\"\n    run: \"agent review\"")).Problems.ShouldContain("agent has no command 'review' (its commands are: edit)");
        Verify(Steps("  - id: \"1.001\"\n    run: \"agent edit --all\"")).Problems.ShouldBeEmpty();
        Verify(Steps("  - id: \"1.001\"\n    actor: x"), WorkflowYamlSpecs.Actors + "\nx = \"agent nope\"").Problems.ShouldContain("agent has no command 'nope'");
    }

    [Fact]
    public void Retry_timeout_policy_and_schemas_must_make_sense()
    {
        var (path, problems) = Verify("policy:\n  parallel: 0\n" + Steps(
            "  - id: \"1.001\"\n    actor: ruff_checker\n    retry: { max: -1, delay: \"0s\" }\n    emits: [{ path: out.json, schema: schemas/none.json }]"));

        problems.ShouldContain($"{path}:1:1: error: policy.parallel must be 1 or more, not 0");
        problems.ShouldContain($"{path}:4:5: error: step 1.001: retry.max must be 0 or more, not -1");
        problems.ShouldContain($"{path}:4:5: error: step 1.001: retry.delay must be longer than zero");
        problems.ShouldContain($"{path}:7:13: error: step 1.001: the schema of out.json, schemas/none.json, does not exist");

        Directory.CreateDirectory(Path.Combine(_directory.Path, "schemas"));
        File.WriteAllText(Path.Combine(_directory.Path, "schemas", "none.json"), "{}");
        Verify(Steps("  - id: \"1.001\"\n    actor: ruff_checker\n    emits: [{ path: out.json, schema: schemas/none.json }]")).Problems.ShouldBeEmpty();
    }

    [Fact]
    public void Levels_follow_the_dependencies()
    {
        var path = Path.Combine(_directory.Path, "w.yaml");
        File.WriteAllText(path, WorkflowYamlSpecs.Triage.Replace("has_errors('artifacts/linting.json')", "true", StringComparison.Ordinal));

        var levels = WorkflowLevels.Of(WorkflowLoader.Load(path, null).Workflow!);

        levels.Select(l => l.Select(s => s.Id)).ShouldBe([["1.001", "1.002"], ["2.001"]]);
    }
}
