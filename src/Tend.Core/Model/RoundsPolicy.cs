using System.Text.RegularExpressions;

namespace Tend.Core.Model;

/// <summary>
/// How a <c>kind = "rounds"</c> component runs its command again and again: the pace between
/// rounds, the limits of one round, what ends the whole session, and how failures are told apart.
/// </summary>
public sealed record RoundsPolicy(
    TimeSpan Delay,
    TimeSpan FailureDelay,
    TimeSpan Timeout,
    int? MaxRounds,
    string Sentinel,
    string? StopFile,
    Regex? ResultPattern,
    TimeSpan GraceAfterResult,
    IReadOnlyList<Regex> GraceIgnore,
    TimeSpan ShortCrash,
    int CrashLoopAfter,
    TimeSpan BackOffMax,
    TimeSpan ResetJitterMin,
    TimeSpan ResetJitterMax,
    RoundPrompt? Prompt,
    IReadOnlyList<RoundPhase> Phases,
    RoundHooks Hooks,
    IReadOnlyList<ClassifyRule> Classify)
{
    public const string DefaultSentinel = ".tend-done";

    /// <summary>The stop file's name in the component's log directory when the stack file names none.</summary>
    public const string DefaultStopFileName = "stop-requested";

    /// <summary>The phase of round <paramref name="round"/> (1-based): phase (N-1) mod count; null without phases.</summary>
    public RoundPhase? PhaseOf(int round) => Phases.Count == 0 ? null : Phases[(round - 1) % Phases.Count];

    /// <summary>The prompt files of a round: its phase's own, else the component's.</summary>
    public IReadOnlyList<string> PromptFilesOf(RoundPhase? phase) => phase?.PromptFiles ?? Prompt?.Files ?? [];

    public TimeSpan TimeoutOf(RoundPhase? phase) => phase?.Timeout ?? Timeout;

    /// <summary>
    /// Every setting as text, to tell whether an edited stack file changed the rounds: the record's
    /// own equality compares its lists and regexes by reference. Prompt files count by path; their
    /// content is read at each round anyway.
    /// </summary>
    public string Fingerprint()
    {
        var parts = new List<string>
        {
            $"{Delay}|{FailureDelay}|{Timeout}|{MaxRounds}|{Sentinel}|{StopFile}|{ResultPattern}|{GraceAfterResult}",
            string.Join('|', GraceIgnore.Select(r => r.ToString())),
            $"{ShortCrash}|{CrashLoopAfter}|{BackOffMax}|{ResetJitterMin}|{ResetJitterMax}",
            Prompt is null ? "" : $"{string.Join('|', Prompt.Files)}|{Prompt.Separator}|{string.Join('|', Prompt.ArgTemplate ?? [])}|{Prompt.Stdin}",
            $"{string.Join('|', Hooks.OnStart ?? [])}|{string.Join('|', Hooks.PreRound ?? [])}|{Hooks.Timeout}",
        };
        parts.AddRange(Phases.Select(p =>
            $"{p.Name}|{string.Join(' ', p.Args)}|{string.Join(',', p.Environment.OrderBy(e => e.Key, StringComparer.Ordinal).Select(e => $"{e.Key}={e.Value}"))}|{string.Join(' ', p.PromptFiles ?? [])}|{p.Timeout}"));
        parts.AddRange(Classify.Select(r =>
            $"{r.Origin}|{r.Bucket}|{r.Match}|{string.Join(',', r.Json.Select(j => $"{j.Path}={j.Expected}"))}|{r.ResetAtPath}|{r.Action}|{r.BackOffBase}|{r.PlainLinesOnly}"));
        return string.Join('\n', parts);
    }
}

/// <summary>
/// The prompt a round is given: files concatenated with a separator, then passed as arguments
/// (<c>{prompt}</c> is the text, <c>{prompt_file}</c> a file holding it) or written to stdin.
/// </summary>
public sealed record RoundPrompt(IReadOnlyList<string> Files, string Separator, IReadOnlyList<string>? ArgTemplate, bool Stdin);

/// <summary>One phase of the rotation: what it adds to the command, its environment, prompt and timeout.</summary>
public sealed record RoundPhase(
    string Name,
    IReadOnlyList<string> Args,
    IReadOnlyDictionary<string, string> Environment,
    IReadOnlyList<string>? PromptFiles,
    TimeSpan? Timeout);

/// <summary>Commands run around the rounds: once before the first, and before each.</summary>
public sealed record RoundHooks(IReadOnlyList<string>? OnStart, IReadOnlyList<string>? PreRound, TimeSpan Timeout)
{
    public static readonly RoundHooks None = new(null, null, TimeSpan.FromMinutes(5));
}
