using System.Collections.Concurrent;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Support;

public sealed record RecordedEvent(long Sequence, string Kind, string? Component, IReadOnlyDictionary<string, object?> Fields)
{
    public object? this[string field] => Fields.GetValueOrDefault(field);

    public override string ToString() => $"{Sequence} {Kind} {Component} {string.Join(", ", Fields.Select(f => $"{f.Key}={f.Value}"))}";
}

/// <summary>Keeps every event the supervisor emits, and lets a test wait for one.</summary>
public sealed class RecordingEvents : ISupervisorEvents
{
    private readonly ConcurrentQueue<RecordedEvent> _events = new();
    private readonly Changed _changed = new();
    private long _sequence;

    public IReadOnlyList<RecordedEvent> All => [.. _events];

    public void Emit(string kind, string? component, params EventField[] fields)
    {
        _events.Enqueue(new RecordedEvent(Interlocked.Increment(ref _sequence), kind, component, fields.ToDictionary(f => f.Name, f => f.Value)));
        _changed.Signal();
    }

    /// <summary>Waits (in real time) for the <paramref name="occurrence"/>-th event of a kind for a component.</summary>
    public async Task<RecordedEvent> WaitForAsync(string kind, string? component, int occurrence = 1, TimeSpan? timeout = null)
    {
        using var deadline = new CancellationTokenSource(timeout ?? TimeSpan.FromSeconds(20));
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
