using System.CommandLine;
using Spectre.Console;
using Tend.Core.Config;
using Tend.Core.Export.Kubernetes;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend export kubernetes [--out DIR] [--namespace NS] [--image-map FILE] [--tend-image IMAGE] [--force]</c>:
/// the stack as Kubernetes manifests, with export-report.md saying what did not map (docs/kubernetes.md).
/// The directory is written whole or not at all: into a temporary directory beside it, then renamed.
/// </summary>
internal static class ExportVerb
{
    public static Command Create(GlobalOptions options)
    {
        var output = new Option<string>("--out", "-o") { Description = "Directory to write (default: k8s/ beside the stack file)", HelpName = "DIR" };
        var ns = new Option<string>("--namespace", "-n") { Description = "Namespace of every object", DefaultValueFactory = _ => KubernetesExportOptions.DefaultNamespace, HelpName = "NS" };
        var imageMap = new Option<string>("--image-map") { Description = "TOML file of component = \"image\" (and tend, kubectl for the wait containers)", HelpName = "FILE" };
        var tendImage = new Option<string>("--tend-image") { Description = "Image with tend on its PATH, for the init containers that wait for what a component requires", HelpName = "IMAGE" };
        var force = new Option<bool>("--force") { Description = "Replace DIR even when tend did not write it" };
        var kubernetes = new Command("kubernetes", "Write the stack as Kubernetes manifests, and export-report.md of what did not map") { output, ns, imageMap, tendImage, force };
        kubernetes.SetAction(parse => Run(new CliContext(parse, options), parse.GetValue(output), parse.GetValue(ns)!, parse.GetValue(imageMap), parse.GetValue(tendImage), parse.GetValue(force)));
        return new Command("export", "Write the stack for another platform (kubernetes)") { kubernetes };
    }

    private static int Run(CliContext cli, string? outOption, string ns, string? imageMapPath, string? tendImage, bool force)
    {
        if (KubeNameOk(ns) is false)
        {
            return cli.UsageError($"--namespace must be a Kubernetes name (lowercase letters, digits and '-', at most 63), not '{ns}'", $"e.g. --namespace {KubeName(ns)}");
        }

        if (tendImage is not null && ImageReference.Problem(tendImage) is { } imageProblem)
        {
            return cli.UsageError($"--tend-image '{tendImage}' {imageProblem}");
        }

        if (cli.LoadStack() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        IReadOnlyDictionary<string, string> images = new Dictionary<string, string>();
        if (imageMapPath is not null)
        {
            var full = Path.GetFullPath(imageMapPath, cli.WorkingDirectory);
            if (!File.Exists(full))
            {
                return cli.UsageError($"--image-map {imageMapPath} does not exist", "write it as lines of component = \"image\", e.g. web = \"python:3.12-slim\"");
            }

            var problems = new ConfigProblems();
            if (ImageMap.Read(File.ReadAllText(full), cli.Display(full), stack, problems) is not { } read)
            {
                var errors = problems.Items.Count(p => p.IsError);
                return cli.Fail("config", $"{cli.Display(full)} has {errors} error{(errors == 1 ? "" : "s")}; nothing was written", problems.Sorted(), null);
            }

            images = read;
        }

        var export = KubernetesExporter.Export(stack, new KubernetesExportOptions(ns, images, tendImage), Environment.GetEnvironmentVariable);
        if (export.Leaks.Count > 0)
        {
            return cli.Failure(
                $"a secret value of the stack would be written in {string.Join(", ", export.Leaks)}; nothing was written",
                "put the value in an env file or env under a name the manifests take from a Secret (listed in secrets = [...]), not in a command, URL or config file");
        }

        var directory = Path.GetFullPath(outOption ?? Path.Combine(stack.Directory, "k8s"), cli.WorkingDirectory);
        var shown = ShellWords.Quote(cli.Display(directory));
        if (Directory.Exists(directory) && Directory.EnumerateFileSystemEntries(directory).Any() && !File.Exists(Path.Combine(directory, KubernetesExport.MarkerFileName)) && !force)
        {
            return cli.UsageError($"{shown} is not empty and was not written by tend export; nothing was written", $"write elsewhere with --out DIR, or replace it: tend export kubernetes --out {shown} --force{(imageMapPath is null ? "" : $" --image-map {ShellWords.Quote(imageMapPath)}")}");
        }

        try
        {
            WriteWhole(directory, export);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cli.Failure($"cannot write {shown}: {e.Message}; nothing was changed there");
        }

        var console = cli.Terminal.Out;
        var manifests = export.Manifests.ToList();
        var unmapped = export.Notes.Count(n => n.Kind == NoteKind.Unmapped);
        console.MarkupLine($"[green]✓[/] wrote {manifests.Count} manifest file{(manifests.Count == 1 ? "" : "s")} to {Markup.Escape(shown)}: {Markup.Escape(string.Join(", ", manifests.Select(m => m.Name)))}");
        console.MarkupLine($"  {KubernetesExport.ReportFileName} lists {unmapped} setting{(unmapped == 1 ? "" : "s")} Kubernetes cannot express, and {export.Secrets.Count} Secret{(export.Secrets.Count == 1 ? "" : "s")} to create");
        foreach (var skip in export.Skipped)
        {
            cli.Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(skip.Component)} was not exported: {Markup.Escape(skip.Reason)} [grey]({Markup.Escape(skip.Fix)})[/]");
        }

        console.MarkupLine($"[grey]Next: read it: cat {Markup.Escape(ShellWords.Quote(cli.Display(Path.Combine(directory, KubernetesExport.ReportFileName))))}[/]");
        // Manifests with a component missing would start the rest without it: the export is incomplete.
        return export.Skipped.Count == 0 ? ExitCodes.Ok : ExitCodes.Failed;
    }

