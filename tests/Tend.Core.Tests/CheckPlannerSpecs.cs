using Tend.Core.Checks.Kinds;
using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests;

public sealed class CheckPlannerSpecs
{
    private static Model.StackFile Quickstart()
    {
        var result = StackFileLoader.Load(Path.Combine(RepoPaths.Examples, "quickstart", "tend.toml"), _ => null);
        return result.Stack!;
    }

    [Fact]
    public void A_component_is_checked_with_the_health_of_the_services_it_needs_running()
    {
        var plan = CheckPlanner.Preflight(Quickstart(), ["web"]);

        plan.Select(p => p.Id).ShouldBe(["web.launcher", "store.health", "web.config", "web.web port is free", "web.working directory is writable"]);
    }

    [Fact]
    public void Checking_the_whole_stack_runs_every_start_check_but_no_service_health()
    {
        var plan = CheckPlanner.Preflight(Quickstart(), []);

        plan.ShouldNotContain(p => p.Role == CheckRole.Health);
        plan.Select(p => p.Component).Distinct().ShouldBe(["store", "web"]);
    }

    [Fact]
    public void A_command_beside_a_running_service_skips_its_start_checks()
    {
        var plan = CheckPlanner.Preflight(Quickstart(), ["web"], ownChecks: false);

        plan.Select(p => p.Id).ShouldBe(["store.health", "web.config"]);
    }

    [Fact]
    public void A_check_that_needs_another_component_runs_after_that_component_health()
    {
        var stack = StackFileLoader.Parse("""
            [components.db]
            kind = "external"
            health = { postgres = "postgresql://postgres@127.0.0.1:5432/app" }
            [components.api]
            command = ["./api"]
            preflight = [{ alembic = "alembic.ini", database = "db" }]
            """, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems()).Stack!;

        var plan = CheckPlanner.Preflight(stack, ["api"]);

        plan.Select(p => p.Id).ShouldBe(["api.launcher", "db.health", "api.alembic"]);
        plan[2].After.ShouldBe(["db.health"]);
    }

    [Fact]
    public void Every_plan_that_starts_something_checks_the_tools_every_start_goes_through_once()
    {
        var plan = CheckPlanner.Preflight(Quickstart(), []);

        plan.Where(p => p.Spec is LaunchToolsCheck).ShouldHaveSingleItem().Role.ShouldBe(CheckRole.Preflight);
    }

    [Fact]
    public async Task Missing_process_tools_fail_the_pre_flight_with_what_to_install()
    {
        var check = new LaunchToolsCheck(new Core.Processes.LaunchTools(Setsid: null, Setpriv: "/usr/bin/setpriv"));
        var runner = new CheckRunner(new CheckContext { BaseDirectory = "/" }, RuleBook.With([]));

        var result = (await runner.RunAsync([new PlannedCheck("api.launcher", "api", CheckRole.Preflight, check, [])], TestContext.Current.CancellationToken)).Single();

        result.Status.ShouldBe(CheckStatus.Fail);
        result.Outcome.Summary.ShouldBe("setsid not found");
        result.Diagnosis!.RuleId.ShouldBe("launcher-tools-missing");
        result.Diagnosis.Cause.ShouldStartWith("setsid from util-linux cannot be found on PATH.");
        result.Diagnosis.Actions[0].ShouldContain("sudo apt-get install util-linux");
    }
}
