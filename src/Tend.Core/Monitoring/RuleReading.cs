using Tend.Core.Model;

namespace Tend.Core.Monitoring;

/// <summary>One rule read on one subject at one sample.</summary>
/// <param name="Holds">The condition holds now (with the extra conditions).</param>
/// <param name="Cleared">It is back past the hysteresis threshold: a firing alert may resolve.</param>
/// <param name="Value">The main metric's value; null when absent.</param>
/// <param name="Facts">Each metric read, with its threshold, in words.</param>
public sealed record RuleReading(MonitorRule Rule, RuleSubject Subject, bool Holds, bool Cleared, double? Value, IReadOnlyList<string> Facts);
