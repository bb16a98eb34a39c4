using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
using System.Text.Json;
using System.Text.Json.Serialization.Metadata;
using Spectre.Console;
using Tend.Core.Status;
using Tend.Cli.Output;
using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Cli;

/// <summary>What one invocation of a verb works with: its options, the terminal, and the stack file.</summary>
internal sealed class CliContext(ParseResult parse, GlobalOptions options)
{
    public ParseResult Parse { get; } = parse;

    public bool Json { get; } = parse.GetValue(options.Json);

    public Terminal Terminal { get; } = new(parse.GetValue(options.NoColor));

    public string? FileOption { get; } = parse.GetValue(options.File);

    public string WorkingDirectory { get; } = Environment.CurrentDirectory;

    public TimeProvider Time { get; } = TimeProvider.System;

    /// <summary>
    /// Finds and loads the stack file. On any error it prints every problem (file:line:column,
    /// what, and a hint) and returns null; the verb then exits with <see cref="ExitCodes.Usage"/>.
    /// </summary>
    public StackFile? LoadStack()
    {
        if (Find() is not { } path)
        {
            return null;
        }

        var result = StackFileLoader.Load(path, displayPath: Display(path));
        if (!result.Succeeded)
        {
            var errors = result.Errors.Count();
            Fail("config", $"{Display(path)} has {errors} error{(errors == 1 ? "" : "s")}; nothing was done", result.Problems, null);
            return null;
        }

        WarnAbout(result.Warnings);
        return result.Stack;
    }

    /// <summary>Loads the stack file and checks that <paramref name="components"/> are its components; the exit code to return when not.</summary>
    public bool TryLoadStack(IReadOnlyList<string> components, [NotNullWhen(true)] out StackFile? stack, out int exitCode) =>
        Checked(LoadStack(), components, out stack, out exitCode);

