using Microsoft.Extensions.Time.Testing;
using Tend.Core.Events;

namespace Tend.Core.Tests.Events;

/// <summary>Drives <see cref="EventReader.FollowAsync"/> on a fake clock: polls happen only when the test moves time.</summary>
internal sealed class Following : IAsyncDisposable
{
    public static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(250);

    private readonly FakeTimeProvider time;
    private readonly CancellationTokenSource stop;
    private readonly IAsyncEnumerator<EventRecord> events;
    private Task<bool>? pending;

    private Following(FakeTimeProvider time, EventReader reader, EventFilter? filter, int backlog)
    {
        this.time = time;
        stop = CancellationTokenSource.CreateLinkedTokenSource(TestContext.Current.CancellationToken);
        events = reader.FollowAsync(filter, backlog, stop.Token).GetAsyncEnumerator(stop.Token);
        Reader = reader;
    }

    public EventReader Reader { get; }

    public static Following Start(string directory, FakeTimeProvider time, EventFilter? filter = null, int backlog = 0) =>
        new(time, new EventReader(directory, time) { PollInterval = Poll }, filter, backlog);

    /// <summary>The next event, moving the clock one poll at a time until it comes.</summary>
    public async Task<EventRecord> NextAsync()
    {
        var move = pending ?? events.MoveNextAsync().AsTask();
        pending = null;
        while (!move.IsCompleted)
        {
            time.Advance(Poll);
            await Task.WhenAny(move, Task.Delay(TimeSpan.FromMilliseconds(2), TimeProvider.System, TestContext.Current.CancellationToken));
        }

        (await move).ShouldBeTrue();
        return events.Current;
    }

    public async Task<IReadOnlyList<EventRecord>> NextAsync(int count)
    {
        var records = new List<EventRecord>();
        for (var i = 0; i < count; i++)
        {
            records.Add(await NextAsync());
        }

        return records;
    }

    /// <summary>Moves the clock over several polls and asserts that no event came.</summary>
    public async Task ShouldHaveNothingAsync(int polls = 5)
    {
        pending ??= events.MoveNextAsync().AsTask();
        for (var i = 0; i < polls && !pending.IsCompleted; i++)
        {
            time.Advance(Poll);
            await Task.WhenAny(pending, Task.Delay(TimeSpan.FromMilliseconds(20), TimeProvider.System, TestContext.Current.CancellationToken));
        }

        pending.IsCompleted.ShouldBeFalse(pending.IsCompletedSuccessfully ? $"unexpected event: {events.Current}" : "follow ended");
    }

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        if (pending is not null)
        {
            try
            {
                await pending;
            }
            catch (OperationCanceledException)
            {
                // The follow ends by cancellation, as it should.
            }
        }

        await events.DisposeAsync();
        stop.Dispose();
    }
}
