using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// Hears approve and reject: <c>tend workflow approve</c> writes <c>review/STEP.json</c> in the
/// run's directory (by rename, so the file is whole), from whichever process. A watcher reports
/// new files; <see cref="Check"/> reads a step's file when it pauses, so a decision made before
/// the watcher saw it (or before the pause) is not missed.
/// </summary>
internal sealed class ReviewWatcher : IDisposable
{
    private readonly RunDirectory _directory;
    private readonly Action<ReviewDecision> _decided;
    private readonly FileSystemWatcher? _watcher;

    public ReviewWatcher(RunDirectory directory, Action<ReviewDecision> decided)
    {
        _directory = directory;
        _decided = decided;
        try
        {
            _watcher = new FileSystemWatcher(directory.ReviewDirectory, "*.json") { NotifyFilter = NotifyFilters.FileName | NotifyFilters.LastWrite };
            _watcher.Created += (_, e) => Read(e.Name);
            _watcher.Changed += (_, e) => Read(e.Name);
            _watcher.Renamed += (_, e) => Read(e.Name);
            _watcher.EnableRaisingEvents = true;
        }
        catch (Exception e) when (e is IOException or ArgumentException or PlatformNotSupportedException)
        {
            // Out of inotify watches: pauses are still decided by Check when they begin and by
            // the next resume; the run does not fail for it.
            _watcher = null;
        }
    }

    /// <summary>Reports the step's decision if one is there already.</summary>
    public void Check(string stepId)
    {
        if (RunStore.ReadDecision(_directory, stepId) is { } decision)
        {
            _decided(decision);
        }
    }

    private void Read(string? name)
    {
        if (name is null || name.StartsWith('.'))
        {
            return;
        }

        Check(Path.GetFileNameWithoutExtension(name));
    }

    public void Dispose() => _watcher?.Dispose();
}
