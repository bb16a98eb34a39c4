using System.Collections.Concurrent;
using Tend.Core.Workflows.Records;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Stats;

/// <summary>
/// The run records of a state directory, each parsed again only when its run.json changed: a scrape
/// and a monitor sample then cost a directory listing and a stat per run, not a JSON parse. A run
/// still running is read again every time, so that one whose runner died reads as interrupted.
/// </summary>
public sealed class RunRecordCache
{
    /// <summary>The daemon's one cache: the exposition and the monitor read the same records.</summary>
    public static readonly RunRecordCache Shared = new();

    private readonly ConcurrentDictionary<string, (DateTime Written, RunRecord Record)> _records = new(StringComparer.Ordinal);

    public IReadOnlyList<RunRecord> Read(string stateDirectory)
    {
        var directories = new RunStore(stateDirectory).List();
        var records = new List<RunRecord>(directories.Count);
        foreach (var directory in directories)
        {
            var written = File.GetLastWriteTimeUtc(directory.RunFile);
            if (_records.TryGetValue(directory.RunFile, out var cached) && cached.Written == written && cached.Record.Outcome != RunOutcome.Running)
            {
                records.Add(cached.Record);
                continue;
            }

            if (RunStore.Read(directory) is { } record)
            {
                _records[directory.RunFile] = (written, record);
                records.Add(record);
            }
        }

        if (_records.Count > records.Count * 2 + 64)
        {
            // Runs deleted from disk leave the cache too, so it never outgrows what is kept.
            var kept = directories.Select(d => d.RunFile).ToHashSet(StringComparer.Ordinal);
            foreach (var key in _records.Keys.Where(k => !kept.Contains(k)))
            {
                _records.TryRemove(key, out _);
            }
        }

        return records;
    }
}
