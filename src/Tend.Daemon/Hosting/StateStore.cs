using System.Text.Json;
using Tend.Core.Persistence;
using Tend.Core.Status;
using Tend.Core.Text;
using Tend.Daemon.Control;

namespace Tend.Daemon.Hosting;

/// <summary>
/// state.json: the last snapshot, written atomically (temp file, fsync, rename) so that a reader,
/// `tend status` after the daemon was killed, or the next daemon, never sees half of it
/// (pm2's dump.pm2 became [] after a kill or a full disk).
/// </summary>
public sealed class StateStore(string path)
{
    public string Path => path;

    /// <summary>Replaces the file with <paramref name="snapshot"/>; null, or why it could not (the previous file stays whole).</summary>
    public string? Write(StackSnapshot snapshot)
    {
        try
        {
            // Not fsynced: the rename is atomic against a crash of the daemon, which is what this
            // file is for, and after a power cut no run it names is alive anyway. An fsync on
            // every change put milliseconds on the restart path.
            AtomicFile.WriteAllText(path, JsonSerializer.Serialize(snapshot, StatusJson.Default.StackSnapshot), durable: false);
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return IoErrorText.Of(e);
        }
    }

    public static StackSnapshot? Read(string path)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(path), StatusJson.Default.StackSnapshot);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
        {
            return null;
        }
    }
}
