using Tend.Core.Export.Kubernetes;
using Tend.Core.Model;
using static Tend.Core.Tests.Export.Manifests;

namespace Tend.Core.Tests.Export;

/// <summary>
/// What each setting of a stack file becomes in Kubernetes (docs/kubernetes.md): one story per
/// mapping, asked of the manifests as Kubernetes would read them.
/// </summary>
public sealed class KubernetesMappingSpecs : ExportFixture
{
    private const string Api = """
        [components.api]
        command = ["api", "--port", "8080"]
        health = { http = "http://127.0.0.1:8080/healthz", interval = "2s", retries = 4, timeout = "3s", start_period = "20s" }
        preflight = [{ port-free = "127.0.0.1:9090" }]
        """;

    [Fact(Timeout = 30_000)]
    public void A_service_is_a_Deployment_with_probes_from_its_health_check_and_a_Service_for_its_ports()
    {
        var export = Export(Api);

        var deployment = Object(export, "Deployment", "api");
        Fields(deployment, Container("command")).ShouldBe(["api", "--port", "8080"]);
        Field(deployment, Container("image")).ShouldBe("example.org/app:1");
        Field(deployment, Container("readinessProbe.httpGet.path")).ShouldBe("/healthz");
        Field(deployment, Container("readinessProbe.httpGet.port")).ShouldBe("8080");
        Field(deployment, Container("readinessProbe.periodSeconds")).ShouldBe("2");
        Field(deployment, Container("readinessProbe.timeoutSeconds")).ShouldBe("3");
        Field(deployment, Container("readinessProbe.failureThreshold")).ShouldBe("4");
        // restart on unhealthy is on by default for a service: the kubelet restarts it too.
        Field(deployment, Container("livenessProbe.httpGet.port")).ShouldBe("8080");
        // start_period 20s at one try every 2s, plus the retries: 10 + 4.
        Field(deployment, Container("startupProbe.failureThreshold")).ShouldBe("14");
        var service = Object(export, "Service", "api");
        Field(service, "spec.ports[0].port").ShouldBe("8080");
        Field(service, "spec.ports[1].port").ShouldBe("9090");
        Field(service, "spec.selector.app.kubernetes.io/name").ShouldBeNull("a label key has dots: read through the map below");
        ((YamlDotNet.RepresentationModel.YamlMappingNode)At(service, "spec.selector")!).Children[new YamlDotNet.RepresentationModel.YamlScalarNode("app.kubernetes.io/name")].ToString().ShouldBe("api");
    }

    [Fact(Timeout = 30_000)]
    public void Without_restarts_when_unhealthy_there_is_no_liveness_probe_and_the_report_says_why()
    {
        var export = Export(Api + "\nrestart = { policy = \"always\", on_unhealthy = false }\n");

        At(Object(export, "Deployment", "api"), Container("livenessProbe")).ShouldBeNull();
        At(Object(export, "Deployment", "api"), Container("readinessProbe")).ShouldNotBeNull();
        Report(export).ShouldContain("`restart.on_unhealthy`");
    }

    [Fact(Timeout = 30_000)]
    public void Tcp_and_exec_checks_become_tcpSocket_and_exec_probes()
    {
        var export = Export("""
            [components.db]
            command = ["db"]
            health = { tcp = "127.0.0.1:5432" }

            [components.worker]
            command = ["worker"]
            health = { exec = ["worker", "--ping"] }
            """);

        Field(Object(export, "Deployment", "db"), Container("readinessProbe.tcpSocket.port")).ShouldBe("5432");
        Fields(Object(export, "Deployment", "worker"), Container("readinessProbe.exec.command")).ShouldBe(["worker", "--ping"]);
    }

    [Fact(Timeout = 30_000)]
    public void A_healthy_requirement_is_an_init_container_running_tend_wait_on_the_dependency_s_Service()
    {
        var export = Export(Api + """


            [components.web]
            command = ["web"]
            requires = { api = "healthy" }
            """);

        var web = Object(export, "Deployment", "web");
        Field(web, "spec.template.spec.initContainers[0].image").ShouldBe("ghcr.io/example/tend:0.1");
        Fields(web, "spec.template.spec.initContainers[0].command").ShouldBe(["tend", "wait", "http://api:8080/healthz", "--timeout", "0"]);
    }

