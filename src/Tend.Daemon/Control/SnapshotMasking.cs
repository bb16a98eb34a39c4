using Tend.Core.Events;
using Tend.Core.Status;

namespace Tend.Daemon.Control;

/// <summary>Component snapshots with the stack's known secrets masked in their texts: a reason or a probe result may quote a URL or an error that holds one.</summary>
internal static class SnapshotMasking
{
    public static IReadOnlyList<ComponentSnapshot> Mask(IReadOnlyList<ComponentSnapshot> snapshots, SecretValues secrets) =>
        secrets.Count == 0 ? snapshots : [.. snapshots.Select(s => Mask(s, secrets))];

    private static ComponentSnapshot Mask(ComponentSnapshot s, SecretValues secrets) => s with
    {
        Reason = MaskOrNull(s.Reason, secrets),
        LastProbe = MaskOrNull(s.LastProbe, secrets),
        WaitingFor = MaskOrNull(s.WaitingFor, secrets),
        Rounds = s.Rounds is { } rounds ? rounds with { SentinelReason = MaskOrNull(rounds.SentinelReason, secrets) } : null,
    };

    private static string? MaskOrNull(string? text, SecretValues secrets) => text is null ? null : secrets.Mask(text);
}
