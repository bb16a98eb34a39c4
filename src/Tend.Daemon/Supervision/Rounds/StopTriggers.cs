using System.Text;
using Tend.Core.Events;
using Tend.Core.Model;

namespace Tend.Daemon.Supervision.Rounds;

/// <summary>A stop trigger that fired: the event to write and the reason the component ends with.</summary>
public sealed record StopTrigger(EventKind Kind, string Reason, string? Path, string? Content);

/// <summary>
/// The three ways a rounds session ends cleanly, checked between rounds in this order: the done
/// sentinel the round writes in TEND_LOG_DIR, the operator's stop file, and the maximum number
/// of rounds. First match wins, so a round that both finished the work and hit the limit is
/// reported as done.
/// </summary>
public sealed class StopTriggers(RoundsPolicy policy, string logDirectory)
{
    private const int ReasonChars = 200;

    public string SentinelPath { get; } = Path.Combine(logDirectory, policy.Sentinel);

    public string StopFilePath { get; } = policy.StopFile ?? Path.Combine(logDirectory, RoundsPolicy.DefaultStopFileName);

    /// <summary>Removes a sentinel left by an earlier session; returns what it said, or null when there was none.</summary>
    public string? ClearStaleSentinel()
    {
        if (!File.Exists(SentinelPath))
        {
            return null;
        }

        var reason = ReadReason(SentinelPath);
        try
        {
            File.Delete(SentinelPath);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // Left in place, it would end the session before its first round: say so there.
            return $"{reason} (could not be removed: {e.Message})";
        }

        return reason;
    }

    public StopTrigger? Check(int roundsRun, int? maxRounds)
    {
        if (File.Exists(SentinelPath))
        {
            var reason = ReadReason(SentinelPath);
            return new StopTrigger(EventKinds.Rounds.RoundsSentinel, $"done: {reason}", SentinelPath, reason);
        }

        if (File.Exists(StopFilePath))
        {
            return new StopTrigger(EventKinds.Rounds.RoundsStopFile, $"stop file {StopFilePath} is present; remove it, then `tend start`", StopFilePath, null);
        }

        if (maxRounds is { } max && roundsRun >= max)
        {
            return new StopTrigger(EventKinds.Rounds.RoundsMaxReached, $"ran {roundsRun} of {max} rounds", null, null);
        }

        return null;
    }

    /// <summary>The first 200 characters of a sentinel, on one line; a sentinel that is not text says so rather than passing bytes on.</summary>
    public static string ReadReason(string path)
    {
        byte[] bytes;
        try
        {
            using var file = NonBlockingFile.OpenRead(path);
            var buffer = new byte[ReasonChars * 4];
            var length = 0;
            int read;
            while (length < buffer.Length && (read = file.Read(buffer, length, buffer.Length - length)) > 0)
            {
                length += read;
            }

            bytes = buffer[..length];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            return $"(unreadable: {e.Message})";
        }

        string text;
        try
        {
            text = new UTF8Encoding(false, throwOnInvalidBytes: true).GetString(bytes);
        }
        catch (DecoderFallbackException)
        {
            // A cut at the 800-byte read can split a character; only a real invalid byte before it counts.
            text = Encoding.UTF8.GetString(bytes);
            if (bytes.Length < ReasonChars * 4 || text.AsSpan(0, Math.Max(0, text.Length - 1)).Contains('\uFFFD'))
            {
                return $"(not text: {new FileInfo(path).Length} bytes)";
            }
        }

        if (text.Contains('\0', StringComparison.Ordinal))
        {
            return $"(not text: {new FileInfo(path).Length} bytes)";
        }

        var oneLine = string.Join(' ', text.Split(['\n', '\r'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
        // Written by the round, shown in events and state.json: a token it echoed must not go with it.
        return oneLine.Length == 0 ? "(empty)" : Core.Events.Redactor.Redact(oneLine.Length <= ReasonChars ? oneLine : oneLine[..ReasonChars]);
    }
}
