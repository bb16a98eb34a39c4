namespace Tend.Core.Events;

/// <summary>
/// How many values each redaction rule replaced, for a bundle's manifest: a reader can see that
/// the redactor ran and what it found (`url_password: 3`) without seeing one secret. Names only,
/// never the values. Not thread-safe: one tally belongs to one sequential run of redaction.
/// </summary>
public sealed class RedactionTally
{
    private readonly SortedDictionary<string, int> _counts = new(StringComparer.Ordinal);

    /// <summary>Each rule that replaced anything, with how many values it replaced, by name.</summary>
    public IReadOnlyDictionary<string, int> Counts => _counts;

    /// <summary>How many values were replaced in all.</summary>
    public int Total => _counts.Values.Sum();

    public void Add(string rule, int count = 1)
    {
        ArgumentNullException.ThrowIfNull(rule);
        if (count > 0)
        {
            _counts[rule] = _counts.GetValueOrDefault(rule) + count;
        }
    }

    /// <summary>Declares a rule so that it is listed with 0 when it replaced nothing (a stack's own patterns: 0 says it ran and found none).</summary>
    public void Declare(string rule)
    {
        ArgumentNullException.ThrowIfNull(rule);
        _counts.TryAdd(rule, 0);
    }
}
