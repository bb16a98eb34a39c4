using Spectre.Console;
using Tend.Core.Status;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Output;

/// <summary>How a wait for components ended: every one up, one failed or stuck, the time ran out, or the daemon went away (<paramref name="Lost"/> says how); with their last snapshots.</summary>
internal sealed record Settled(bool AllUp, IReadOnlyList<ComponentSnapshot> Components, bool TimedOut, string? Lost = null)
{
    public IReadOnlyList<ComponentSnapshot> Bad => [.. Components.Where(c => c.Verdict.WillNotComeUp)];
}

/// <summary>
/// Waits on the daemon's snapshots (pushed at every change, no polling) until the named
/// components are settled by Core's verdict, printing a line for each as it changes.
/// </summary>
/// <param name="explainExternal">
/// Runs an external component's check once, here, with the knowledge base: for an external that
/// fails its probe while others wait for it, its cause and fix are printed once, so `up` does not
/// wait minutes in silence on a database that is down or refuses the password.
/// </param>
internal sealed class Settling(IAnsiConsole console, IReadOnlyList<string> names, Func<string, CancellationToken, Task<Core.Knowledge.Diagnosis?>>? explainExternal = null)
{
    private readonly Dictionary<string, string> _printed = new(StringComparer.Ordinal);
    private readonly HashSet<string> _explained = new(StringComparer.Ordinal);
    private readonly ProgressBoard _board = new(console, names.Count == 0 ? 0 : names.Max(n => n.Length), names.Count);

    /// <param name="timeout">How long to wait; <see cref="Timeout.InfiniteTimeSpan"/> for as long as it takes.</param>
    public async Task<Settled> WaitAsync(ControlClient client, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        deadline.CancelAfter(timeout);
        IReadOnlyList<ComponentSnapshot> last = [];
        try
        {
            await foreach (var reply in client.StreamAsync(new WatchRequest(), deadline.Token))
            {
                if (reply.Error is { } error)
                {
                    return new Settled(false, last, TimedOut: false, error.ToString());
                }

                last = [.. names.Select(n => reply.Snapshot!.Find(n)).OfType<ComponentSnapshot>()];
                Print(last);
                await ExplainFailingExternalsAsync(last, deadline.Token);
                if (last.Any(c => c.Verdict.WillNotComeUp) || last.All(c => c.Verdict.IsUp))
                {
                    return new Settled(last.All(c => c.Verdict.IsUp), last, TimedOut: false);
                }
            }
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return new Settled(false, last, TimedOut: true);
        }

        return new Settled(false, last, TimedOut: false, "the daemon stopped answering");
    }

    private async Task ExplainFailingExternalsAsync(IReadOnlyList<ComponentSnapshot> components, CancellationToken cancellationToken)
    {
        if (explainExternal is null)
        {
            return;
        }

        foreach (var external in components.Where(c => c.Kind == Core.Model.ComponentKind.External && c.State == ComponentState.Unhealthy))
        {
            if (!_explained.Add(external.Name))
            {
                continue;
            }

            if (await explainExternal(external.Name, cancellationToken) is { } diagnosis)
            {
                var waiters = components.Where(c => c.Blockers?.Any(b => b.Component == external.Name) == true).Select(c => c.Name).ToList();
                var who = waiters.Count == 0 ? "" : $"{string.Join(", ", waiters)} wait{(waiters.Count == 1 ? "s" : "")} for it; ";
                _board.Note(() =>
                {
                    console.MarkupLine($"  [yellow]⚠[/] {Markup.Escape($"{external.Name} runs outside Tend and fails its check: {who}up goes on waiting until it passes (Ctrl+C stops waiting, not the stack)")}");
                    CheckReportView.RenderDiagnosis(console, diagnosis, "      ");
                });
            }
        }
    }

    private void Print(IReadOnlyList<ComponentSnapshot> components)
    {
        foreach (var component in components)
        {
            // Just asked to start, its requirements not looked at yet: nothing to say.
            if (component.State == ComponentState.Waiting && component.Reason == ComponentStates.SessionStarting && !_printed.ContainsKey(component.Name))
            {
                continue;
            }

            // A round whose process has just ended, its outcome not yet recorded: the next snapshot says how it went.
            if (component.Rounds is not null && component.State == ComponentState.Running && component.Pid is null && _printed.ContainsKey(component.Name))
            {
                continue;
            }

            var line = Describe(component);
            if (!_printed.TryGetValue(component.Name, out var before) || before != line)
            {
                _printed[component.Name] = line;
                _board.Set(component.Name, StateView.Mark(component.Verdict), line);
            }
        }
    }

