using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Checks;

/// <summary>A planned check, what it saw, how long it took, and the diagnosis when it did not pass.</summary>
public sealed record CheckResult(PlannedCheck Check, CheckOutcome Outcome, TimeSpan Duration, Diagnosis? Diagnosis)
{
    /// <summary>The status that counts: an optional check that fails only warns.</summary>
    public CheckStatus Status => Outcome.Status == CheckStatus.Fail && Check.Spec.Optional ? CheckStatus.Warn : Outcome.Status;

    public bool Passed => Status == CheckStatus.Pass;
}
