namespace Tend.Core.Persistence;

/// <summary>
/// Writes a file so that a reader sees the old content or the new, never half of either, even
/// after a crash or a full disk: temp file in the same directory, fsync, rename over.
/// </summary>
public static class AtomicFile
{
    /// <param name="durable">fsync before the rename: survives a power cut, not only a crash. Costs milliseconds on some disks.</param>
    public static void WriteAllText(string path, string contents, bool durable = true)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(path)) ?? ".";
        var temp = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.tmp");
        try
        {
            using (var stream = new FileStream(temp, FileMode.Create, FileAccess.Write, FileShare.None))
            using (var writer = new StreamWriter(stream))
            {
                writer.Write(contents);
                writer.Flush();
                stream.Flush(flushToDisk: durable);
            }

            File.Move(temp, path, overwrite: true);
        }
        catch
        {
            // The write already failed; a stray temp file is the lesser problem.
            FileCleanup.TryDelete(temp);
            throw;
        }
    }
}
