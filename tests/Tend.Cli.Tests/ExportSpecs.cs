using System.Diagnostics;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend export kubernetes`, run as the user runs it: the directory it writes, what it refuses, what it prints.</summary>
public sealed class ExportSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private const string Stack = """
        [stack]
        name = "shop"

        [components.api]
        command = ["api", "--port", "8080"]
        env_file = "api.env"
        health = { http = "http://127.0.0.1:8080/healthz" }

        [components.migrate]
        kind = "job"
        command = ["migrate"]

        [components.web]
        command = ["web"]
        requires = { api = "healthy", migrate = "completed" }
        """;

    private const string Images = """
        api = "example.org/shop/api:1"
        migrate = "example.org/shop/api:1"
        web = "example.org/shop/web:1"
        tend = "ghcr.io/example/tend:0.1"
        kubectl = "registry.k8s.io/kubectl:v1.33.0"
        """;

    private const string Secret = "Kx7-real-db-Passw0rd-9931";

    private void WriteStack()
    {
        _directory.Write("tend.toml", Stack);
        _directory.Write("api.env", $"LOG_LEVEL=info\nDB_PASSWORD={Secret}\n");
        _directory.Write("images.toml", Images);
    }

    [Fact(Timeout = 60_000)]
    public async Task I_export_a_stack_and_the_next_step_it_prints_works_when_typed()
    {
        WriteStack();

        var export = await Tend("export", "kubernetes", "--image-map", "images.toml");

        export.ExitCode.ShouldBe(0, export.ToString());
        export.Stdout.ShouldContain("wrote 4 manifest files to k8s: api.yaml, migrate.yaml, web.yaml, tend-job-waiter.yaml");
        var next = export.Stdout.Split('\n').Single(l => l.StartsWith("Next: read it: ", StringComparison.Ordinal))["Next: read it: ".Length..].Trim();
        var typed = Process.Start(new ProcessStartInfo("sh", ["-c", next]) { WorkingDirectory = _directory.Path, RedirectStandardOutput = true })!;
        var shown = await typed.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await typed.WaitForExitAsync(TestContext.Current.CancellationToken);
        typed.ExitCode.ShouldBe(0);
        shown.ShouldContain("# Kubernetes export of stack shop");
        shown.ShouldContain("`api-secrets`: `DB_PASSWORD`");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_secret_of_an_env_file_is_nowhere_in_the_directory_written()
    {
        WriteStack();

        var export = await Tend("export", "kubernetes", "--image-map", "images.toml", "--out", "out/k8s");

        export.ExitCode.ShouldBe(0, export.ToString());
        var files = Directory.GetFiles(Path.Combine(_directory.Path, "out"), "*", SearchOption.AllDirectories);
        files.Length.ShouldBeGreaterThan(3);
        foreach (var file in files)
        {
            File.ReadAllText(file).ShouldNotContain(Secret, Case.Sensitive, file);
        }

        export.Stdout.ShouldNotContain(Secret);
    }

    [Fact(Timeout = 60_000)]
    public async Task Components_without_an_image_are_named_on_stderr_and_the_export_fails_with_its_report_written()
    {
        WriteStack();

        var export = await Tend("export", "kubernetes");

        export.ExitCode.ShouldBe(1, export.ToString());
        export.Stderr.ShouldContain("api was not exported: it has no image");
        export.Stderr.ShouldContain("web was not exported");
        File.ReadAllText(Path.Combine(_directory.Path, "k8s", "export-report.md")).ShouldContain("**api**: not written, because it has no image");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bad_image_map_is_an_error_at_its_line_and_column_and_nothing_is_written()
    {
        WriteStack();
        _directory.Write("images.toml", "api = \"example.org/api:1\"\nwbe = \"example.org/web:1\"\nmigrate = \"Not An Image\"\n");

        var export = await Tend("export", "kubernetes", "--image-map", "images.toml");

        export.ExitCode.ShouldBe(2, export.ToString());
        export.Stderr.ShouldContain("images.toml:2:1: error: wbe is no component of stack shop");
        export.Stderr.ShouldContain("did you mean");
        export.Stderr.ShouldContain("images.toml:3:11: error: migrate = \"Not An Image\" has a space in it");
        Directory.Exists(Path.Combine(_directory.Path, "k8s")).ShouldBeFalse();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_directory_tend_did_not_write_is_not_overwritten_unless_forced_and_its_own_is_replaced_whole()
    {
        WriteStack();
        _directory.Write("k8s/mine.yaml", "kind: Mine\n");

        var refused = await Tend("export", "kubernetes", "--image-map", "images.toml");
        var forced = await Tend("export", "kubernetes", "--image-map", "images.toml", "--force");
        File.WriteAllText(Path.Combine(_directory.Path, "k8s", "stale.yaml"), "kind: Stale\n");
        var again = await Tend("export", "kubernetes", "--image-map", "images.toml");

        refused.ExitCode.ShouldBe(2, refused.ToString());
        refused.Stderr.ShouldContain("k8s is not empty and was not written by tend export; nothing was written");
        refused.Stderr.ShouldContain("tend export kubernetes --out k8s --force --image-map images.toml");
        forced.ExitCode.ShouldBe(0, forced.ToString());
        again.ExitCode.ShouldBe(0, again.ToString());
        var left = Directory.GetFiles(Path.Combine(_directory.Path, "k8s")).Select(Path.GetFileName).Order(StringComparer.Ordinal);
        left.ShouldBe([".tend-export", "api.yaml", "export-report.md", "migrate.yaml", "tend-job-waiter.yaml", "web.yaml"]);
        Directory.GetDirectories(_directory.Path).Select(Path.GetFileName).ShouldBe(["k8s"], "no temporary directory is left behind");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_secret_written_into_a_command_refuses_the_export()
    {
        _directory.Write("tend.toml", $"[components.api]\ncommand = [\"api\", \"--db\", \"postgres://app:{Secret}@db:5432/app\"]\nimage = \"example.org/api:1\"\n");

        var export = await Tend("export", "kubernetes");

        export.ExitCode.ShouldBe(1, export.ToString());
        export.Stderr.ShouldContain("a secret value of the stack would be written in api.yaml; nothing was written");
        export.Stderr.ShouldNotContain(Secret);
        Directory.Exists(Path.Combine(_directory.Path, "k8s")).ShouldBeFalse();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_bad_image_key_fails_validate_at_its_place()
    {
        _directory.Write("tend.toml", "[components.api]\ncommand = [\"api\"]\nimage = \"Bad Image\"\n");

        var validate = await Tend("validate");

        validate.ExitCode.ShouldBe(2, validate.ToString());
        validate.Stderr.ShouldContain("tend.toml:3:9: error: components.api.image \"Bad Image\" has a space in it");
    }
}
