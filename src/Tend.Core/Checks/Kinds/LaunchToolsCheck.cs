using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Core.Checks.Kinds;

/// <summary>
/// The programs tend starts every process through (<see cref="LaunchTools"/>) are there. Not a
/// kind a stack file names: it is planned for every component tend runs, because without them
/// a start would fail, or worse, a stop would miss what a service spawned.
/// </summary>
public sealed record LaunchToolsCheck(LaunchTools Tools) : CheckSpec
{
    public const string KindName = "launcher";

    public override string Kind => KindName;

    public override string Target => "setsid, setpriv (util-linux)";

    public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        if (Tools.Problem(dieWithParent: true) is { } problem)
        {
            var missing = string.Join(" and ", new[] { ("setsid", Tools.Setsid), ("setpriv", Tools.Setpriv) }.Where(t => t.Item2 is null).Select(t => t.Item1));
            return Task.FromResult(CheckOutcome.Fail(problem.ErrorClass, $"{missing} not found", problem.Message).WithData(("missing", missing)));
        }

        return Task.FromResult(CheckOutcome.Pass($"{Tools.Setsid} and {Tools.Setpriv}"));
    }
}
