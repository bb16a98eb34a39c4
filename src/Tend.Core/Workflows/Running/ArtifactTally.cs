using Tend.Core.Model;
namespace Tend.Core.Workflows.Running;

/// <summary>
/// What an attempt's artifact checks counted, kept in its record for the artifact-success KPI:
/// the problems alone cannot say how many artifacts were asked for, nor how many passed.
/// </summary>
public readonly record struct ArtifactTally(int? Checked, int? Failed)
{
    /// <summary>Each artifact counts once however many problems it has; a step without <c>emits</c> leaves both null.</summary>
    public static ArtifactTally Of(IReadOnlyList<ArtifactSpec> emits, ArtifactVerdict verdict)
    {
        ArgumentNullException.ThrowIfNull(emits);
        ArgumentNullException.ThrowIfNull(verdict);
        if (emits.Count == 0)
        {
            return new ArtifactTally(null, null);
        }

        var failed = emits.Count(spec => verdict.Problems.Any(p => p.StartsWith(spec.Path + ":", StringComparison.Ordinal)));
        return new ArtifactTally(emits.Count, failed);
    }
}
