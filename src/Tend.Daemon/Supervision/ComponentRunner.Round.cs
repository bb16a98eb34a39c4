using System.Diagnostics;
using System.Globalization;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Rounds;
using Tend.Core.Status;
using Tend.Daemon.Logs;
using Tend.Daemon.Processes;
using Tend.Daemon.Supervision.Rounds;

namespace Tend.Daemon.Supervision;

/// <summary>One round: pre_round hook, prompt, start, and the watch for its result, grace period and timeout.</summary>
public sealed partial class ComponentRunner
{
    /// <summary>Runs one round to its end; null when the session was stopped meanwhile.</summary>
    private async Task<RoundOutcome?> RunRoundAsync(RoundsPolicy policy, string logDirectory, CancellationToken stop)
    {
        int run;
        lock (_gate)
        {
            run = ++_run;
        }

        var phase = policy.PhaseOf(run);
        var environment = RoundEnvironment(phase, logDirectory, run);
        Update(() =>
        {
            _roundsProgress.Round = run;
            _roundsProgress.Phase = phase?.Name;
            _roundsProgress.SessionRounds++;
        });

        if (policy.Hooks.PreRound is { } preRound && await RunPreRoundAsync(preRound, policy, phase, environment, run, stop) is { } hookError)
        {
            return NotStarted(run, phase, hookError);
        }

        var argv = Component.Command!;
        var (input, promptError) = RoundPromptBuilder.Build(policy, phase, logDirectory);
        if (input is null)
        {
            // A prompt file that went missing will not appear by trying again: fail now, as a service would.
            return FailToStart(run, phase, argv, new LaunchFailure("prompt_missing", promptError!, ExitStatus.CannotExecute));
        }

        SetState(ComponentState.Starting, $"round {run}");
        var request = new LaunchRequest(argv[0], [.. argv.Skip(1), .. input.Arguments], Component.WorkingDirectory, environment)
        {
            Input = input.Stdin is null ? StandardInput.Closed : StandardInput.Pipe,
            DieWithParent = true,
            ReplaceEnvironment = !Component.EnvInherit.All,
            Cgroup = EnterRunCgroup(run)?.Path,
        };
        var outcome = await _services.Launcher.StartAsync(request);
        if (outcome is LaunchOutcome.Failed { Failure: var failure })
        {
            LeaveRunCgroup();
            // Short of resources, the round counts as failed and the pace backs off; anything else stays failing.
            return failure.Transient ? NotStarted(run, phase, failure.Message) : FailToStart(run, phase, argv, failure);
        }

        ConfirmRunCgroup((LaunchOutcome.Started)outcome, run);
        using (var process = ((LaunchOutcome.Started)outcome).Process)
        {
            var timeout = policy.TimeoutOf(phase);
            _services.Events.Emit(
                EventKinds.Rounds.RoundStarted, Name,
                EventFields.Present(
                    new("run", run), phase is null ? null : new("phase", phase.Name), new("pid", process.Id),
                    EventFields.List("argv", [.. argv, .. input.Arguments.Select(ShortenArgument)]), EventFields.Ms("timeout_ms", timeout),
                    EventFields.List("prompt_files", input.PromptFiles)));
            if (input.Stdin is { } text)
            {
                WritePrompt(process.StandardInput, text);
            }

            return await WatchRoundAsync(process, run, phase, policy, timeout, stop);
        }
    }

    private async Task<RoundOutcome?> WatchRoundAsync(Process process, int run, RoundPhase? phase, RoundsPolicy policy, TimeSpan timeout, CancellationToken stop)
    {
        var pid = process.Id;
        var started = _services.Time.GetTimestamp();
        var startedAt = _services.Time.GetUtcNow();
        Update(() =>
        {
            _pid = pid;
            _pidStartTicks = ProcStat.Read(pid)?.StartTicks;
            _startedAt = startedAt;
            _roundsProgress.InRound = true;
            _roundsProgress.RoundStartedAt = startedAt;
        });
        SetState(ComponentState.Running, phase is null ? $"round {run}" : $"round {run} ({phase.Name})");

        var watcher = new RoundWatcher(policy.ResultPattern, new RoundClassifier(policy.Classify, _services.Time), _services.Time);
        var capture = _services.Output.CaptureAsync(Name, run, Component.Logs, process, new ObserverGroup([watcher, _services.Lines.ObserverFor(Name, run)]), CancellationToken.None);
        var exited = process.WaitForExitAsync(CancellationToken.None);
        RoundEnd end;
        try
        {
            end = await WaitForRoundEndAsync(pid, run, policy, timeout, watcher, exited, stop);
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            // A bug while watching must not leave the round running with nobody watching it.
            await StopGroupAsync(pid, run, $"tend failed while watching round {run}", Signals.SIGKILL);
            throw;
        }

        var (duration, code, signal) = await AfterExitAsync(process, run, started, capture, () => _roundsProgress.InRound = false);

        // Read once the output is drained: the lines that tell (the result, an error) come last.
        var resultSeen = watcher.ResultSeen.IsCompleted;
        var ok = end == RoundEnd.GraceKill || (end == RoundEnd.Exited && code == 0);
        var classification = ok || end == RoundEnd.Stopped ? null : watcher.Classification;
        var outcomeName = end switch
        {
            RoundEnd.Stopped => "stopped",
            RoundEnd.GraceKill => "grace_kill",
            RoundEnd.TimeoutKill => "timeout_kill",
            _ => ok ? "ok" : "failed",
        };
        Update(() =>
        {
            _roundsProgress.LastOutcome = outcomeName;
            _roundsProgress.LastDurationSeconds = duration.TotalSeconds;
            _roundsProgress.LastBucket = classification is null ? null : RoundBuckets.Name(classification.Bucket);
            _roundsProgress.LastEndedAt = _lastExitAt;
        });
        _services.Events.Emit(
            EventKinds.Rounds.RoundEnded, Name,
            EventFields.Present(
                new("run", run), phase is null ? null : new("phase", phase.Name), new("outcome", outcomeName),
                signal is null ? new("exit_code", code) : new("signal", Signals.Name(signal.Value)),
                EventFields.Ms("duration_ms", duration), new("result_seen", resultSeen),
                classification is null ? null : new("bucket", RoundBuckets.Name(classification.Bucket))));
        if (end == RoundEnd.Stopped)
        {
            return null;
        }

        if (classification is not null)
        {
            EmitClassified(run, classification);
        }

        return new RoundOutcome(ok, signal is null ? code : null, signal, duration, end == RoundEnd.TimeoutKill, classification);
    }