    /// <summary>Writes the files into a new directory beside <paramref name="directory"/>, then swaps it in: never a half-written export.</summary>
    private static void WriteWhole(string directory, KubernetesExport export)
    {
        var parent = Path.GetDirectoryName(directory)!;
        Directory.CreateDirectory(parent);
        var name = Path.GetFileName(directory);
        var temporary = Path.Combine(parent, $".{name}.tend-new-{Guid.NewGuid():N}");
        var old = Path.Combine(parent, $".{name}.tend-old-{Guid.NewGuid():N}");
        Directory.CreateDirectory(temporary);
        try
        {
            foreach (var file in export.Files)
            {
                File.WriteAllText(Path.Combine(temporary, file.Name), file.Text);
            }

            File.WriteAllText(Path.Combine(temporary, KubernetesExport.MarkerFileName), "Written by tend export kubernetes: the next export replaces this directory whole.\n");
            if (Directory.Exists(directory))
            {
                Directory.Move(directory, old);
            }

            try
            {
                Directory.Move(temporary, directory);
            }
            catch (IOException) when (Directory.Exists(old) && !Directory.Exists(directory))
            {
                // The new export could not take its place: the previous one goes back, whole.
                Directory.Move(old, directory);
                throw;
            }
        }
        finally
        {
            if (Directory.Exists(temporary))
            {
                Directory.Delete(temporary, recursive: true);
            }
        }

        if (Directory.Exists(old))
        {
            Directory.Delete(old, recursive: true);
        }
    }

    private static bool KubeNameOk(string name) => name.Length is > 0 and <= 63 && name.All(c => char.IsAsciiLetterLower(c) || char.IsAsciiDigit(c) || c == '-') && char.IsAsciiLetterOrDigit(name[0]) && char.IsAsciiLetterOrDigit(name[^1]);

    private static string KubeName(string name)
    {
        var cleaned = new string([.. name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-')]).Trim('-');
        return cleaned.Length == 0 ? "default" : cleaned[..Math.Min(63, cleaned.Length)];
    }
}
