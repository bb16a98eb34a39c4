using Microsoft.Win32.SafeHandles;
using Tend.Core.Events;

namespace Tend.Core.Monitoring;

/// <summary>
/// The monitor's recent samples, read from the end of the <c>metrics-YYYY-MM-DD.jsonl</c> files
/// (today's, and yesterday's when the window reaches into it): the dashboard's sparklines after a
/// reload or a daemon restart, at the cost of the window's lines only.
/// </summary>
public static class RecentSamples
{
    /// <summary>The lines sampled at or after <paramref name="since"/>, oldest first, at most <paramref name="max"/> of them.</summary>
    public static IReadOnlyList<string> Read(string directory, DateTimeOffset since, DateTimeOffset now, int max)
    {
        var newestFirst = new List<string>();
        var lines = new BackwardLines();
        for (var day = DateOnly.FromDateTime(now.UtcDateTime); day >= DateOnly.FromDateTime(since.UtcDateTime) && newestFirst.Count < max; day = day.AddDays(-1))
        {
            var path = Path.Combine(directory, $"metrics-{day:yyyy-MM-dd}.jsonl");
            SafeFileHandle handle;
            try
            {
                handle = File.OpenHandle(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            }
            catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
            {
                continue;
            }

            using (handle)
            {
                var older = false;
                lines.Read(handle, 0, RandomAccess.GetLength(handle), (line, _) =>
                {
                    if (SampledAt(line) is { } at && at < since)
                    {
                        older = true;
                        return false;
                    }

                    newestFirst.Add(System.Text.Encoding.UTF8.GetString(line));
                    return newestFirst.Count < max;
                });
                if (older)
                {
                    break;
                }
            }
        }

        newestFirst.Reverse();
        return newestFirst;
    }

    /// <summary>The <c>ts</c> a sample line begins with (the writer puts it first).</summary>
    private static DateTimeOffset? SampledAt(ReadOnlySpan<byte> line)
    {
        var reader = new System.Text.Json.Utf8JsonReader(line);
        return reader.Read() && reader.Read() && reader.ValueTextEquals("ts"u8) && reader.Read() && reader.TryGetDateTimeOffset(out var at) ? at : null;
    }
}
