using System.Globalization;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Status;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Supervision;

/// <summary>A rounds session's hooks (on_start once, pre_round before each round) and the environment a round gets.</summary>
public sealed partial class ComponentRunner
{
    private async Task<bool> RunOnStartAsync(IReadOnlyList<string> argv, RoundsPolicy policy, string logDirectory, CancellationToken stop)
    {
        SetState(ComponentState.Starting, "on_start hook");
        var environment = RoundEnvironment(null, logDirectory, null);
        var result = await HookRunner.RunAsync(argv, Component.WorkingDirectory, environment, policy.Hooks.Timeout, _services, [], !Component.EnvInherit.All, stop);
        if (!result.Ok)
        {
            _services.Events.Emit(EventKinds.Rounds.HookFailed, Name, new("hook", "on_start"), EventFields.List("argv", Redactor.RedactLines(argv, _services.Events.Secrets)), new("error", result.Error!), EventFields.List("output_tail", result.OutputTail));
            SetState(ComponentState.Failed, $"on_start hook failed: {result.Error}; fix it, then `tend start {Name}`");
            return false;
        }

        _services.Events.Emit(EventKinds.Rounds.HookRan, Name, new("hook", "on_start"), EventFields.List("argv", Redactor.RedactLines(argv, _services.Events.Secrets)), EventFields.Ms("duration_ms", result.Duration));
        return true;
    }

    /// <summary>The round's environment: the component's, its phase's, and where it is in the rotation.</summary>
    private Dictionary<string, string> RoundEnvironment(RoundPhase? phase, string logDirectory, int? round)
    {
        var environment = new Dictionary<string, string>(ChildEnvironment.For(Component, _supervisor.Stack), StringComparer.Ordinal);
        foreach (var (key, value) in phase?.Environment ?? ValueDictionary.Empty)
        {
            environment[key] = value;
        }

        environment["TEND_LOG_DIR"] = logDirectory;
        environment["TEND_PHASE"] = phase?.Name ?? "";
        if (round is { } number)
        {
            environment["TEND_ROUND"] = number.ToString(CultureInfo.InvariantCulture);
            foreach (var (key, value) in Processes.RunTag.Variables(number, Environment.ProcessId))
            {
                environment[key] = value;
            }
        }

        return environment;
    }

    /// <summary>Runs pre_round; returns why the round cannot go ahead, or null.</summary>
    private async Task<string?> RunPreRoundAsync(IReadOnlyList<string> argv, RoundsPolicy policy, RoundPhase? phase, IReadOnlyDictionary<string, string> environment, int run, CancellationToken stop)
    {
        SetState(ComponentState.Starting, $"round {run}: pre_round hook");
        var result = await HookRunner.RunAsync(argv, Component.WorkingDirectory, environment, policy.Hooks.Timeout, _services, policy.PromptFilesOf(phase), !Component.EnvInherit.All, stop);
        if (!result.Ok)
        {
            _services.Events.Emit(EventKinds.Rounds.HookFailed, Name, new("hook", "pre_round"), new("run", run), EventFields.List("argv", Redactor.RedactLines(argv, _services.Events.Secrets)), new("error", result.Error!), EventFields.List("output_tail", result.OutputTail));
            return $"pre_round hook failed: {result.Error}";
        }

        _services.Events.Emit(
            EventKinds.Rounds.HookRan, Name,
            new("hook", "pre_round"), new("run", run), EventFields.List("argv", Redactor.RedactLines(argv, _services.Events.Secrets)), EventFields.Ms("duration_ms", result.Duration),
            new("prompt_changed", result.ChangedFiles.Count > 0), EventFields.List("changed_files", result.ChangedFiles));
        return null;
    }
}
