using System.Globalization;
using System.Text;
using System.Threading.Channels;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// One step's run in a workflow run: its attempts, the back-off between them, the check of its
/// artifacts, and its usage reports, ending in one <see cref="RunMessage.StepEnded"/>.
/// </summary>
internal sealed class StepExecution(RunState run, IStepLauncher launcher, TimeProvider time, ChannelWriter<RunMessage> messages)
{
    /// <summary>
    /// The step's run, ending in a <see cref="RunMessage.StepEnded"/> whatever happens: an
    /// exception (a stop during the pre-flight, a bug) fails the step with its reason in words,
    /// since a step that never reports its end keeps the whole run waiting for ever.
    /// </summary>
    public async Task RunAsync(StepProgress progress, CancellationToken stop)
    {
        try
        {
            await RunStepAsync(progress, stop);
        }
        catch (Exception e)
        {
            var reason = e is OperationCanceledException && stop.IsCancellationRequested
                ? "the run stopped before its command started (during its pre-flight)"
                : $"tend could not run it: {e.GetType().Name}: {e.Message}";
            lock (run.Gate)
            {
                if (progress.Attempts.Count > 0 && progress.Attempts[^1].Ended is null)
                {
                    progress.Attempts[^1] = progress.Attempts[^1] with { Ended = time.GetUtcNow(), Reason = reason };
                }
            }

            ArtifactCheck.CleanAfterFailure(run.Workflow.Directory, progress.Step.Emits);
            Post(new RunMessage.StepEnded(progress.Step.Id, false, reason));
        }
    }

    private async Task RunStepAsync(StepProgress progress, CancellationToken stop)
    {
        var step = progress.Step;
        var cacheKey = CacheKey(progress);
        if (cacheKey is not null && StepCache.Find(StepCache.EarlierRuns(run.Directory), run.RunId, step, cacheKey, run.Workflow.Directory) is { } hit)
        {
            lock (run.Gate)
            {
                (progress.CacheKey, progress.CachedFrom, progress.Artifacts) = (cacheKey, hit.Run, hit.Artifacts);
            }

            Post(new RunMessage.StepEnded(step.Id, true, null));
            return;
        }

        var tries = 0;
        while (true)
        {
            tries++;
            var (failure, exitCode, failureClass, stopped) = await AttemptAsync(progress, stop);
            if (failure is null)
            {
                if (cacheKey is not null)
                {
                    lock (run.Gate)
                    {
                        (progress.CacheKey, progress.Artifacts) = (cacheKey, StepCache.Hashed(progress.Artifacts, run.Workflow.Directory));
                    }
                }

                Post(new RunMessage.StepEnded(step.Id, true, null));
                return;
            }

            if (!stopped && tries <= step.Retry.Max && RetryDelay.Applies(step.Retry, exitCode, failureClass))
            {
                var delay = RetryDelay.After(step.Retry, tries);

                // The wait exists before anyone hears of it: whoever advances a test's clock on
                // the news advances this wait.
                var wait = Task.Delay(delay, time, stop);
                var attempt = progress.Attempts.Count;
                run.Emit(EventKinds.Workflows.StepRetrying, EventFields.Present(new EventField("step", step.Id), new("attempt", attempt), new("reason", failure), EventFields.Ms("delay_ms", delay), failureClass is null ? null : new EventField("class", failureClass)));
                run.Request.Progress?.Invoke(new StepTransition(step.Id, StepState.Running, attempt, failure) { RetryIn = delay });
                try
                {
                    await wait;
                    continue;
                }
                catch (OperationCanceledException)
                {
                    failure = $"{failure}; the run stopped during the back-off";
                }
            }

            ArtifactCheck.CleanAfterFailure(run.Workflow.Directory, step.Emits);
            Post(new RunMessage.StepEnded(step.Id, false, failure));
            return;
        }
    }

