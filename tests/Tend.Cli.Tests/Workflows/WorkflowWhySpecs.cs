using Shouldly;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;
using Xunit;

namespace Tend.Cli.Tests.Workflows;

/// <summary>`tend why` on workflow runs through the built binary: a failed step, an omitted one, an unknown name; and a step whose component's pre-flight fails never starts.</summary>
public sealed class WorkflowWhySpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public WorkflowWhySpecs()
    {
        // db listens nowhere: migrate requires it, so its pre-flight fails.
        _directory.Write("tend.toml", $$"""
            [components.db]
            kind = "external"
            health = { tcp = "127.0.0.1:{{LocalServer.FreePort()}}" }

            [components.migrate]
            command = ["sleep", "600"]
            requires = ["db"]

            [components.migrate.commands]
            up = { argv = ["touch", "migrated.marker"] }

            [workflows.flow]
            [[workflows.flow.steps]]
            id = "lint"
            run = ["sh", "-c", "echo 'lint.py:3: undefined name x' >&2; exit 3"]

            [[workflows.flow.steps]]
            id = "build"
            run = ["true"]
            depends_on = ["lint"]

            [[workflows.flow.steps]]
            id = "ship"
            run = ["true"]
            depends_on = ["build"]

            [workflows.deploy]
            [[workflows.deploy.steps]]
            id = "migrate"
            run = "migrate up"
            """);
    }

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = 60_000)]
    public async Task Why_on_a_workflow_explains_its_failed_step_with_its_exit_its_log_and_next_steps_that_work()
    {
        (await TendBinary.RunAsync(_directory.Path, "workflow", "run", "flow")).ExitCode.ShouldBe(1);
        var run = Latest("flow").Run;

        var why = await TendBinary.RunAsync(_directory.Path, "why", "flow");

        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain($"Step lint of run {run} (flow) failed: exit code 3");
        why.Stdout.ShouldContain("lint.py:3: undefined name x", customMessage: "the end of its log");
        why.Stdout.ShouldContain($"tend workflow logs {run} lint");
        why.Stdout.ShouldContain($"tend workflow resume {run}");
        why.Stdout.ShouldNotContain("Step ship", customMessage: "an omitted step is explained when asked for");
        var logs = await TendBinary.RunAsync(_directory.Path, "workflow", "logs", run, "lint");
        logs.ExitCode.ShouldBe(0, "the next step printed works as typed");
        logs.Stdout.ShouldContain("lint.py:3");
    }

    [Fact(Timeout = 60_000)]
    public async Task Why_on_an_omitted_step_gives_the_chain_down_to_the_failure()
    {
        await TendBinary.RunAsync(_directory.Path, "workflow", "run", "flow");
        var run = Latest("flow").Run;

        var why = await TendBinary.RunAsync(_directory.Path, "why", run, "ship");

        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain($"Step ship of run {run} (flow) omitted: the run stopped before it (step lint failed: exit code 3)");
        why.Stdout.ShouldContain("← build omitted: the run stopped before it");
        why.Stdout.ShouldContain("← lint failed: exit code 3");
        why.Stdout.ShouldContain($"tend workflow why {run} lint");
        (await TendBinary.RunAsync(_directory.Path, "workflow", "why", run, "lint")).Stdout.ShouldContain("lint.py:3", customMessage: "the next step printed works as typed");
    }

    [Fact(Timeout = 60_000)]
    public async Task Workflow_why_json_gives_each_explanation()
    {
        await TendBinary.RunAsync(_directory.Path, "workflow", "run", "flow");
        var run = Latest("flow").Run;

        var why = await TendBinary.RunAsync(_directory.Path, "workflow", "why", run, "ship", "--json");
        var shortForm = await TendBinary.RunAsync(_directory.Path, "why", run, "ship", "--json");

        why.ExitCode.ShouldBe(0, why.ToString());
        var step = why.Json[0];
        step.GetProperty("state").GetString().ShouldBe("omitted");
        step.GetProperty("root").GetString().ShouldBe("lint");
        step.GetProperty("chain")[1].GetProperty("reason").GetString().ShouldBe("exit code 3");
        shortForm.ExitCode.ShouldBe(0, shortForm.ToString());
        shortForm.Stdout.ShouldBe(why.Stdout, "tend why RUN is the same answer as tend workflow why RUN");
    }

    [Fact(Timeout = 30_000)]
    public async Task Why_json_on_a_workflow_that_never_ran_is_an_empty_list()
    {
        var why = await TendBinary.RunAsync(_directory.Path, "workflow", "why", "deploy", "--json");
        var shortForm = await TendBinary.RunAsync(_directory.Path, "why", "deploy", "--json");

        why.ExitCode.ShouldBe(0, why.ToString());
        why.Json.GetArrayLength().ShouldBe(0, why.ToString());
        shortForm.ExitCode.ShouldBe(0, shortForm.ToString());
        shortForm.Json.GetArrayLength().ShouldBe(0, shortForm.ToString());
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unknown_name_is_a_usage_error_that_lists_components_and_workflows()
    {
        var why = await TendBinary.RunAsync(_directory.Path, "why", "nosuch");

        why.ExitCode.ShouldBe(2, why.ToString());
        why.Stderr.ShouldContain("'nosuch' is not a component, a workflow or a workflow run of");
        why.Stderr.ShouldContain("components: db, migrate; workflows: flow, deploy; runs: tend workflow ls");
        why.Stderr.ShouldNotContain("   at ");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_step_whose_components_pre_flight_fails_fails_with_the_checks_diagnosis_and_never_runs()
    {
        var run = await TendBinary.RunAsync(_directory.Path, "workflow", "run", "deploy");

        run.ExitCode.ShouldBe(1, run.ToString());
        File.Exists(Path.Combine(_directory.Path, "migrated.marker")).ShouldBeFalse("the command never started");
        var step = Latest("deploy").Find("migrate").ShouldNotBeNull();
        step.State.ShouldBe(StepState.Failed);
        step.Reason.ShouldNotBeNull().ShouldStartWith("pre-flight of db: tcp 127.0.0.1:");
        step.Reason.ShouldContain("refused");
        step.Attempts.ShouldHaveSingleItem().Pid.ShouldBeNull("no process was started");

        var why = await TendBinary.RunAsync(_directory.Path, "why", "deploy");
        why.ExitCode.ShouldBe(0, why.ToString());
        why.Stdout.ShouldContain("==> attempt 1 not started: touch migrated.marker");
        why.Stdout.ShouldContain("tend preflight migrate");
        var preflight = await TendBinary.RunAsync(_directory.Path, "preflight", "migrate");
        preflight.ExitCode.ShouldBe(1, "the next step printed works as typed, and fails as the step did");
        preflight.Stdout.ShouldContain("refused");
    }

    private RunRecord Latest(string workflow)
    {
        var store = new RunStore(Path.Combine(_directory.Path, ".tend"));
        return RunStore.Read(store.List(workflow)[0]).ShouldNotBeNull();
    }
}