    [Fact(Timeout = 30_000)]
    public void The_wait_word_is_one_tend_wait_reads()
    {
        var export = Export(Api + """


            [components.web]
            command = ["web"]
            requires = { api = "healthy" }
            """);

        var word = Fields(Object(export, "Deployment", "web"), "spec.template.spec.initContainers[0].command")[2];
        Core.Checks.Waiting.CheckWord.Read(word).Succeeded.ShouldBeTrue(word);
    }

    [Fact(Timeout = 30_000)]
    public void A_postgres_dependency_is_waited_for_with_its_password_from_a_Secret_never_in_the_word()
    {
        var export = Export("""
            [components.db]
            command = ["postgres"]
            health = { postgres = "postgresql://app@127.0.0.1:5432/app", password_env = "DB_PASSWORD" }

            [components.web]
            command = ["web"]
            requires = { db = "healthy" }
            """);

        var wait = At(Object(export, "Deployment", "web"), "spec.template.spec.initContainers[0]")!;
        Fields(wait, "command")[2].ShouldBe("postgres://app@db:5432/app");
        Field(wait, "env[0].name").ShouldBe("PGPASSWORD");
        Field(wait, "env[0].valueFrom.secretKeyRef.name").ShouldBe("db-secrets");
        Field(wait, "env[0].valueFrom.secretKeyRef.key").ShouldBe("DB_PASSWORD");
        export.Secrets.ShouldContain(s => s.Name == "db-secrets" && s.Keys.Contains("DB_PASSWORD"));
    }

    [Fact(Timeout = 30_000)]
    public void A_completed_requirement_waits_on_the_Job_with_kubectl_under_a_ServiceAccount_that_may_read_Jobs()
    {
        var export = Export(Api + """


            [components.migrate]
            kind = "job"
            command = ["migrate"]

            [components.web]
            command = ["web"]
            requires = { migrate = "completed" }
            """, ns: "shop");

        var web = Object(export, "Deployment", "web");
        Fields(web, "spec.template.spec.initContainers[0].command").ShouldBe(["kubectl", "wait", "--for=condition=complete", "job/migrate", "--timeout=-1s"]);
        Field(web, "spec.template.spec.serviceAccountName").ShouldBe("tend-job-waiter");
        Field(Object(export, "Role", "tend-job-waiter"), "rules[0].resources[0]").ShouldBe("jobs");
        Field(Object(export, "RoleBinding", "tend-job-waiter"), "subjects[0].namespace").ShouldBe("shop");
        Field(web, "metadata.namespace").ShouldBe("shop");
    }

    [Fact(Timeout = 30_000)]
    public void Without_a_tend_image_a_component_that_must_wait_is_not_written_and_is_named()
    {
        var export = Export(Api + """


            [components.web]
            command = ["web"]
            requires = { api = "healthy" }
            """, new Dictionary<string, string> { ["api"] = "example.org/api:1", ["web"] = "example.org/web:1" });

        export.Skipped.ShouldHaveSingleItem().Component.ShouldBe("web");
        Objects(export).ShouldNotContain(o => Field(o, "metadata.name") == "web");
        Report(export).ShouldContain("**web**: not written");
    }

    [Fact(Timeout = 30_000)]
    public void A_component_without_an_image_is_not_written_and_is_named_in_the_report()
    {
        var export = Export(Api, new Dictionary<string, string>());

        export.Skipped.ShouldHaveSingleItem().Reason.ShouldBe("it has no image");
        export.Manifests.ShouldBeEmpty();
        Report(export).ShouldContain("**api**: not written, because it has no image");
    }

    [Fact(Timeout = 30_000)]
    public void The_image_key_of_a_component_is_its_image_and_the_image_map_wins()
    {
        var own = Export(Api + "\nimage = \"example.org/own:2\"\n", new Dictionary<string, string>());
        var mapped = Export(Api + "\nimage = \"example.org/own:2\"\n", new Dictionary<string, string> { ["api"] = "example.org/mapped:3" });

        Field(Object(own, "Deployment", "api"), Container("image")).ShouldBe("example.org/own:2");
        Field(Object(mapped, "Deployment", "api"), Container("image")).ShouldBe("example.org/mapped:3");
    }

    [Fact(Timeout = 30_000)]
    public void A_job_is_a_Job_whose_backoffLimit_is_its_restart_budget()
    {
        var export = Export("""
            [components.once]
            kind = "job"
            command = ["seed"]

            [components.retried]
            kind = "job"
            command = ["seed"]
            restart = { policy = "on-failure", budget = "7/5m" }
            """);

        Field(Object(export, "Job", "once"), "spec.backoffLimit").ShouldBe("0");
        Field(Object(export, "Job", "retried"), "spec.backoffLimit").ShouldBe("7");
        Field(Object(export, "Job", "retried"), "spec.template.spec.restartPolicy").ShouldBe("Never");
    }

