using Tend.Core.Checks;
using Tend.Core.Config;
using Tend.Core.Doctor;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Tests.Doctor;

/// <summary>How doctor orders what it saw: the root once, with what it holds back under it; a component's own problem stays its own.</summary>
public sealed class DoctorExaminationSpecs
{
    private static readonly DateTimeOffset Now = new(2026, 11, 28, 12, 0, 0, TimeSpan.Zero);

    private static StackFile Stack(string toml) =>
        StackFileLoader.Parse(toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems()).Stack.ShouldNotBeNull();

    private const string DatabaseAndThreeServices = """
        [components.db]
        kind = "external"
        health = { tcp = "127.0.0.1:5432" }
        [components.api]
        command = ["./api"]
        requires = { db = "healthy" }
        health = { http = "http://127.0.0.1:8080/health" }
        [components.worker]
        command = ["./worker"]
        requires = { db = "healthy" }
        [components.web]
        command = ["./web"]
        requires = { api = "healthy" }
        """;

    private static CheckResult Result(IReadOnlyList<PlannedCheck> plan, string id, CheckStatus status, string summary = "seen") =>
        new(plan.Single(p => p.Id == id), status == CheckStatus.Pass ? CheckOutcome.Pass(summary) : new CheckOutcome(status, summary), TimeSpan.FromMilliseconds(1), null);

    private static ComponentSnapshot Snapshot(string name, ComponentKind kind, ComponentState state, int? pid = null, string? reason = null) =>
        new(name, kind, state, reason, Now, 1, pid, null, pid is null ? null : Now, 0, null, 0, null, null, null, null, null, null, null) { Active = true };

    private static DoctorEvidence Evidence(IReadOnlyList<CheckResult> results, StackSnapshot? live = null) => new(results, live, new Dictionary<string, StateReading>(), null, []);

    [Fact]
    public void A_database_that_is_down_while_the_stack_is_down_is_said_once_with_everything_that_would_wait_on_it()
    {
        var stack = Stack(DatabaseAndThreeServices);
        var plan = CheckPlanner.Doctor(stack, new HashSet<string>());

        var report = DoctorExamination.Examine(stack, Evidence([.. plan.Select(p => Result(plan, p.Id, p.Id == "db.health" ? CheckStatus.Fail : CheckStatus.Pass, "connection refused"))]));

        report.Status.ShouldBe(CheckStatus.Fail);
        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Component.ShouldBe("db");
        finding.Blocks.Select(b => b.Component).ShouldBe(["api", "worker", "web"], ignoreOrder: true);
        finding.Blocks.Single(b => b.Component == "web").Summary.ShouldBe("requires api healthy, which needs db");
    }

    [Fact]
    public void Services_that_do_not_run_are_not_probed_as_faults_and_what_needs_them_is_said_to_be_unchecked()
    {
        var stack = Stack("""
            [components.pg]
            command = ["postgres"]
            health = { tcp = "127.0.0.1:5432" }
            [components.api]
            command = ["./api"]
            requires = { pg = "healthy" }
            preflight = [{ alembic = "alembic.ini", database = "pg", name = "migrations" }]
            """);
        var plan = CheckPlanner.Doctor(stack, new HashSet<string>());
        plan.Select(p => p.Id).ShouldContain("pg.health", "the migrations check needs pg's probe first");

        var results = plan.Select(p => Result(plan, p.Id, p.Id switch { "pg.health" => CheckStatus.Fail, "api.migrations" => CheckStatus.Skip, _ => CheckStatus.Pass })).ToList();
        var report = DoctorExamination.Examine(stack, Evidence(results));

        report.Findings.ShouldBeEmpty();
        report.Status.ShouldBe(CheckStatus.Pass);
        report.NotChecked.ShouldHaveSingleItem().ShouldBe(new NotChecked("api", "migrations", "pg"));
    }

    [Fact]
    public void What_runs_is_probed_and_not_checked_as_if_it_were_about_to_start()
    {
        var stack = Stack("""
            [components.api]
            command = ["./api"]
            health = { http = "http://127.0.0.1:8080/health" }
            preflight = [{ port-free = "127.0.0.1:8080" }]
            """);

        var plan = CheckPlanner.Doctor(stack, new HashSet<string> { "api" });

        plan.Select(p => p.Id).ShouldBe(["api.health"]);
        CheckPlanner.Doctor(stack, new HashSet<string>()).Select(p => p.Id).ShouldBe(["api.launcher", "api.port-free"]);
    }

