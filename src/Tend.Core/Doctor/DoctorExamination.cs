using Tend.Core.Checks;
using Tend.Core.Knowledge;
using Tend.Core.Model;
using Tend.Core.Status;

namespace Tend.Core.Doctor;

/// <summary>What doctor saw, gathered by the CLI: the checks it ran and, when a daemon answers, its account.</summary>
/// <param name="Live">The daemon's snapshot, only when it answered now (a last known state.json is history, not a symptom).</param>
/// <param name="StateReadings">For each live component in a bad state: the end of its log and the diagnosis from its exit, output and events.</param>
/// <param name="DaemonProblem">Why a daemon that listens did not answer.</param>
/// <param name="Orphans">Runs alive with no daemon, as "name (pid N)".</param>
public sealed record DoctorEvidence(
    IReadOnlyList<CheckResult> Results,
    StackSnapshot? Live,
    IReadOnlyDictionary<string, StateReading> StateReadings,
    string? DaemonProblem,
    IReadOnlyList<string> Orphans);

/// <summary>The end of a component's log and what the rules make of its run.</summary>
public sealed record StateReading(IReadOnlyList<string> Tail, Diagnosis? Diagnosis);

/// <summary>
/// Turns what doctor saw into findings ordered by what blocks what: a database that is down is
/// said once, at the root, with the services that wait on it, skip a check because of it, or fail
/// their own probe while it is down listed under it; a problem of a component's own (its config,
/// a crash with its own cause) stays its own finding.
/// </summary>
public static class DoctorExamination
{
    public static DoctorReport Examine(StackFile stack, DoctorEvidence evidence)
    {
        var daemon = evidence.Live is not null ? "running" : evidence.DaemonProblem is not null ? "not_answering" : "not_running";
        // Outside its project (`[stack] expects`) nothing else was checked: that is the one finding.
        if (evidence.Results.FirstOrDefault(r => r.Check.Spec is Checks.Kinds.StackPlaceCheck && !r.Passed) is { } place)
        {
            var symptom = new Symptom(SymptomSource.Preflight, CheckStatus.Fail, place.Outcome.Summary, [.. place.Outcome.Facts], place.Diagnosis, null);
            return new DoctorReport(stack.Name, daemon, [new Finding(null, "stack", [symptom], [])], [], evidence.Results.Count, RunningNow(evidence.Live).Count);
        }

        var graph = new DependencyGraph(stack.Components);
        var order = graph.StartOrder();
        var live = evidence.Live?.Components.ToDictionary(c => c.Name, StringComparer.Ordinal) ?? [];
        var running = RunningNow(evidence.Live);

        var own = order.ToDictionary(c => c.Name, _ => new List<Symptom>(), StringComparer.Ordinal);
        // A consequence points at the components it waits on; whose roots they are is decided once every component is classified.
        var pending = new List<(string Component, string Summary, IReadOnlyList<string> Because)>();
        var notChecked = new List<NotChecked>();

        var byId = evidence.Results.ToDictionary(r => r.Check.Id, StringComparer.Ordinal);
        var idleProbed = new HashSet<string>(StringComparer.Ordinal);
        foreach (var result in evidence.Results)
        {
            var component = stack.Find(result.Check.Component);
            if (result.Check.Role == CheckRole.Health && component is { Kind: not ComponentKind.External } && !running.Contains(component.Name))
            {
                // A service that does not run cannot answer its probe: not a fault while the stack is down.
                if (!result.Passed)
                {
                    idleProbed.Add(result.Check.Id);
                }

                continue;
            }

            if (result.Status == CheckStatus.Skip)
            {
                var failedBefore = result.Check.After.Where(id => byId.TryGetValue(id, out var r) && !r.Passed).ToList();
                var title = result.Check.Spec.Title;
                if (failedBefore.Count > 0 && failedBefore.All(idleProbed.Contains))
                {
                    notChecked.Add(new NotChecked(result.Check.Component, title, string.Join(", ", failedBefore.Select(id => byId[id].Check.Component))));
                }
                else
                {
                    pending.Add((result.Check.Component, $"{title}: not checked", [.. failedBefore.Select(id => byId[id].Check.Component).Distinct(StringComparer.Ordinal)]));
                }

                continue;
            }

            if (!result.Passed && own.TryGetValue(result.Check.Component, out var symptoms))
            {
                symptoms.Add(new Symptom(SourceOf(result.Check.Role), result.Status, $"{result.Check.Spec.Title}: {result.Outcome.Summary}", [.. result.Outcome.Facts.Where(f => f != result.Outcome.Summary)], result.Diagnosis, null));
            }
        }

        var roots = new HashSet<string>(StringComparer.Ordinal);
        foreach (var component in order)
        {
            var symptoms = own[component.Name];
            var upstream = graph.Closure([component.Name]).Select(c => c.Name).Where(n => n != component.Name && roots.Contains(n)).ToList();
            if (live.TryGetValue(component.Name, out var snapshot) && component.Kind != ComponentKind.External)
            {
                AddState(snapshot, symptoms, pending, upstream, evidence.StateReadings);
            }

            // Its own probe failing while something it requires is down is most likely that: said under the root.
            if (upstream.Count > 0)
            {
                foreach (var health in symptoms.Where(s => s.Source == SymptomSource.Health).ToList())
                {
                    symptoms.Remove(health);
                    pending.Add((component.Name, health.Summary, upstream));
                }
            }

            if (symptoms.Any(s => s.Severity == CheckStatus.Fail))
            {
                roots.Add(component.Name);
            }
        }

        // What waits on something that is not itself a problem (stopped on request, or its wait has no root) is the problem to fix.
        // In start order, so that what waits on such a component finds it as its root.
        var position = order.Select((c, i) => (c.Name, i)).ToDictionary(x => x.Name, x => x.i, StringComparer.Ordinal);
        var blocks = new Dictionary<string, List<Consequence>>(StringComparer.Ordinal);
        foreach (var (name, summary, because) in pending.OrderBy(p => position.GetValueOrDefault(p.Component)).ToList())
        {
            var found = RootsOf(because, pending, roots);
            if (found.Count == 0)
            {
                own[name].Add(new Symptom(SymptomSource.State, CheckStatus.Fail, summary, [], null, live.TryGetValue(name, out var s) ? NextSteps.For(s) : null));
                roots.Add(name);
                continue;
            }

            foreach (var root in found)
            {
                var list = blocks.TryGetValue(root, out var existing) ? existing : blocks[root] = [];
                if (!list.Any(c => c.Component == name && c.Summary == summary))
                {
                    list.Add(new Consequence(name, summary));
                }
            }
        }

        // What requires a root and shows nothing yet (the stack is down, or it has not got that far) would wait on it: said too.
        foreach (var root in roots)
        {
            var list = blocks.TryGetValue(root, out var existing) ? existing : blocks[root] = [];
            foreach (var (dependent, summary) in Dependents(graph, root, running))
            {
                if (!list.Any(c => c.Component == dependent))
                {
                    list.Add(new Consequence(dependent, summary));
                }
            }
        }

        var findings = new List<Finding>();
        findings.AddRange(DaemonFindings(evidence));
        foreach (var component in order)
        {
            if (own[component.Name].Count > 0)
            {
                findings.Add(new Finding(component.Name, component.KindName, own[component.Name], blocks.TryGetValue(component.Name, out var b) ? b : []));
            }
        }

        return new DoctorReport(stack.Name, daemon, findings, notChecked, evidence.Results.Count, running.Count);
    }

