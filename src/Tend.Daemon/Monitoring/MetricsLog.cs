using System.Globalization;
using System.Text.Json;
using Tend.Core.Monitoring;
using Tend.Core.Status;

namespace Tend.Daemon.Monitoring;

/// <summary>
/// The history of samples: one JSON line per sample in <c>metrics-YYYY-MM-DD.jsonl</c> beside the
/// events, kept for <c>[monitor] keep_days</c> and within <c>max_size</c> (the oldest go first).
/// Written by hand with Utf8JsonWriter: one small object a sample, no reflection.
/// </summary>
internal sealed class MetricsLog(string directory)
{
    private const string Prefix = "metrics-";
    private DateOnly _pruned;

    public static string FileFor(string directory, DateOnly day) => Path.Combine(directory, $"{Prefix}{day:yyyy-MM-dd}.jsonl");

    /// <summary>Appends one sample; the error in words when the disk refuses (the sample is lost, not the daemon).</summary>
    /// <param name="took">How long the sample took (read, judged and acted on), written as <c>sample_ms</c>.</param>
    public string? Append(HostSample host, IReadOnlyList<ComponentSnapshot> components, ComponentTracks tracks, int keepDays, long maxBytes, TimeSpan took)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(1024);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("ts", host.At.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss.fff'Z'", CultureInfo.InvariantCulture));
            json.WriteNumber("sample_ms", Math.Round(took.TotalMilliseconds, 2));
            json.WriteStartObject("host");
            json.WriteNumber("load1", host.Load1);
            if (host.CpuPercent is { } cpu)
            {
                json.WriteNumber("cpu_percent", cpu);
            }

            json.WriteNumber("memory_available_bytes", host.MemoryAvailableBytes);
            json.WriteNumber("memory_used_percent", host.MemoryUsedPercent);
            if (host.Gpus is { } gpus)
            {
                json.WriteStartArray("gpus");
                foreach (var gpu in gpus)
                {
                    json.WriteStartObject();
                    json.WriteNumber("index", gpu.Index);
                    json.WriteNumber("utilization_percent", gpu.UtilizationPercent);
                    json.WriteNumber("memory_used_bytes", gpu.MemoryUsedBytes);
                    json.WriteNumber("memory_total_bytes", gpu.MemoryTotalBytes);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteStartArray("disks");
            foreach (var disk in host.Disks)
            {
                json.WriteStartObject();
                json.WriteString("mount", disk.Mount);
                json.WriteNumber("used_percent", disk.UsedPercent);
                json.WriteNumber("free_bytes", disk.FreeBytes);
                json.WriteEndObject();
            }

            json.WriteEndArray();
            json.WriteEndObject();
            json.WriteStartObject("components");
            foreach (var component in components)
            {
                if (component.Usage is not { } usage)
                {
                    continue;
                }

                var track = tracks[component.Name];
                json.WriteStartObject(component.Name);
                json.WriteNumber("run", component.Run);
                json.WriteNumber("cpu_percent", usage.CpuPercent);
                json.WriteNumber("memory_bytes", usage.MemoryBytes);
                json.WriteNumber("processes", usage.Processes);
                json.WriteNumber("output_lines", track.LinesInInterval ?? 0);
                json.WriteNumber("output_bytes", track.BytesInInterval ?? 0);
                json.WriteEndObject();
            }

            json.WriteEndObject();
            json.WriteEndObject();
        }

        var day = DateOnly.FromDateTime(host.At.UtcDateTime);
        try
        {
            Directory.CreateDirectory(directory);
            using (var file = new FileStream(FileFor(directory, day), FileMode.Append, FileAccess.Write, FileShare.ReadWrite | FileShare.Delete))
            {
                file.Write(buffer.WrittenSpan);
                file.WriteByte((byte)'\n');
            }

            if (_pruned != day)
            {
                _pruned = day;
                Prune(day, keepDays, maxBytes);
            }
            else if (new FileInfo(FileFor(directory, day)).Length > maxBytes / 2)
            {
                Prune(day, keepDays, maxBytes);
            }

            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Core.Text.IoErrorText.Of(e);
        }
    }

    /// <summary>Deletes days older than <paramref name="keepDays"/>, then the oldest while the files weigh more than <paramref name="maxBytes"/>; today's is cut from its start last of all.</summary>
    private void Prune(DateOnly today, int keepDays, long maxBytes)
    {
        var files = Directory.EnumerateFiles(directory, Prefix + "*.jsonl")
            .Select(p => (Path: p, Day: DateOnly.TryParseExact(Path.GetFileNameWithoutExtension(p)[Prefix.Length..], "yyyy-MM-dd", CultureInfo.InvariantCulture, DateTimeStyles.None, out var d) ? d : (DateOnly?)null))
            .Where(f => f.Day is not null)
            .OrderBy(f => f.Day)
            .Select(f => (f.Path, Day: f.Day!.Value, Size: new FileInfo(f.Path).Length))
            .ToList();
        var total = files.Sum(f => f.Size);
        foreach (var file in files)
        {
            var tooOld = file.Day < today.AddDays(-(keepDays - 1));
            if (file.Day != today && (tooOld || total > maxBytes))
            {
                File.Delete(file.Path);
                total -= file.Size;
            }
        }

        if (total > maxBytes && files.Count > 0 && files[^1].Day == today)
        {
            // One day weighs more than the cap (a 1 s interval on a big stack): start it afresh rather than fill the disk.
            File.Delete(files[^1].Path);
        }
    }
}
