using System.CommandLine;
using Spectre.Console;
using Tend.Core.Status;
using Tend.Core.Presets;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary><c>tend init --preset NAME [DIR]</c>: write a starting stack; never overwrite without --force.</summary>
internal static class InitVerb
{
    public static Command Create(GlobalOptions options)
    {
        var directory = new Argument<string?>("directory") { Description = "Where to write it (default: here)", Arity = ArgumentArity.ZeroOrOne };
        var preset = new Option<string>("--preset", "-p") { Description = $"One of: {string.Join(", ", PresetCatalog.Names)}", DefaultValueFactory = _ => "quickstart", HelpName = "NAME" };
        var force = new Option<bool>("--force") { Description = "Overwrite files that already exist" };
        var command = new Command("init", "Write a stack file (and its example scripts) from a preset") { directory, preset, force };
        command.SetAction(parse => Run(new CliContext(parse, options), parse.GetValue(preset)!, parse.GetValue(directory), parse.GetValue(force)));
        return command;
    }

    private static int Run(CliContext cli, string preset, string? directory, bool force)
    {
        if (PresetCatalog.Files(preset) is not { } files)
        {
            return cli.UsageError($"there is no preset '{preset}'", DidYouMean.Hint(preset, PresetCatalog.Names) ?? $"presets: {string.Join(", ", PresetCatalog.Names)}");
        }

        var target = Path.GetFullPath(directory ?? ".", cli.WorkingDirectory);
        var existing = files.Where(f => File.Exists(Path.Combine(target, f.RelativePath))).Select(f => f.RelativePath).ToList();
        if (existing.Count > 0 && !force)
        {
            // Refuse before writing anything: a half-written preset is worse than none.
            return cli.UsageError(
                $"{string.Join(", ", existing.Take(3))}{(existing.Count > 3 ? $" and {existing.Count - 3} more" : "")} already exist{(existing.Count == 1 ? "s" : "")} in {cli.Display(target)}; nothing was written",
                existing.Count == 1 ? "pass --force to overwrite it, or choose another directory" : "pass --force to overwrite them, or choose another directory");
        }

        var written = new List<string>();
        try
        {
            foreach (var file in files)
            {
                var path = Path.Combine(target, file.RelativePath);
                Directory.CreateDirectory(Path.GetDirectoryName(path)!);
                File.WriteAllBytes(path, file.Content);
                if (file.Executable)
                {
                    File.SetUnixFileMode(path, File.GetUnixFileMode(path) | UnixFileMode.UserExecute | UnixFileMode.GroupExecute | UnixFileMode.OtherExecute);
                }

                written.Add(file.RelativePath);
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cli.UsageError($"cannot write the preset to {cli.Display(target)}: {e.Message}", written.Count > 0 ? $"written so far: {string.Join(", ", written)}" : null);
        }

        if (cli.Json)
        {
            CliContext.WriteJson(new InitReportJson(preset, target, written, []), ReportJson.Default.InitReportJson);
            return ExitCodes.Ok;
        }

        var console = cli.Terminal.Out;
        console.MarkupLine($"[green]✓[/] wrote the [bold]{Markup.Escape(preset)}[/] preset to {Markup.Escape(cli.Display(target))}:");
        foreach (var file in written)
        {
            console.MarkupLine($"  {Markup.Escape(file)}");
        }

        console.WriteLine();
        var cd = Path.GetFullPath(target) == Path.GetFullPath(cli.WorkingDirectory) ? "" : $"cd {cli.Display(target)} && ";
        // A stack of workflows alone has nothing to pre-flight: its next step is the plan.
        var loaded = Core.Config.StackFileLoader.Load(Path.Combine(target, "tend.toml")).Stack;
        var next = loaded is { Components.Count: 0, Workflows.Count: > 0 } ? $"tend ls, then tend workflow run {loaded.Workflows[0].Name} --dry-run" : "tend ls, then tend preflight";
        console.MarkupLine($"[bold]Next:[/] {Markup.Escape(cd)}{Markup.Escape(next)}");
        return ExitCodes.Ok;
    }
}
