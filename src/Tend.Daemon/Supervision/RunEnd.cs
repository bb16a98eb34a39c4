using Tend.Core.Processes;

namespace Tend.Daemon.Supervision;

/// <summary>How a run ended.</summary>
/// <param name="LivenessReason">Stopped by tend because its probe failed: why.</param>
/// <param name="StartFailure">It never started: why.</param>
internal sealed record RunEnd(int? ExitCode, int? Signal, TimeSpan Uptime, bool StoppedOnRequest, string? LivenessReason, LaunchFailure? StartFailure)
{
    public static RunEnd NotStarted(LaunchFailure failure) => new(failure.ExitCode, null, TimeSpan.Zero, false, null, failure);

    public bool Succeeded => StartFailure is null && LivenessReason is null && ExitCode == 0;

    public string Describe() => StartFailure is not null ? StartFailure.Message
        : LivenessReason is not null ? LivenessReason
        : ExitCode is { } || Signal is { } ? ExitStatus.Ended(ExitCode ?? 0, Signal)
        : "ended";
}
