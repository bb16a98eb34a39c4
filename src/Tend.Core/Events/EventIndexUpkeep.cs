namespace Tend.Core.Events;

/// <summary>
/// Brings the index beside the newest daily file up to its end, so that the first filtered query
/// after a long busy day (<c>tend why X</c>) does not pay for indexing the day itself. The daemon
/// calls it when the stack has gone quiet; a query indexes what is left on its own anyway.
/// </summary>
public static class EventIndexUpkeep
{
    /// <summary>Indexes what the newest file gained since its index was last brought up to date; bytes read.</summary>
    public static long Refresh(string directory)
    {
        var files = EventFiles.List(directory);
        if (files.Count == 0)
        {
            return 0;
        }

        var newest = files[^1];
        try
        {
            using var handle = File.OpenHandle(newest.Path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var length = RandomAccess.GetLength(handle);
            if (length <= EventTail.UnindexedBytes)
            {
                return 0;
            }

            var index = EventIndexFile.Load(newest.Path, handle, length);
            if (length - index.Covered <= EventTail.UnindexedBytes)
            {
                return 0;
            }

            var read = index.Extend(handle, length);
            EventIndexFile.Save(newest.Path, handle, index);
            return read;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Deleted meanwhile, or not ours to read: a query indexes it when it can.
            return 0;
        }
    }
}