    [Fact(Timeout = 30_000)]
    public void Rounds_run_tend_itself_a_Deployment_when_unbounded_and_a_Job_with_max_rounds()
    {
        var export = Export("""
            [components.loop]
            kind = "rounds"
            command = ["agent"]

            [components.batch]
            kind = "rounds"
            command = ["agent"]
            rounds = { max_rounds = 3 }
            """);

        Fields(Object(export, "Deployment", "loop"), Container("command")).ShouldBe(["tend", "daemon", "run", "--up"]);
        Fields(Object(export, "Job", "batch"), Container("command")).ShouldBe(["tend", "up", "batch", "--max-rounds", "3"]);
    }

    [Fact(Timeout = 30_000)]
    public void An_external_with_a_host_name_is_an_ExternalName_Service_and_one_on_this_host_is_reported()
    {
        var export = Export("""
            [components.cloud-db]
            kind = "external"
            health = { tcp = "db.example.org:5432" }

            [components.local-db]
            kind = "external"
            health = { tcp = "127.0.0.1:5433" }
            """);

        var service = Object(export, "Service", "cloud-db");
        Field(service, "spec.type").ShouldBe("ExternalName");
        Field(service, "spec.externalName").ShouldBe("db.example.org");
        Objects(export).ShouldNotContain(o => Field(o, "metadata.name") == "local-db");
        Report(export).ShouldContain("### local-db");
    }

    [Fact(Timeout = 30_000)]
    public void Stop_grace_is_the_termination_grace_period_and_another_signal_than_TERM_is_reported()
    {
        var export = Export(Api + "\nstop = { signal = \"INT\", grace = \"45s\" }\n");

        Field(Object(export, "Deployment", "api"), "spec.template.spec.terminationGracePeriodSeconds").ShouldBe("45");
        Report(export).ShouldContain("`stop.signal`: stop signal INT");
    }

    [Fact(Timeout = 30_000)]
    public void Min_uptime_is_minReadySeconds_and_max_memory_the_memory_limit()
    {
        var export = Export(Api + "\nmin_uptime = \"4s\"\nmax_memory = \"512MB\"\n");

        var deployment = Object(export, "Deployment", "api");
        Field(deployment, "spec.minReadySeconds").ShouldBe("4");
        Field(deployment, Container("resources.limits.memory")).ShouldBe("512000000");
    }

    [Fact(Timeout = 30_000)]
    public void Env_values_go_to_a_ConfigMap_and_secrets_to_secretKeyRefs()
    {
        Directory.Write("api.env", "LOG_LEVEL=debug\nAPI_TOKEN=tok-9f8e7d6c5b4a39281706\n");
        var export = Export(Api + "\nenv_file = \"api.env\"\nenv = { REGION = \"eu\" }\n");

        var configMap = Object(export, "ConfigMap", "api-env");
        Field(configMap, "data.LOG_LEVEL").ShouldBe("debug");
        Field(configMap, "data.REGION").ShouldBe("eu");
        At(configMap, "data.API_TOKEN").ShouldBeNull();
        var deployment = Object(export, "Deployment", "api");
        Field(deployment, Container("envFrom[0].configMapRef.name")).ShouldBe("api-env");
        Field(deployment, Container("env[0].name")).ShouldBe("API_TOKEN");
        Field(deployment, Container("env[0].valueFrom.secretKeyRef.name")).ShouldBe("api-secrets");
    }

    [Fact(Timeout = 30_000)]
    public void A_secret_of_an_env_file_appears_nowhere_in_the_export()
    {
        const string Secret = "Zq8-real-Secret-Value-4471";
        Directory.Write("db.env", $"DB_PASSWORD={Secret}\nDATABASE_URL=postgres://app:{Secret}@db:5432/app\n");
        var export = Export(Api + "\nenv_file = \"db.env\"\n");

        export.Leaks.ShouldBeEmpty();
        foreach (var file in export.Files)
        {
            file.Text.ShouldNotContain(Secret, Case.Sensitive, file.Name);
        }

        export.Secrets.ShouldContain(s => s.Name == "api-secrets" && string.Join(",", s.Keys) == "DATABASE_URL,DB_PASSWORD");
    }

