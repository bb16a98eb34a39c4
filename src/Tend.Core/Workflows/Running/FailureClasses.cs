using Tend.Core.Model;
using Tend.Core.Rounds;

namespace Tend.Core.Workflows.Running;

/// <summary>
/// What kind of failure a step's output shows, read by the rounds classifier (docs/rounds.md):
/// its buckets (<c>rate_limit</c>, <c>server_error</c>, <c>timeout</c>, <c>network</c>, <c>auth</c>...)
/// plus <c>transient</c>, which is every bucket but <c>auth</c> (what passes by itself).
/// </summary>
public static class FailureClasses
{
    public const string Transient = "transient";

    public static bool IsTransient(string bucket) => bucket != RoundBuckets.Name(RoundBucket.Auth);

    /// <summary>A classifier of the agent CLI's fields first, then the generic messages of any CLI.</summary>
    public static RoundClassifier NewClassifier(TimeProvider time) =>
        new([.. ClassifierPresets.Get("claude")!, .. ClassifierPresets.Get("generic")!], time);
}
