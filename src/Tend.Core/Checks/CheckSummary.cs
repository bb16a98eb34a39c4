using Tend.Core.Checks;
using Tend.Core.Model;

namespace Tend.Core.Checks;

public static class CheckSummary
{
    /// <summary>Fail if anything failed or was skipped for a failure, warn if anything warned, else pass.</summary>
    public static CheckStatus Overall(IReadOnlyList<CheckResult> results) =>
        results.Any(r => r.Status is CheckStatus.Fail or CheckStatus.Skip) ? CheckStatus.Fail
        : results.Any(r => r.Status == CheckStatus.Warn) ? CheckStatus.Warn
        : CheckStatus.Pass;
}
