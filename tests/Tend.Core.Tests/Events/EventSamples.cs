using System.Globalization;
using Tend.Core.Events;

namespace Tend.Core.Tests.Events;

/// <summary>Events and times for the specs, written the way the supervisor writes them.</summary>
internal static class EventSamples
{
    public static DateTimeOffset At(string iso) => DateTimeOffset.Parse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal);

    public static EventRecord Event(string iso, string kind, string? component = "api", params EventField[] fields) => new(At(iso), kind, component, fields);

    public static EventRecord Numbered(string iso, long n, string kind = "probe_passed", string? component = "api") =>
        Event(iso, kind, component, new EventField("n", n));

    /// <summary>Writes <paramref name="records"/> to their daily files in <paramref name="directory"/>.</summary>
    public static void Write(string directory, params EventRecord[] records)
    {
        using var log = new EventLog(directory);
        foreach (var record in records)
        {
            log.Append(record).ShouldBeTrue(log.LastFailure);
        }
    }

    public static string DayFile(string directory, string day) => EventFiles.PathFor(directory, DateOnly.Parse(day, CultureInfo.InvariantCulture));

    public static IEnumerable<long> Numbers(this IEnumerable<EventRecord> records) => records.Select(r => r.GetInteger("n") ?? -1);
}
