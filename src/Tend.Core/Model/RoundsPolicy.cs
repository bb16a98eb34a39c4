using Tend.Core.Text;

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
    Pattern? ResultPattern,
    TimeSpan GraceAfterResult,
    ValueList<Pattern> GraceIgnore,
    TimeSpan ShortCrash,
    int CrashLoopAfter,
    TimeSpan BackOffMax,
    TimeSpan ResetJitterMin,
    TimeSpan ResetJitterMax,
    RoundPrompt? Prompt,
    ValueList<RoundPhase> Phases,
    RoundHooks Hooks,
    ValueList<ClassifyRule> Classify)
{
    public const string DefaultSentinel = ".tend-done";

    /// <summary>The stop file's name in the component's log directory when the stack file names none.</summary>
    public const string DefaultStopFileName = "stop-requested";

    /// <summary>The phase of round <paramref name="round"/> (1-based): phase (N-1) mod count; null without phases.</summary>
    public RoundPhase? PhaseOf(int round) => Phases.Count == 0 ? null : Phases[(round - 1) % Phases.Count];

    /// <summary>The prompt files of a round: its phase's own, else the component's.</summary>
    public IReadOnlyList<string> PromptFilesOf(RoundPhase? phase) => phase?.PromptFiles ?? Prompt?.Files ?? [];

    public TimeSpan TimeoutOf(RoundPhase? phase) => phase?.Timeout ?? Timeout;
}

/// <summary>
/// The prompt a round is given: files concatenated with a separator, then passed as arguments
/// (<c>{prompt}</c> is the text, <c>{prompt_file}</c> a file holding it) or written to stdin.
/// </summary>
public sealed record RoundPrompt(ValueList<string> Files, string Separator, ValueList<string>? ArgTemplate, bool Stdin);

/// <summary>One phase of the rotation: what it adds to the command, its environment, prompt and timeout.</summary>
public sealed record RoundPhase(
    string Name,
    ValueList<string> Args,
    ValueDictionary Environment,
    ValueList<string>? PromptFiles,
    TimeSpan? Timeout);

/// <summary>Commands run around the rounds: once before the first, and before each.</summary>
public sealed record RoundHooks(ValueList<string>? OnStart, ValueList<string>? PreRound, TimeSpan Timeout)
{
    public static readonly RoundHooks None = new(null, null, TimeSpan.FromMinutes(5));
}