    /// <summary>One progress line: the verdict's reason, with a rounds session's count.</summary>
    public static string Describe(ComponentSnapshot c) => c.Rounds is { } rounds && c.State == ComponentState.Running
        ? $"round {rounds.Round}{(rounds.Phase is { } phase ? $" ({phase})" : "")}{(rounds.MaxRounds is { } max ? $", {rounds.SessionRounds} of {max}" : "")}{(c.Pid is { } pid ? $" (pid {pid})" : "")}"
        : c.Verdict.IsUp && c.State != ComponentState.Completed ? c.Verdict.Reason
        : c.Reason is { Length: > 0 } reason ? reason.StartsWith(c.State.Words(), StringComparison.Ordinal) ? reason : $"{c.State.Words()}: {reason}" : c.State.Words();

    /// <summary>
    /// How a settled wait of start, restart (here or over --host) ends, and its exit code: a line
    /// per component up, or what is not up and why. <paramref name="typed"/> says each next step
    /// as typed where the user stands (with `--host pi` from another host).
    /// </summary>
    /// <param name="up">The line of a component that came up.</param>
    public static int Report(IAnsiConsole console, Settled settled, TimeSpan wait, Func<ComponentSnapshot, string> up, Func<string, string> typed)
    {
        ArgumentNullException.ThrowIfNull(settled);
        ArgumentNullException.ThrowIfNull(up);
        if (settled.AllUp)
        {
            foreach (var component in settled.Components)
            {
                console.MarkupLine(up(component));
            }

            return ExitCodes.Ok;
        }

        if (settled.TimedOut)
        {
            ReportTimedOut(console, Core.Text.Quantities.FormatDuration(wait), settled.Components, typed);
            return ExitCodes.Failed;
        }

        ReportBad(console, settled.Bad, typed);
        return ExitCodes.Failed;
    }

    /// <summary>
    /// The line a wait that ran out of time ends with: what is not up yet and, for what waits, the
    /// requirement it waits for, with `tend why` of that one (the root, not the waiter).
    /// </summary>
    public static void ReportTimedOut(IAnsiConsole console, string took, IReadOnlyList<ComponentSnapshot> components, Func<string, string>? typed = null)
    {
        typed ??= static step => step;
        var notUp = components.Where(c => !c.Verdict.IsUp).ToList();
        var roots = notUp.Select(c => c.Blockers is { Count: > 0 } blockers ? (blockers.FirstOrDefault(b => b.Stuck) ?? blockers[0]).Component : c.Name).Distinct(StringComparer.Ordinal).ToList();
        console.MarkupLine($"[yellow]⚠[/] {Markup.Escape($"not up after {took}: {string.Join(", ", notUp.Select(c => c.Name))}; still starting in the background")}");
        if (roots.Count > 0)
        {
            console.MarkupLine($"    [grey]why:[/] {Markup.Escape(string.Join("; ", roots.Select(r => typed($"tend why {r}"))))}   [grey]watch:[/] {Markup.Escape(typed("tend status"))}");
        }
    }

    /// <summary>The last lines of a wait that did not end well: each failed or stuck component with why and what to type.</summary>
    public static void ReportBad(IAnsiConsole console, IReadOnlyList<ComponentSnapshot> bad, Func<string, string>? typed = null)
    {
        typed ??= static step => step;
        foreach (var broken in bad)
        {
            var reason = broken.Verdict.Reason.StartsWith(broken.State.Words(), StringComparison.Ordinal) ? broken.Verdict.Reason : $"{broken.State.Words()}: {broken.Verdict.Reason}";
            console.MarkupLine($"[red]✗[/] [bold]{Markup.Escape(broken.Name)}[/] is {Markup.Escape(reason)}");
            console.MarkupLine($"    [grey]next:[/] {Markup.Escape(typed(NextSteps.For(broken)))}   [grey]why:[/] {Markup.Escape(typed($"tend why {broken.Name}"))}");
        }
    }
}
