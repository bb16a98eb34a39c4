using Microsoft.Extensions.Time.Testing;
using Tend.Core.Events;
using Tend.Core.Tests.Support;
using static Tend.Core.Tests.Events.EventSamples;

namespace Tend.Core.Tests.Events;

/// <summary>The daemon's threads, a second log and another process (`tend run`) append to one file at once.</summary>
public sealed class ConcurrentWriterSpecs
{
    private const int Threads = 4;
    private const int EventsPerThread = 300;

    // dash's printf writes a short line in one write(2), with `>>` opening the file O_APPEND.
    private const string ShellAppender = """
        i=0
        while [ ! -e "$STOP" ]; do
          i=$((i+1))
          printf '{"ts":"2025-06-01T12:00:00.0000000Z","event":"probe_passed","component":"shell","n":%d,"pad":"%s"}\n' "$i" "$PAD" >> "$FILE"
        done
        """;

    [Fact(Timeout = 60_000)]
    public async Task Threads_two_logs_and_a_shell_appending_at_once_never_split_a_line()
    {
        using var directory = new TempDirectory();
        var file = DayFile(directory.Path, "2025-06-01");
        var stop = Path.Combine(directory.Path, "stop");
        Directory.CreateDirectory(directory.Path);
        using var shell = Shell.Start(ShellAppender, new Dictionary<string, string> { ["FILE"] = file, ["STOP"] = stop, ["PAD"] = new string('s', 300) });
        while (!File.Exists(file) || !File.ReadAllText(file).Contains("\"shell\"", StringComparison.Ordinal))
        {
            await Task.Delay(TimeSpan.FromMilliseconds(5), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        var time = new FakeTimeProvider(At("2025-06-01T12:00:00Z"));
        using var daemon = new EventLog(directory.Path, time);
        using var other = new EventLog(directory.Path, time);
        var tail = Enumerable.Range(0, 40).Select(i => $"line {i} " + new string('t', 100)).ToArray();
        var failures = 0;
        var threads = Enumerable.Range(0, Threads).Select(t => new Thread(() =>
        {
            var log = t % 2 == 0 ? daemon : other;
            for (var n = 1; n <= EventsPerThread; n++)
            {
                if (!log.Append(EventKinds.ComponentExited, $"thread{t}", new EventField("n", n), new EventField("log_tail", tail)))
                {
                    Interlocked.Increment(ref failures);
                }

                if (t == 0 && n == EventsPerThread / 2)
                {
                    // On a busy box the shell could be starved while the threads write: wait for one
                    // more of its lines, so it surely lands between two lines of this thread.
                    var before = ShellLines(file);
                    if (!SpinWait.SpinUntil(() => ShellLines(file) > before, TimeSpan.FromSeconds(20)))
                    {
                        Interlocked.Increment(ref failures);
                    }
                }
            }
        })).ToList();

        threads.ForEach(t => t.Start());
        threads.ForEach(t => t.Join());
        await File.WriteAllTextAsync(stop, "", TestContext.Current.CancellationToken);
        (await shell.WaitAsync(TestContext.Current.CancellationToken)).ShouldBe(0, shell.Errors());

        failures.ShouldBe(0);
        var lines = await File.ReadAllLinesAsync(file, TestContext.Current.CancellationToken);
        // A blank line is allowed: a log that opens the file while another writer's line is
        // half-visible for more than the settle time ends it as if it were a killed writer's.
        lines.Where(l => l.Length > 0 && EventJson.Parse(l) is null).ShouldBeEmpty();
        var reader = new EventReader(directory.Path);
        var events = reader.Read().ToList();
        reader.MalformedLines.ShouldBe(0);
        for (var t = 0; t < Threads; t++)
        {
            events.Where(e => e.Component == $"thread{t}").Numbers().ShouldBe(Enumerable.Range(1, EventsPerThread).Select(n => (long)n));
        }

        var shellNumbers = events.Where(e => e.Component == "shell").Numbers().ToList();
        shellNumbers.ShouldBe(Enumerable.Range(1, shellNumbers.Count).Select(n => (long)n));
        events.Count.ShouldBe(lines.Count(l => l.Length > 0));

        // The shell really wrote while the threads did (thread 0 waited for it halfway).
        var firstThread = events.FindIndex(e => e.Component != "shell");
        var lastThread = events.FindLastIndex(e => e.Component != "shell");
        events.Skip(firstThread).Take(lastThread - firstThread).ShouldContain(e => e.Component == "shell");
    }

    private static int ShellLines(string file) => File.ReadAllText(file).Split("\"component\":\"shell\"").Length - 1;
}
