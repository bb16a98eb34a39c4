using Tend.Core.Model;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>What a round adds to its command line, and what it is given on stdin.</summary>
public sealed record RoundInput(IReadOnlyList<string> Arguments, string? Stdin, IReadOnlyList<string> PromptFiles);

/// <summary>
/// Builds a round's prompt: its phase's prompt files (else the component's) read now, so an edit
/// between rounds is picked up, joined by the separator, and passed where the template says.
/// </summary>
public static class RoundPromptBuilder
{
    public const string PromptFileName = "prompt-current.md";

    /// <summary>The round's input, or why it cannot have one (a prompt file went missing since validation).</summary>
    public static (RoundInput? Input, string? Error) Build(RoundsPolicy policy, RoundPhase? phase, string logDirectory)
    {
        var phaseArgs = phase?.Args ?? [];
        if (policy.Prompt is not { } prompt)
        {
            return (new RoundInput(phaseArgs, null, []), null);
        }

        var files = policy.PromptFilesOf(phase);
        var parts = new List<string>(files.Count);
        foreach (var file in files)
        {
            try
            {
                parts.Add(File.ReadAllText(file));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                return (null, $"cannot read prompt file {file}: {e.Message}");
            }
        }

        var text = string.Join(prompt.Separator, parts);
        if (prompt.Stdin)
        {
            return (new RoundInput(phaseArgs, text, files), null);
        }

        var promptFile = Path.Combine(logDirectory, PromptFileName);
        var template = prompt.ArgTemplate ?? [];
        if (template.Any(a => a.Contains("{prompt_file}", StringComparison.Ordinal)))
        {
            Core.Persistence.AtomicFile.WriteAllText(promptFile, text, durable: false);
        }

        var arguments = phaseArgs.Concat(template.Select(a => a.Replace("{prompt_file}", promptFile, StringComparison.Ordinal).Replace("{prompt}", text, StringComparison.Ordinal)));
        return (new RoundInput([.. arguments], null, files), null);
    }
}