    [Fact(Timeout = 30_000)]
    public void A_secret_in_a_command_is_found_and_the_export_is_refused()
    {
        var export = Export("""
            [components.api]
            command = ["api", "--db", "postgres://app:Zq8realPassw0rd@db:5432/app"]
            """);

        export.Leaks.ShouldBe(["api.yaml"]);
    }

    [Fact(Timeout = 30_000)]
    public void A_config_file_is_a_ConfigMap_mounted_where_the_command_reads_it()
    {
        Directory.Write("conf/api.toml", "title = \"hello\"\n");
        var export = Export(Api + "\nconfig = \"conf/api.toml\"\n");

        Field(Object(export, "ConfigMap", "api-config"), "data.api.toml").ShouldBeNull("the key has a dot: read through the map");
        At(Object(export, "ConfigMap", "api-config"), "data")!.ToString().ShouldContain("title = \"hello\"");
        var deployment = Object(export, "Deployment", "api");
        Field(deployment, Container("volumeMounts[0].mountPath")).ShouldBe("/app/conf/api.toml");
        Field(deployment, Container("workingDir")).ShouldBe("/app");
        Field(deployment, "spec.template.spec.volumes[0].configMap.name").ShouldBe("api-config");
    }

    [Fact(Timeout = 30_000)]
    public void Settings_Kubernetes_has_no_place_for_are_listed_in_the_report()
    {
        var export = Export(Api + """

            restart = { policy = "always", backoff = "2s..30s", budget = "3/1m" }
            logs = { max_size = "1MB", keep = 3 }

            [components.api.commands]
            stats = ["api", "stats"]
            """);

        var report = Report(export);
        report.ShouldContain("`restart.backoff`: back-off 2s to 30s");
        report.ShouldContain("`restart.budget`: at most 3 restarts in 1m");
        report.ShouldContain("`logs`");
        report.ShouldContain("`commands.stats`: run it in the pod: kubectl exec -n default deploy/api -- api stats");
        report.Contains("`preflight`", StringComparison.Ordinal).ShouldBeFalse("port-free is mapped to the Service's ports, not reported");
    }

    [Fact(Timeout = 30_000)]
    public void Every_setting_the_export_reports_is_in_the_report_of_a_stack_that_sets_them_all()
    {
        Directory.Write("sub/.keep", "");
        Directory.Write("data/.keep", "");
        var export = Export("""
            [components.api]
            command = ["api"]
            health = { http = "http://127.0.0.1:8080/healthz" }
            cwd = "sub"
            env_inherit = false
            preflight = [{ port-free = "127.0.0.1:9090" }, { command = "sh" }]
            restart = { policy = "always", backoff = "2s..30s" }
            stop = { signal = "INT" }
            logs = { keep = 3 }
            update = { set = ["deploy", "{version}"], current = ["cat", "VERSION"] }
            backup = [{ type = "files", paths = ["data"] }]

            [components.api.commands]
            stats = ["api", "stats"]

            [components.seed]
            kind = "job"
            command = ["seed"]
            once = true
            """);

        var report = Report(export);
        foreach (var (property, setting) in UnmappedSettings.Handled.Where(h => h.Value.ReportedAs is not null))
        {
            report.ShouldContain($"`{setting.ReportedAs}", Case.Sensitive, $"{property} is said to be reported as {setting.ReportedAs}");
        }
    }

    [Fact(Timeout = 30_000)]
    public void A_started_requirement_waits_for_the_dependency_s_Service_to_accept_a_connection()
    {
        var export = Export("""
            [components.cache]
            command = ["cache"]
            preflight = [{ port-free = 6380 }]

            [components.web]
            command = ["web"]
            requires = { cache = "started" }
            """);

        Fields(Object(export, "Deployment", "web"), "spec.template.spec.initContainers[0].command").ShouldBe(["tend", "wait", "tcp://cache:6380", "--timeout", "0"]);
    }

    [Fact]
    public void Every_setting_of_a_component_is_mapped_or_reported()
    {
        var properties = typeof(Component).GetProperties().Select(p => p.Name).Where(n => n != "EqualityContract");

        properties.Where(p => !UnmappedSettings.Handled.ContainsKey(p)).ShouldBeEmpty("a new setting of Component: map it in Export/Kubernetes or report it in UnmappedSettings, then add it to UnmappedSettings.Handled");
    }
}
