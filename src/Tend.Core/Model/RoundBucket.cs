namespace Tend.Core.Model;

/// <summary>Why a round of an agent CLI failed, as far as its output tells.</summary>
public enum RoundBucket
{
    /// <summary>A usage limit that says when it resets: wait until then.</summary>
    RateLimitReset,

    /// <summary>Rate-limited without a reset time: back off exponentially.</summary>
    RateLimit,

    ServerError,
    Timeout,
    Network,

    /// <summary>The credentials were refused: retrying cannot help until someone logs in.</summary>
    Auth,
}

/// <summary>The stack-file names of <see cref="RoundBucket"/>s and what each does unless told otherwise.</summary>
public static class RoundBuckets
{
    public static readonly IReadOnlyList<string> Names = ["rate_limit_reset", "rate_limit", "server_error", "timeout", "network", "auth"];

    public static string Name(RoundBucket bucket) => bucket switch
    {
        RoundBucket.RateLimitReset => "rate_limit_reset",
        RoundBucket.RateLimit => "rate_limit",
        RoundBucket.ServerError => "server_error",
        RoundBucket.Timeout => "timeout",
        RoundBucket.Network => "network",
        RoundBucket.Auth => "auth",
        _ => throw new ArgumentOutOfRangeException(nameof(bucket), bucket, "unknown round bucket"),
    };

    public static bool TryParse(string name, out RoundBucket bucket)
    {
        foreach (var candidate in Enum.GetValues<RoundBucket>())
        {
            if (Name(candidate) == name)
            {
                bucket = candidate;
                return true;
            }
        }

        bucket = default;
        return false;
    }

    /// <summary>
    /// Waiting is right for what passes by itself (limits, outages); a network failure is more
    /// often the host's own, so a person should hear of it; refused credentials never heal alone.
    /// </summary>
    public static RoundAction DefaultAction(RoundBucket bucket) => bucket switch
    {
        RoundBucket.Network => RoundAction.Alert,
        RoundBucket.Auth => RoundAction.Stop,
        _ => RoundAction.BackOff,
    };

    /// <summary>
    /// The first delay of the exponential back-off. For <see cref="RoundBucket.RateLimitReset"/>
    /// it is only used when no reset time could be read.
    /// </summary>
    public static TimeSpan DefaultBackOff(RoundBucket bucket) => bucket switch
    {
        RoundBucket.Timeout or RoundBucket.Network => TimeSpan.FromSeconds(30),
        _ => TimeSpan.FromSeconds(60),
    };
}