    [Fact]
    public void A_running_service_whose_probe_fails_while_its_database_is_down_is_listed_under_the_database_not_as_a_second_problem()
    {
        var stack = Stack(DatabaseAndThreeServices);
        var live = new StackSnapshot("s", "/tmp/tend.toml", 1, 1, Now, Now,
        [
            Snapshot("db", ComponentKind.External, ComponentState.Unhealthy),
            Snapshot("api", ComponentKind.Service, ComponentState.Unhealthy, pid: 42),
            Snapshot("worker", ComponentKind.Service, ComponentState.Running, pid: 43),
            Snapshot("web", ComponentKind.Service, ComponentState.Waiting) with { WaitingFor = "api (healthy)", Blockers = [new UnmetRequirement("api", RequirementCondition.Healthy, ComponentState.Unhealthy, false)] },
        ]);
        var plan = CheckPlanner.Doctor(stack, DoctorExamination.RunningNow(live));
        var results = plan.Select(p => Result(plan, p.Id, p.Id is "db.health" or "api.health" ? CheckStatus.Fail : CheckStatus.Pass, $"{p.Id} failed")).ToList();

        var report = DoctorExamination.Examine(stack, Evidence(results, live));

        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Component.ShouldBe("db");
        finding.Blocks.ShouldContain(new Consequence("api", "http http://127.0.0.1:8080/health: api.health failed"));
        finding.Blocks.ShouldContain(new Consequence("web", "waiting for api (healthy)"));
        finding.Blocks.ShouldContain(new Consequence("worker", "requires it healthy (runs now)"));
        report.Daemon.ShouldBe("running");
        report.ComponentsRunning.ShouldBe(2);
    }

    [Fact]
    public void A_component_with_a_problem_of_its_own_is_its_own_finding_even_when_its_requirement_is_down()
    {
        var stack = Stack("""
            [components.db]
            kind = "external"
            health = { tcp = "127.0.0.1:5432" }
            [components.api]
            command = ["./api"]
            requires = { db = "healthy" }
            config = { path = "api.toml" }
            """);
        var plan = CheckPlanner.Doctor(stack, new HashSet<string>());
        var results = plan.Select(p => Result(plan, p.Id, p.Id is "db.health" or "api.config" ? CheckStatus.Fail : CheckStatus.Pass)).ToList();

        var report = DoctorExamination.Examine(stack, Evidence(results));

        report.Findings.Select(f => f.Component).ShouldBe(["db", "api"], "roots first, in the order things start");
        report.Findings[1].Symptoms.ShouldHaveSingleItem().Source.ShouldBe(SymptomSource.Config);
    }

    [Fact]
    public void A_wait_on_something_stopped_on_request_is_the_problem_itself_and_what_waits_on_it_is_held_back_by_it()
    {
        var stack = Stack("""
            [components.db]
            command = ["./db"]
            [components.api]
            command = ["./api"]
            requires = { db = "started" }
            [components.web]
            command = ["./web"]
            requires = { api = "started" }
            """);
        var live = new StackSnapshot("s", "/tmp/tend.toml", 1, 1, Now, Now,
        [
            Snapshot("db", ComponentKind.Service, ComponentState.Stopped, reason: "tend stop") with { Active = false },
            Snapshot("api", ComponentKind.Service, ComponentState.Waiting) with { WaitingFor = "db (started)", Blockers = [new UnmetRequirement("db", RequirementCondition.Started, ComponentState.Stopped, true)] },
            Snapshot("web", ComponentKind.Service, ComponentState.Waiting) with { WaitingFor = "api (started)", Blockers = [new UnmetRequirement("api", RequirementCondition.Started, ComponentState.Waiting, true)] },
        ]);
        var plan = CheckPlanner.Doctor(stack, DoctorExamination.RunningNow(live));

        var report = DoctorExamination.Examine(stack, Evidence([.. plan.Select(p => Result(plan, p.Id, CheckStatus.Pass))], live));

        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Component.ShouldBe("api");
        finding.Symptoms.ShouldHaveSingleItem().Summary.ShouldBe("waiting for db, which is stopped");
        finding.Symptoms[0].Next.ShouldBe("tend why db");
        finding.Blocks.Select(b => b.Component).ShouldBe(["web"]);
    }

    [Fact]
    public void The_daemons_own_troubles_come_first_and_only_warn()
    {
        var stack = Stack("""
            [components.api]
            command = ["./api"]
            """);
        var live = new StackSnapshot("s", "/tmp/tend.toml", 1, 1, Now, Now, [Snapshot("api", ComponentKind.Service, ComponentState.Running, pid: 7)],
            [new DaemonWarning(DaemonWarning.State, "state.json cannot be written (No space left on device)", Now)]);

        var report = DoctorExamination.Examine(stack, Evidence([], live));

        var finding = report.Findings.ShouldHaveSingleItem();
        finding.Component.ShouldBeNull();
        finding.Severity.ShouldBe(CheckStatus.Warn);
        report.Status.ShouldBe(CheckStatus.Warn);
    }

    [Fact]
    public void Nothing_is_wrong_only_when_nothing_is()
    {
        var stack = Stack(DatabaseAndThreeServices);
        var plan = CheckPlanner.Doctor(stack, new HashSet<string>());

        var report = DoctorExamination.Examine(stack, Evidence([.. plan.Select(p => Result(plan, p.Id, CheckStatus.Pass))]));

        report.Findings.ShouldBeEmpty();
        report.Status.ShouldBe(CheckStatus.Pass);
        report.Daemon.ShouldBe("not_running");
    }
}
