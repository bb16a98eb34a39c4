using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

/// <summary>A writer killed with SIGKILL in the middle of a line: readers never see the torn line as an event.</summary>
public sealed class KilledWriterSpecs
{
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(10);

    // Each event in two writes, as a slow or buffered writer might. From the third event on it
    // stops after the first half and waits (without a child process) to be killed.
    private const string HalfLineWriter = """
        i=0
        while :; do
          i=$((i+1))
          printf '{"ts":"2025-06-01T12:00:00.0000000Z","event":"probe_passed","component":"shell","n":%d,' "$i" >> "$FILE"
          if [ "$i" -ge 3 ]; then while :; do :; done; fi
          printf '"tail":"done"}\n' >> "$FILE"
        done
        """;

    // The same two writes a line, forever: killed wherever it happens to be.
    private const string TwoWritesALine = """
        i=0
        while :; do
          i=$((i+1))
          printf '{"ts":"2025-06-01T12:00:00.0000000Z","event":"probe_passed","component":"shell","n":%d,' "$i" >> "$FILE"
          printf '"tail":"done"}\n' >> "$FILE"
        done
        """;

    [Fact(Timeout = 30_000)]
    public async Task A_writer_killed_mid_line_leaves_a_torn_line_that_is_never_yielded_and_the_next_writer_ends_it()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        var cancel = TestContext.Current.CancellationToken;
        var follower = new EventReader(directory.Path) { PollInterval = Poll };
        await using var follow = follower.FollowAsync(cancellationToken: cancel).GetAsyncEnumerator(cancel);
        var first = follow.MoveNextAsync();
        using var shell = Shell.Start(HalfLineWriter, new Dictionary<string, string> { ["FILE"] = file });

        (await first).ShouldBeTrue();
        follow.Current.GetInteger("n").ShouldBe(1);
        (await follow.MoveNextAsync()).ShouldBeTrue();
        follow.Current.GetInteger("n").ShouldBe(2);
        while (!File.Exists(file) || !File.ReadAllText(file).EndsWith("\"n\":3,", StringComparison.Ordinal))
        {
            await Task.Delay(Poll, TimeProvider.System, cancel);
        }

        shell.KillHard();
        (await shell.WaitAsync(cancel)).ShouldBe(128 + 9);

        // The torn third line is not an event: the follower's next one is the daemon's, below, never it.
        var next = follow.MoveNextAsync().AsTask();
        var reader = new EventReader(directory.Path);
        reader.Read().Numbers().ShouldBe([1L, 2L]);
        reader.MalformedLines.ShouldBe(0);

        // The daemon, restarted, writes on: its line is whole, and the fragment stays a lone bad line.
        Write(directory.Path, Numbered("2025-06-01T12:00:01Z", 4, component: "daemon"));

        (await next).ShouldBeTrue();
        follow.Current.GetInteger("n").ShouldBe(4);
        reader.Read().Numbers().ShouldBe([1L, 2L, 4L]);
        reader.MalformedLines.ShouldBe(1);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_writer_killed_at_any_moment_leaves_only_whole_events_to_read()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        var cancel = TestContext.Current.CancellationToken;
        using var shell = Shell.Start(TwoWritesALine, new Dictionary<string, string> { ["FILE"] = file });
        while (!File.Exists(file) || new FileInfo(file).Length < 100_000)
        {
            await Task.Delay(Poll, TimeProvider.System, cancel);
        }

        shell.KillHard();
        await shell.WaitAsync(cancel);
        var bytes = await File.ReadAllBytesAsync(file, cancel);
        var complete = bytes.Count(b => b == (byte)'\n');
        var torn = bytes[^1] != (byte)'\n';

        var reader = new EventReader(directory.Path);
        reader.Read().Numbers().ShouldBe(Enumerable.Range(1, complete).Select(n => (long)n));
        reader.MalformedLines.ShouldBe(0);

        Write(directory.Path, Numbered("2025-06-01T12:00:01Z", -7, component: "daemon"));
        var events = reader.Read().ToList();
        events.Count.ShouldBe(complete + 1);
        events[^1].GetInteger("n").ShouldBe(-7);
        reader.MalformedLines.ShouldBe(torn ? 1 : 0);
    }
}
