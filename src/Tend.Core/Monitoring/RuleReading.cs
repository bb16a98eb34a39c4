using Tend.Core.Model;

namespace Tend.Core.Monitoring;

/// <summary>One rule read on one subject at one sample.</summary>
/// <param name="Holds">The condition holds now (with the extra conditions).</param>
/// <param name="Cleared">It is back past the hysteresis threshold: a firing alert may resolve.</param>
/// <param name="Value">The main metric's value; null when absent.</param>
/// <param name="Values">Each condition's value (the main one, then <c>also</c> or <c>either</c>), for <see cref="Facts"/>.</param>
public sealed record RuleReading(MonitorRule Rule, RuleSubject Subject, bool Holds, bool Cleared, double? Value, double?[] Values)
{
    /// <summary>
    /// Each metric read, with its threshold, in words. Written only when asked (an alert fires or
    /// resolves): a sample reads hundreds of rules, and the words of each cost more than the reading.
    /// </summary>
    public IReadOnlyList<string> Facts => [.. Conditions.Zip(Values, Fact).OfType<string>()];

    private IEnumerable<RuleCondition> Conditions => [Rule.Condition, .. Rule.Also, .. Rule.Either];

    private static string? Fact(RuleCondition condition, double? value) => value switch
    {
        { } v => $"{RuleEvaluator.Describe(condition)} = {RuleEvaluator.Show(condition, v)} ({(condition.Direction == ThresholdDirection.Above ? "above" : "below")} {RuleEvaluator.Show(condition, condition.Threshold)}{(condition.Holds(v) ? "" : ": not")})",
        null when condition.IfMissing => $"{RuleEvaluator.Describe(condition)}: none here, counts as holding",
        _ => null,
    };
}
