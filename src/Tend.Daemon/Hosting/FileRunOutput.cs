using System.Diagnostics;
using System.Globalization;
using System.Text;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Hosting;

/// <summary>Writes each run's merged output to logs/COMP/run-N.log (interim capture, replaced by the log capture).</summary>
public sealed class FileRunOutput(string logsDirectory, TimeProvider time) : IRunOutput
{
    public async Task CaptureAsync(string component, int run, Process process, CancellationToken cancellationToken = default)
    {
        var directory = Path.Combine(logsDirectory, component);
        Directory.CreateDirectory(directory);
        var path = Path.Combine(directory, RunFile(run));
        await using var file = new FileStream(path, FileMode.Create, FileAccess.Write, FileShare.ReadWrite);
        var gate = new SemaphoreSlim(1, 1);
        async Task Pump(StreamReader reader, char stream)
        {
            while (await reader.ReadLineAsync(cancellationToken) is { } line)
            {
                var stamped = Encoding.UTF8.GetBytes($"{time.GetUtcNow():yyyy-MM-dd'T'HH:mm:ss.fff'Z'} {stream} {line}\n");
                await gate.WaitAsync(cancellationToken);
                try
                {
                    await file.WriteAsync(stamped, cancellationToken);
                    await file.FlushAsync(cancellationToken);
                }
                finally
                {
                    gate.Release();
                }
            }
        }

        await Task.WhenAll(Pump(process.StandardOutput, 'o'), Pump(process.StandardError, 'e'));
        gate.Dispose();
    }

    public IReadOnlyList<string> Tail(string component, int run, int lines)
    {
        var path = Path.Combine(logsDirectory, component, RunFile(run));
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite);
            using var reader = new StreamReader(stream);
            var tail = new Queue<string>();
            while (reader.ReadLine() is { } line)
            {
                tail.Enqueue(line.Length > 27 ? line[27..] : line);
                if (tail.Count > lines)
                {
                    tail.Dequeue();
                }
            }

            return [.. tail];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }
    }

    public int LastRun(string component)
    {
        var directory = Path.Combine(logsDirectory, component);
        if (!Directory.Exists(directory))
        {
            return 0;
        }

        return Directory.EnumerateFiles(directory, "run-*.log")
            .Select(f => Path.GetFileName(f)[4..10])
            .Select(n => int.TryParse(n, NumberStyles.None, CultureInfo.InvariantCulture, out var run) ? run : 0)
            .DefaultIfEmpty(0)
            .Max();
    }

    private static string RunFile(int run) => $"run-{run.ToString("D6", CultureInfo.InvariantCulture)}.log";
}