    private async Task<(string? Failure, int? ExitCode, string? Class, bool Stopped)> AttemptAsync(StepProgress progress, CancellationToken stop)
    {
        var step = progress.Step;
        int number;
        lock (run.Gate)
        {
            number = progress.Attempts.Count + 1;
        }

        var report = run.Directory.ReportFile(step.Id, number);
        var variables = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["TEND_WORKFLOW"] = run.Workflow.Name,
            ["TEND_RUN"] = run.RunId,
            ["TEND_STEP"] = step.Id,
            ["TEND_ATTEMPT"] = number.ToString(CultureInfo.InvariantCulture),
            ["TEND_RUN_DIR"] = run.Directory.Path,
            ["TEND_STEP_REPORT"] = report,
        };
        var started = time.GetUtcNow();
        var (command, problem) = StepCommand.Resolve(run.Workflow, step, run.Request.Stack, run.Request.Inputs, variables);
        if (command is null)
        {
            Record(progress, new AttemptRecord(number, started, started, null, null, null, problem));
            return (problem, null, null, false);
        }

        Record(progress, new AttemptRecord(number, started, null, null, null, null, null));
        if (await PreflightAsync(step.Id, command, number, stop) is { } refused)
        {
            lock (run.Gate)
            {
                progress.Attempts[^1] = progress.Attempts[^1] with { Ended = time.GetUtcNow(), Reason = refused };
            }

            run.Save();
            return (refused, null, null, stop.IsCancellationRequested);
        }

        var classifier = FailureClasses.NewClassifier(time);
        var output = new AttemptOutput(classifier, line =>
        {
            if (StepUsage.Parse(line) is { } usage)
            {
                Post(new RunMessage.UsageReported(step.Id, usage));
            }
        }, pid =>
        {
            lock (run.Gate)
            {
                progress.Attempts[^1] = progress.Attempts[^1] with { Pid = pid };
            }

            run.SaveSoon();
            run.Emit(EventKinds.Workflows.StepStarted, new("step", step.Id), new("attempt", number), new("pid", pid), EventFields.List("argv", command.Argv));
            run.Request.Progress?.Invoke(new StepTransition(step.Id, StepState.Running, number, null));
        });

        var launch = new StepLaunch(step.Id, number, command.Argv, command.WorkingDirectory, command.Environment, command.ReplaceEnvironment, step.Timeout, run.Directory.LogFile(step.Id));
        var exit = await launcher.RunAsync(launch, output, stop);
        if (ReadReport(report) is { } reported)
        {
            Post(new RunMessage.UsageReported(step.Id, reported));
        }

        string? failure = exit.StartFailure ?? exit.Killed ?? (exit.Signal is { } signal ? Processes.ExitStatus.KilledBy(signal) : exit.ExitCode is { } code ? Processes.ExitStatus.Describe(code) : null);
        IReadOnlyList<ArtifactRecord> artifacts = [];
        var tally = new ArtifactTally(null, null);
        if (failure is null)
        {
            var verdict = ArtifactCheck.Check(run.Workflow.Directory, step.Emits);
            artifacts = verdict.Artifacts;
            failure = verdict.Passed ? null : string.Join("; ", verdict.Problems);
            tally = ArtifactTally.Of(step.Emits, verdict);
        }

        var failureClass = failure is null || classifier.Result is not { } classified ? null : RoundBuckets.Name(classified.Bucket);
        lock (run.Gate)
        {
            progress.Attempts[^1] = new AttemptRecord(number, started, time.GetUtcNow(), exit.Pid, exit.ExitCode, exit.Signal is { } s ? Processes.Signals.Name(s) : null, failure) { Class = failureClass, ArtifactsChecked = tally.Checked, ArtifactsFailed = tally.Failed };
            progress.Artifacts = artifacts;
        }

