using System.Diagnostics;
using Tend.Core.Config;
using Tend.Core.Export.Kubernetes;
using Tend.Core.Model;
using Tend.Core.Presets;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Export;

/// <summary>
/// The export of every preset (examples/*) against its committed golden directory,
/// tests/fixtures/kubernetes/PRESET/, and through the offline schema validator
/// (tests/tools/kube-validate: kubernetes-models' schemas plus a strict check of field names).
/// TEND_UPDATE_GOLDENS=1 rewrites the goldens; review the diff.
/// </summary>
public sealed class KubernetesGoldenSpecs
{
    public static TheoryData<string> Presets => [.. PresetCatalog.Names];

    private static string Golden(string preset) => Path.Combine(RepoPaths.Fixtures, "kubernetes", preset);

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Presets))]
    public void The_export_of_each_preset_is_its_golden(string preset)
    {
        using var directory = new TempDirectory();
        var export = ExportPreset(preset, directory);
        var golden = Golden(preset);
        if (Environment.GetEnvironmentVariable("TEND_UPDATE_GOLDENS") == "1")
        {
            if (Directory.Exists(golden))
            {
                Directory.Delete(golden, recursive: true);
            }

            Directory.CreateDirectory(golden);
            foreach (var file in export.Files)
            {
                File.WriteAllText(Path.Combine(golden, file.Name), file.Text);
            }
        }

        Directory.Exists(golden).ShouldBeTrue($"no golden for {preset}: run TEND_UPDATE_GOLDENS=1 dotnet test --filter KubernetesGoldenSpecs");
        Directory.GetFiles(golden).Select(Path.GetFileName).Order(StringComparer.Ordinal).ShouldBe(export.Files.Select(f => f.Name).Order(StringComparer.Ordinal));
        foreach (var file in export.Files)
        {
            file.Text.ShouldBe(File.ReadAllText(Path.Combine(golden, file.Name)), $"{preset}/{file.Name} differs from its golden (TEND_UPDATE_GOLDENS=1 rewrites it)");
        }

        export.Leaks.ShouldBeEmpty();
        export.Skipped.ShouldBeEmpty();
    }

    [Theory(Timeout = 120_000)]
    [MemberData(nameof(Presets))]
    public async Task The_manifests_of_each_preset_pass_the_Kubernetes_schemas(string preset)
    {
        using var directory = new TempDirectory();
        var export = ExportPreset(preset, directory);
        var files = new List<string>();
        foreach (var file in export.Manifests)
        {
            files.Add(directory.Write(Path.Combine("k8s", file.Name), file.Text));
        }

        if (files.Count == 0)
        {
            // A stack of workflows only (triage): nothing to run in a cluster, and the report says so.
            export.Files.ShouldHaveSingleItem().Name.ShouldBe(KubernetesExport.ReportFileName);
            return;
        }

        var (exitCode, output) = await KubeValidator.RunAsync(files, TestContext.Current.CancellationToken);

        exitCode.ShouldBe(0, output);
        var documents = export.Manifests.Sum(f => f.Text.Split("---\n", StringSplitOptions.RemoveEmptyEntries).Length);
        output.ShouldContain($"{documents} manifest{(documents == 1 ? "" : "s")} checked, 0 with problems");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_validator_rejects_a_mistyped_field_and_a_wrong_type()
    {
        using var directory = new TempDirectory();
        var export = ExportPreset("quickstart", directory);
        var web = export.Manifests.Single(f => f.Name == "web.yaml").Text;
        var mistyped = directory.Write("mistyped.yaml", web.Replace("readinessProbe:", "readinesProbe:", StringComparison.Ordinal));
        var wrongType = directory.Write("wrong-type.yaml", web.Replace("replicas: 1", "replicas: one", StringComparison.Ordinal));

        var (mistypedExit, mistypedOutput) = await KubeValidator.RunAsync([mistyped], TestContext.Current.CancellationToken);
        var (wrongExit, wrongOutput) = await KubeValidator.RunAsync([wrongType], TestContext.Current.CancellationToken);

        mistypedExit.ShouldBe(1, mistypedOutput);
        mistypedOutput.ShouldContain("readinesProbe: unknown field");
        wrongExit.ShouldBe(1, wrongOutput);
        wrongOutput.ShouldContain("/spec/replicas");
    }

    /// <summary>The preset written out as tend init writes it, exported with an image for every component and wait.</summary>
    private static KubernetesExport ExportPreset(string preset, TempDirectory directory)
    {
        foreach (var file in PresetCatalog.Files(preset)!)
        {
            var path = Path.Combine(directory.Path, "stack", file.RelativePath);
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllBytes(path, file.Content);
        }

        var result = StackFileLoader.Load(Path.Combine(directory.Path, "stack", "tend.toml"), _ => null);
        result.Errors.ShouldBeEmpty();
        var stack = result.Stack!;
        var images = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            [KubernetesExportOptions.TendKey] = "ghcr.io/example/tend:0.1",
            [KubernetesExportOptions.KubectlKey] = "registry.k8s.io/kubectl:v1.33.0",
        };
        foreach (var component in stack.Components.Where(c => c.Kind != ComponentKind.External))
        {
            images[component.Name] = $"example.org/{KubeNameOf(preset)}/{KubeNameOf(component.Name)}:1";
        }

        return KubernetesExporter.Export(stack, new KubernetesExportOptions("default", images, null), _ => null);
    }

    private static string KubeNameOf(string name) => new([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]);
}

/// <summary>Runs tests/tools/kube-validate (node); absent, the test is skipped, except under CI=true where that is a failure.</summary>
internal static class KubeValidator
{
    private static string Tool => Path.Combine(RepoPaths.Root, "tests", "tools", "kube-validate");

    public static async Task<(int ExitCode, string Output)> RunAsync(IReadOnlyList<string> files, CancellationToken cancellationToken)
    {
        var installed = Directory.Exists(Path.Combine(Tool, "node_modules", "kubernetes-models"));
        if (!installed)
        {
            var why = $"the validator is not installed: run (cd {Tool} && npm ci)";
            if (Environment.GetEnvironmentVariable("CI") == "true")
            {
                throw new InvalidOperationException(why);
            }

            Assert.Skip(why);
        }

        var start = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Tool };
        start.ArgumentList.Add(Path.Combine(Tool, "validate.mjs"));
        foreach (var file in files)
        {
            start.ArgumentList.Add(file);
        }

        using var process = Process.Start(start)!;
        var output = process.StandardOutput.ReadToEndAsync(cancellationToken);
        var error = process.StandardError.ReadToEndAsync(cancellationToken);
        await process.WaitForExitAsync(cancellationToken);
        return (process.ExitCode, await output + await error);
    }
}