    private void EmitClassified(int run, RoundClassification classification)
    {
        var bucket = RoundBuckets.Name(classification.Bucket);
        var line = Redactor.Redact(classification.Line);
        _services.Events.Emit(
            EventKinds.Rounds.RoundClassified, Name,
            EventFields.Present(
                new("run", run), new("bucket", bucket), new("action", RoundActions.Name(classification.Rule.Action)),
                new("rule", classification.Rule.Origin), new("line", line),
                classification.ResetAt is { } reset ? new("reset_at", reset.ToString("O", CultureInfo.InvariantCulture)) : null));
        if (classification.Rule.Action == RoundAction.Alert)
        {
            _services.Events.Emit(EventKinds.Rounds.RoundAlert, Name, new("run", run), new("bucket", bucket), new("line", line));
        }
    }

    /// <summary>A round whose program or prompt is missing: the component fails now, as a service would.</summary>
    private RoundOutcome? FailToStart(int run, RoundPhase? phase, IReadOnlyList<string> argv, LaunchFailure failure)
    {
        NotStarted(run, phase, failure.Message);
        _services.Events.Emit(EventKinds.ComponentStartFailed, Name, new("run", run), EventFields.List("argv", Redactor.RedactLines(argv, _services.Events.Secrets)), new("error", failure.Message), new("error_class", failure.ErrorClass));
        SetState(ComponentState.Failed, $"{failure.Message}; fix it, then `tend start {Name}`");
        return null;
    }

    /// <summary>A round that could not start (hook failed, system short of resources): a failed round of no duration.</summary>
    private RoundOutcome NotStarted(int run, RoundPhase? phase, string why)
    {
        var now = _services.Time.GetUtcNow();
        Update(() =>
        {
            _roundsProgress.LastOutcome = "not_started";
            _roundsProgress.LastDurationSeconds = 0;
            _roundsProgress.LastBucket = null;
            _roundsProgress.LastEndedAt = now;
            _reason = why;
        });
        _services.Events.Emit(
            EventKinds.Rounds.RoundEnded, Name,
            EventFields.Present(new("run", run), phase is null ? null : new("phase", phase.Name), new("outcome", "not_started"), new("duration_ms", 0), new("result_seen", false)));
        return new RoundOutcome(false, null, null, TimeSpan.Zero, false, null, why);
    }

    /// <summary>
    /// Writes the prompt to the round's stdin and closes it, on a thread of its own: pipes are
    /// synchronous here, and a child that never reads a prompt larger than the pipe must hold
    /// neither the round's watch nor a pool thread.
    /// </summary>
    private static void WritePrompt(StreamWriter stdin, string text)
    {
        var thread = new Thread(() =>
        {
            try
            {
                stdin.Write(text);
                stdin.Flush();
            }
            catch (Exception e) when (e is IOException or ObjectDisposedException)
            {
                // The round exited without reading all of it: its exit says what happened.
            }
            finally
            {
                try
                {
                    stdin.Dispose();
                }
                catch (IOException)
                {
                    // Broken pipe on the final flush: the same.
                }
            }
        })
        {
            IsBackground = true,
            Name = "tend round stdin",
        };
        thread.Start();
    }

    /// <summary>A prompt in an argument can be long: the event keeps its start.</summary>
    private static string ShortenArgument(string argument) => Redactor.Redact(argument.Length <= 200 ? argument : argument[..200] + $"… ({argument.Length} characters)");
}