    /// <summary>Components with a live process now: their pre-start checks are not run, their probe is.</summary>
    public static IReadOnlySet<string> RunningNow(StackSnapshot? live) =>
        live?.Components.Where(c => c.Kind != ComponentKind.External && c.Pid is not null).Select(c => c.Name).ToHashSet(StringComparer.Ordinal) ?? [];

    private static void AddState(ComponentSnapshot s, List<Symptom> symptoms, List<(string, string, IReadOnlyList<string>)> pending, List<string> upstream, IReadOnlyDictionary<string, StateReading> readings)
    {
        var verdict = s.Verdict;
        var reading = readings.GetValueOrDefault(s.Name);
        var diagnosis = reading?.Diagnosis;
        var facts = StateFacts(s, reading?.Tail ?? []);
        if (verdict.Kind == VerdictKind.Stuck || (s.State == ComponentState.Waiting && s.Blockers is { Count: > 0 }))
        {
            pending.Add((s.Name, verdict.Kind == VerdictKind.Stuck ? verdict.Reason : $"waiting for {s.WaitingFor ?? "what it requires"}", [.. (s.Blockers ?? []).Select(b => b.Component)]));
            return;
        }

        var summary = verdict.Reason.StartsWith(s.State.Words(), StringComparison.Ordinal) ? verdict.Reason : $"{s.State.Words()}: {verdict.Reason}";
        if (verdict.Kind == VerdictKind.Failed)
        {
            symptoms.Add(new Symptom(SymptomSource.State, CheckStatus.Fail, summary, facts, diagnosis, NextSteps.For(s, diagnosis?.RuleId == "liveness-restart")));
        }
        else if (s.State is ComponentState.Backoff or ComponentState.Unhealthy)
        {
            // Doctor's own probe said the same, fresher and with a diagnosis: one symptom, not two.
            if (s.State == ComponentState.Unhealthy && symptoms.Any(x => x.Source == SymptomSource.Health))
            {
                return;
            }

            var symptom = new Symptom(SymptomSource.State, CheckStatus.Fail, summary, facts, diagnosis, NextSteps.For(s, diagnosis?.RuleId == "liveness-restart"));
            if (upstream.Count > 0)
            {
                pending.Add((s.Name, summary, upstream));
            }
            else
            {
                symptoms.Add(symptom);
            }
        }
    }