    /// <summary>
    /// The stack for a verb that only looks at or stops what runs (status, peek, why, logs, events,
    /// stop, kill, down, daemon status and stop): the stack file when it loads; when it does not, the daemon's own view of it
    /// (<see cref="StackFallback"/>), after a warning naming the file's first error. An operator
    /// must be able to stop a stack whose file is half edited; only what starts things refuses it.
    /// </summary>
    public StackFile? LoadStackForControl()
    {
        if (Find() is not { } path)
        {
            return null;
        }

        var result = StackFileLoader.Load(path, displayPath: Display(path));
        if (result.Stack is { } stack)
        {
            WarnAbout(result.Warnings);
            return stack;
        }

        var errors = result.Errors.ToList();
        var first = errors.Count == 0 ? "" : $": {errors[0].Location}: {errors[0].Message}";
        var more = errors.Count > 1 ? $" (and {errors.Count - 1} more)" : "";
        var fallback = StackFallback.For(path);
        Terminal.Err.MarkupLine($"[yellow]warning:[/] {Markup.Escape($"{Display(path)} does not load{first}{more}")}");
        Terminal.Err.MarkupLine($"  [grey]{Markup.Escape($"going by the daemon's state in {Display(fallback.StateDirectory)}; tend validate lists the errors to fix before tend up")}[/]");
        return fallback;
    }

    /// <summary>
    /// The stack for a verb that only reads what runs (status): when the file is byte for byte
    /// the one the daemon last took, the daemon validated it then and the snapshot says all the
    /// rest, so it is not parsed again (a 500-service file costs ~10 ms); otherwise
    /// <see cref="LoadStackForControl"/>, with its warnings about an edited or broken file.
    /// </summary>
    public StackFile? LoadStackForReading()
    {
        if (Find() is not { } path)
        {
            return null;
        }

        return StackFallback.Unchanged(path) ?? LoadStackForControl();
    }

    /// <summary><see cref="LoadStackForControl"/>, with the names checked against the stack as the daemon last took it (when it is known).</summary>
    public bool TryLoadStackForControl(IReadOnlyList<string> components, [NotNullWhen(true)] out StackFile? stack, out int exitCode) =>
        Checked(LoadStackForControl(), components, out stack, out exitCode);

    private bool Checked(StackFile? loaded, IReadOnlyList<string> components, [NotNullWhen(true)] out StackFile? stack, out int exitCode)
    {
        stack = loaded;
        if (stack is null)
        {
            exitCode = ExitCodes.Usage;
            return false;
        }

        // A stand-in for a broken file knows no components: the daemon checks the names itself.
        if (stack.Components.Count > 0 && Verbs.ComponentNames.FindUnknown(this, stack, components) is { } unknown)
        {
            exitCode = unknown;
            stack = null;
            return false;
        }

        exitCode = ExitCodes.Ok;
        return true;
    }

    private string? Find()
    {
        var path = StackFileLocator.Find(FileOption, WorkingDirectory);
        if (path is null)
        {
            Fail("config", $"no {StackFileLocator.DefaultName} in {WorkingDirectory} or any parent directory", [],
                "create one with `tend init` (try `tend init --preset quickstart`), or give its path with -f");
        }

        return path;
    }

    private void WarnAbout(IEnumerable<ConfigProblem> warnings)
    {
        if (Json)
        {
            return;
        }

        foreach (var warning in warnings)
        {
            Terminal.Err.MarkupLine($"[yellow]⚠[/] {Markup.Escape(warning.ToString())}");
        }
    }

    /// <summary>Reports a usage or configuration error in one paragraph, as text or JSON.</summary>
    public int Fail(string kind, string message, IReadOnlyList<ConfigProblem> problems, string? hint, int exitCode = ExitCodes.Usage)
    {
        if (Json)
        {
            WriteJson(new ErrorReportJson(new ErrorJson(kind, hint is null ? message : $"{message} ({hint})", [.. problems.Select(ReportMapper.Problem)])), ReportJson.Default.ErrorReportJson);
            return exitCode;
        }

        foreach (var problem in problems)
        {
            var label = problem.IsError ? "[red]error:[/]" : "[yellow]warning:[/]";
            var hintText = problem.Hint is null ? "" : $" [grey]({Markup.Escape(problem.Hint)})[/]";
            Terminal.Err.MarkupLine($"{Markup.Escape(problem.Location.ToString())}: {label} {Markup.Escape(problem.Message)}{hintText}");
        }

        var hintLine = hint is null ? "" : $"\n  [grey]{Markup.Escape(hint)}[/]";
        Terminal.Err.MarkupLine($"[red]tend:[/] {Markup.Escape(message)}{hintLine}");
        return exitCode;
    }

    public int UsageError(string message, string? hint = null) => Fail("usage", message, [], hint);

    /// <summary>The input was fine but it could not be done (the daemon could not start, went away, did not answer): exit 1.</summary>
    public int Failure(string message, string? hint = null) => Fail("failure", message, [], hint, ExitCodes.Failed);

    /// <summary>A daemon's error answer: a request it refused as bad is a usage error (exit 2), anything else a failure (exit 1).</summary>
    public int DaemonError(Daemon.Control.Protocol.ControlError error) => error.Code is "not_a_component" or "stack_file_invalid" or "malformed" or "too_large" or "invalid_argument"
        ? UsageError(error.Message, error.Hint)
        : Failure(error.Message, error.Hint);

    public static void WriteJson<T>(T value, JsonTypeInfo<T> typeInfo)
    {
        var json = JsonSerializer.SerializeToUtf8Bytes(value, typeInfo);
        Output.StandardOutput.Write([.. json, (byte)'\n']);
    }

    /// <summary>Paths relative to where the user stands are shorter and clickable in most terminals.</summary>
    public string Display(string path)
    {
        var relative = Path.GetRelativePath(WorkingDirectory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) ? path : relative;
    }
}
