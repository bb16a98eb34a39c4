using System.Collections.Concurrent;
using Tend.Core.Events;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Support;

public sealed record RecordedEvent(long Sequence, string Kind, string? Component, IReadOnlyDictionary<string, object?> Fields)
{
    public object? this[string field] => Fields.GetValueOrDefault(field);

    public override string ToString() => $"{Sequence} {Kind} {Component} {string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"))}";
}

/// <summary>
/// Keeps every event the supervisor emits, and lets a test wait for one. Every event is checked
/// against the registry as it arrives, so a test fails when the supervisor writes a field the
/// registry does not know, or leaves out one it requires.
/// </summary>
public sealed class RecordingEvents : IEventSink
{
    private readonly ConcurrentQueue<RecordedEvent> _events = new();
    private readonly Changed _changed = new();
    private long _sequence;

    public IReadOnlyList<RecordedEvent> All => [.. _events];

    private readonly ConcurrentQueue<string> _violations = new();

    /// <summary>Where emitted events disagreed with the registry.</summary>
    public IReadOnlyList<string> Violations => [.. _violations];

    public void Emit(EventKind kind, string? component, params EventField[] fields)
    {
        var record = kind.Create(TimeProvider.System.GetUtcNow(), component, fields);
        foreach (var problem in kind.Check(record))
        {
            _violations.Enqueue($"{kind.Name}: {problem}");
        }

        _events.Enqueue(new RecordedEvent(Interlocked.Increment(ref _sequence), kind.Name, component, fields.ToDictionary(f => f.Name, f => Plain(f.Value))));
        _changed.Signal();
    }

    private static object? Plain(EventValue value) => value switch
    {
        EventValue.Text text => text.Value,
        EventValue.Integer integer => integer.Value,
        EventValue.Number number => number.Value,
        EventValue.Flag flag => flag.Value,
        EventValue.TextList list => list.Values,
        _ => null,
    };

    /// <summary>Waits (in real time) for the <paramref name="occurrence"/>-th event of a kind for a component.</summary>
    public async Task<RecordedEvent> WaitForAsync(string kind, string? component, int occurrence = 1, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(40));
        while (true)
        {
            var next = _changed.Next;
            var matches = _events.Where(e => e.Kind == kind && e.Component == component).ToList();
            if (matches.Count >= occurrence)
            {
                return matches[occurrence - 1];
            }

            try
            {
                await next.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"no {kind} #{occurrence} for {component}; events so far:\n{string.Join('\n', _events)}");
            }
        }
    }

    public RecordedEvent First(string kind, string? component) => _events.First(e => e.Kind == kind && e.Component == component);
}