    private static List<string> StateFacts(ComponentSnapshot s, IReadOnlyList<string> tail)
    {
        var facts = new List<string>();
        if (s.LastExitAt is not null)
        {
            facts.Add(s.LastSignal is { } signal ? $"its last run was killed by signal {signal}" : $"its last run exited with {s.LastExitCode}");
        }

        if (s.Restarts > 0)
        {
            facts.Add($"restarted {s.Restarts} time{(s.Restarts == 1 ? "" : "s")}");
        }

        if (s.LastProbe is { Length: > 0 } probe && s.Health == ProbeHealth.Failing)
        {
            facts.Add($"probe: {probe}");
        }

        // The diagnosis may say "read its output": the last lines are here, not on another screen.
        facts.AddRange(tail.TakeLast(3).Select(line => $"output: {line}"));
        return facts;
    }

    /// <summary>Every component that requires <paramref name="root"/>, directly or through others, with how.</summary>
    private static List<(string Component, string Summary)> Dependents(DependencyGraph graph, string root, IReadOnlySet<string> running)
    {
        var found = new List<(string, string)>();
        var seen = new HashSet<string>(StringComparer.Ordinal) { root };
        var queue = new Queue<string>([root]);
        while (queue.TryDequeue(out var current))
        {
            foreach (var dependent in graph.Dependents(current).Where(d => seen.Add(d.Name)))
            {
                var condition = dependent.Requires.First(r => r.Component == current).ConditionName;
                var how = current == root ? $"requires it {condition}" : $"requires {current} {condition}, which needs {root}";
                found.Add((dependent.Name, running.Contains(dependent.Name) ? $"{how} (runs now)" : how));
                queue.Enqueue(dependent.Name);
            }
        }

        return found;
    }

    /// <summary>The roots a wait leads to, following waits on what itself only waits.</summary>
    private static HashSet<string> RootsOf(IReadOnlyList<string> because, List<(string Component, string Summary, IReadOnlyList<string> Because)> pending, HashSet<string> roots)
    {
        var found = new HashSet<string>(StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var queue = new Queue<string>(because);
        while (queue.TryDequeue(out var name))
        {
            if (!seen.Add(name))
            {
                continue;
            }

            if (roots.Contains(name))
            {
                found.Add(name);
                continue;
            }

            foreach (var next in pending.Where(p => p.Component == name).SelectMany(p => p.Because))
            {
                queue.Enqueue(next);
            }
        }

        return found;
    }

    private static IEnumerable<Finding> DaemonFindings(DoctorEvidence evidence)
    {
        var symptoms = new List<Symptom>();
        if (evidence.DaemonProblem is { } problem)
        {
            symptoms.Add(new Symptom(SymptomSource.Daemon, CheckStatus.Fail, problem, [], null, null));
        }

        foreach (var warning in evidence.Live?.Warnings ?? [])
        {
            symptoms.Add(new Symptom(SymptomSource.Daemon, CheckStatus.Warn, warning.Message, [$"since {warning.Since:O}"], null, null));
        }

        if (evidence.Orphans.Count > 0)
        {
            symptoms.Add(new Symptom(SymptomSource.Daemon, CheckStatus.Fail, $"unsupervised: {string.Join(", ", evidence.Orphans)} run with no daemon to watch them", [], null, "tend up stops and restarts them under a new daemon"));
        }

        return symptoms.Count == 0 ? [] : [new Finding(null, "daemon", symptoms, [])];
    }

    private static SymptomSource SourceOf(CheckRole role) => role switch
    {
        CheckRole.Config => SymptomSource.Config,
        CheckRole.Health => SymptomSource.Health,
        _ => SymptomSource.Preflight,
    };
}
