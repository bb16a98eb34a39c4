using System.Text.RegularExpressions;

namespace Tend.Core.Tests.Metrics;

/// <summary>One sample line of an exposition, read back as Prometheus would.</summary>
public sealed record ExposedSample(string Name, IReadOnlyDictionary<string, string> Labels, string Value)
{
    public string? this[string label] => Labels.GetValueOrDefault(label);
}

/// <summary>A test's reader of the text format: samples, and the HELP and TYPE lines in order.</summary>
public static partial class ExpositionText
{
    public static List<ExposedSample> Samples(string text) =>
        [.. text.Split('\n', StringSplitOptions.RemoveEmptyEntries).Where(l => !l.StartsWith('#')).Select(Parse)];

    private static ExposedSample Parse(string line)
    {
        var match = SampleLine().Match(line);
        match.Success.ShouldBeTrue($"not a sample line: {line}");
        var labels = LabelPair().Matches(match.Groups["labels"].Value)
            .ToDictionary(m => m.Groups["name"].Value, m => Unescape(m.Groups["value"].Value));
        return new ExposedSample(match.Groups["name"].Value, labels, match.Groups["value"].Value);
    }

    private static string Unescape(string value) => value.Replace("\\n", "\n", StringComparison.Ordinal).Replace("\\\"", "\"", StringComparison.Ordinal).Replace("\\\\", "\\", StringComparison.Ordinal);

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SampleLine();

    [GeneratedRegex(@"(?<name>[a-zA-Z_][a-zA-Z0-9_]*)=""(?<value>(?:[^""\\]|\\.)*)""")]
    private static partial Regex LabelPair();
}
