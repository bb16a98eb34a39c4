namespace Tend.Daemon.Logs;

/// <summary>
/// How much log a component may keep and how much backlog a capture may hold in memory.
/// The defaults cap a component at about <c>KeepFiles × MaxFileBytes</c> = 100 MB on disk.
/// </summary>
public sealed record LogSettings
{
    public static LogSettings Default { get; } = new();

    /// <summary>A file is closed and the run goes on in the next one before it grows past this.</summary>
    public long MaxFileBytes { get; init; } = 10 * 1024 * 1024;

    /// <summary>Files kept per component, across runs; the oldest go first.</summary>
    public int KeepFiles { get; init; } = 10;

    /// <summary>
    /// Framed output allowed to wait in memory while the disk is slower than the child. Past it,
    /// the pipes are not read until the writer catches up (the child waits), or with
    /// <see cref="DropWhenFull"/> output is dropped and counted.
    /// </summary>
    public long MaxBufferBytes { get; init; } = 4 * 1024 * 1024;

    /// <summary><c>logs.on_full = "drop"</c>: past <see cref="MaxBufferBytes"/>, drop output (marked) rather than make the child wait.</summary>
    public bool DropWhenFull { get; init; }

    /// <summary>A line longer than this is cut into pieces of this size, each piece after the first tagged as a continuation.</summary>
    public int MaxLineBytes { get; init; } = 64 * 1024;

    /// <summary>After a failed write, output is counted as lost without touching the disk for this long, then writing is tried again.</summary>
    public TimeSpan RetryInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>How often the file being written is checked to still exist (someone may delete the directory).</summary>
    public TimeSpan ExistenceCheckInterval { get; init; } = TimeSpan.FromSeconds(1);

    internal void Validate()
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxFileBytes, 1024, nameof(MaxFileBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(KeepFiles, 1, nameof(KeepFiles));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxBufferBytes, 0, nameof(MaxBufferBytes));
        ArgumentOutOfRangeException.ThrowIfLessThan(MaxLineBytes, 16, nameof(MaxLineBytes));
    }
}
