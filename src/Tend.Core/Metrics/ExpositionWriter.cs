using System.Globalization;
using System.Text;

namespace Tend.Core.Metrics;

/// <summary>The type line of a metric family.</summary>
public enum MetricType
{
    Counter,
    Gauge,
    Histogram,
}

/// <summary>A label of a sample: its value is escaped when written.</summary>
public readonly record struct Label(string Name, string Value);

/// <summary>
/// Prometheus' text exposition format 0.0.4, written by hand. prometheus-net was not taken: it
/// keeps process-wide registries (a second StackControl in a test would share its families), reads
/// attributes by reflection in places, and its collectors would copy into their own objects the
/// numbers the daemon already holds; a scrape here is one pass over the snapshot into one
/// StringBuilder, which is AOT-clean and takes about a millisecond for 50 components (1,650 series).
/// Every family is written whole (its HELP, TYPE and all its samples) before the next begins, as
/// the format requires.
/// </summary>
public sealed class ExpositionWriter(int capacity = 4096)
{
    /// <summary>The content type a scrape is answered with.</summary>
    public const string ContentType = "text/plain; version=0.0.4; charset=utf-8";

    private readonly StringBuilder _text = new(capacity);

    /// <summary>Starts a family: its <c># HELP</c> and <c># TYPE</c> lines.</summary>
    public void Family(string name, MetricType type, string help)
    {
        _text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(help, quotes: false);
        _text.Append("\n# TYPE ").Append(name).Append(' ').Append(type switch
        {
            MetricType.Counter => "counter",
            MetricType.Gauge => "gauge",
            _ => "histogram",
        }).Append('\n');
    }

    public void Sample(string name, double value, params ReadOnlySpan<Label> labels)
    {
        Start(name, labels);
        AppendValue(value);
        _text.Append('\n');
    }

    public void Sample(string name, long value, params ReadOnlySpan<Label> labels)
    {
        Start(name, labels);
        _text.Append(value).Append('\n');
    }

    /// <summary>
    /// A histogram's series: one <c>_bucket</c> per bound, cumulative, then <c>le="+Inf"</c> (the
    /// count), <c>_sum</c> and <c>_count</c>. <paramref name="counts"/> holds each bucket's own count,
    /// the last one being above every bound.
    /// </summary>
    public void Histogram(string name, IReadOnlyList<double> bounds, IReadOnlyList<long> counts, double sum, params ReadOnlySpan<Label> labels)
    {
        ArgumentNullException.ThrowIfNull(bounds);
        ArgumentNullException.ThrowIfNull(counts);
        if (counts.Count != bounds.Count + 1)
        {
            throw new ArgumentException($"a histogram of {bounds.Count} bounds has {bounds.Count + 1} counts, not {counts.Count}", nameof(counts));
        }

        var bucket = name + "_bucket";
        var all = new Label[labels.Length + 1];
        labels.CopyTo(all);
        long cumulative = 0;
        for (var i = 0; i <= bounds.Count; i++)
        {
            cumulative += counts[i];
            all[^1] = new Label("le", i < bounds.Count ? Format(bounds[i]) : "+Inf");
            Sample(bucket, cumulative, all);
        }

        Sample(name + "_sum", sum, labels);
        Sample(name + "_count", cumulative, labels);
    }

    public override string ToString() => _text.ToString();

    /// <summary>A number as the format spells it: shortest round-trip form, <c>+Inf</c>, <c>-Inf</c>, <c>NaN</c>.</summary>
    public static string Format(double value) =>
        double.IsPositiveInfinity(value) ? "+Inf"
        : double.IsNegativeInfinity(value) ? "-Inf"
        : double.IsNaN(value) ? "NaN"
        : value.ToString("R", CultureInfo.InvariantCulture);

    private void Start(string name, ReadOnlySpan<Label> labels)
    {
        _text.Append(name);
        if (labels.Length == 0)
        {
            _text.Append(' ');
            return;
        }

        _text.Append('{');
        for (var i = 0; i < labels.Length; i++)
        {
            if (i > 0)
            {
                _text.Append(',');
            }

            _text.Append(labels[i].Name).Append("=\"");
            AppendEscaped(labels[i].Value, quotes: true);
            _text.Append('"');
        }

        _text.Append("} ");
    }

    private void AppendValue(double value)
    {
        if (double.IsFinite(value))
        {
            _text.Append(value.ToString("R", CultureInfo.InvariantCulture));
        }
        else
        {
            _text.Append(Format(value));
        }
    }

    /// <summary>Backslash and newline always (HELP too), the double quote in label values.</summary>
    private void AppendEscaped(string text, bool quotes)
    {
        if (text.AsSpan().IndexOfAny(quotes ? "\\\"\n" : "\\\n") < 0)
        {
            _text.Append(text);
            return;
        }

        foreach (var c in text)
        {
            _ = c switch
            {
                '\\' => _text.Append("\\\\"),
                '\n' => _text.Append("\\n"),
                '"' when quotes => _text.Append("\\\""),
                _ => _text.Append(c),
            };
        }
    }
}