        // The step's end (saved by the scheduler at once) follows; a retry's wait is not worth a write of its own.
        run.SaveSoon();
        return (failure, exit.ExitCode, failureClass, stop.IsCancellationRequested);
    }

    /// <summary>
    /// A component's command gets the pre-flight <c>tend run</c> gives it; a failure is the
    /// attempt's reason and the command never starts. What the checks found goes to the step's
    /// log, where <c>tend workflow logs</c> and <c>tend why</c> read it.
    /// </summary>
    private async Task<string?> PreflightAsync(string stepId, ResolvedCommand command, int attempt, CancellationToken stop)
    {
        if (command is not { Component: { } component, Named: { } named } || run.Request.Stack is not { } stack
            || Checks.CommandPreflightRun.Plan(stack, component, named) is not { Count: > 0 } plan)
        {
            return null;
        }

        var report = await Checks.CommandPreflightRun.RunAsync(stack, plan, Config.RuleBook.With(stack.DiagnoseRules), time, null, stop);
        var log = new StringBuilder();
        var at = attempt.ToString(CultureInfo.InvariantCulture);
        log.Append(CultureInfo.InvariantCulture, $"==> attempt {at} pre-flight of {component.Name} {named.Name} at {time.GetUtcNow():O}: {(report.Failed ? "failed" : "passed")}\n");
        foreach (var result in report.Results.Where(r => !r.Passed))
        {
            log.Append(CultureInfo.InvariantCulture, $"    {result.Status.Word()}: {result.Check.Spec.Title}: {result.Outcome.Summary}\n");
            if (result.Diagnosis is { } diagnosis)
            {
                log.Append(CultureInfo.InvariantCulture, $"      cause: {diagnosis.Cause}\n");
                foreach (var action in diagnosis.Actions)
                {
                    log.Append(CultureInfo.InvariantCulture, $"      next: {action}\n");
                }
            }
        }

        if (report.Failed)
        {
            log.Append(CultureInfo.InvariantCulture, $"==> attempt {at} not started: {string.Join(' ', command.Argv)}\n");
        }

        try
        {
            await File.AppendAllTextAsync(run.Directory.LogFile(stepId), log.ToString(), CancellationToken.None);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The log is for reading later; the reason in run.json says the same in one line.
        }

        return report.Failed ? report.Reason : null;
    }

    /// <summary>With <c>policy.cache</c> on and the step not opted out, what its run depends on, hashed before it starts; else null.</summary>
    private string? CacheKey(StepProgress progress)
    {
        var step = progress.Step;
        if (!run.Workflow.Policy.Cache || !step.Cache)
        {
            return null;
        }

        List<(string, ArtifactRecord)> upstream;
        lock (run.Gate)
        {
            upstream = [.. step.DependsOn.Where(d => run.Steps.ContainsKey(d.StepId)).SelectMany(d => run[d.StepId].Artifacts.Select(a => (d.StepId, a)))];
        }

        var variables = new Dictionary<string, string>(StringComparer.Ordinal) { ["TEND_WORKFLOW"] = run.Workflow.Name, ["TEND_STEP"] = step.Id };
        return StepCache.Key(run.Workflow, step, run.Request.Stack, run.Request.Inputs, variables, upstream);
    }

    private void Record(StepProgress progress, AttemptRecord attempt)
    {
        lock (run.Gate)
        {
            progress.Attempts.Add(attempt);
        }

        run.SaveSoon();
    }

    private static StepUsage? ReadReport(string path)
    {
        try
        {
            return File.Exists(path) ? StepUsage.Parse(File.ReadAllText(path).ReplaceLineEndings(" ")) : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    private void Post(RunMessage message) => messages.TryWrite(message);

    private sealed class AttemptOutput(Rounds.RoundClassifier classifier, Action<string> usage, Action<int> started) : IStepOutput
    {
        public void Started(int pid) => started(pid);

        public void Line(string line)
        {
            classifier.Observe(Encoding.UTF8.GetBytes(line));
            usage(line);
        }
    }
}
