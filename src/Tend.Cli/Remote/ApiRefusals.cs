using Tend.Core.Model;
using Tend.Daemon.Control.Protocol;

namespace Tend.Cli.Remote;

/// <summary>What `tend api --stdio` refuses, and how it words it.</summary>
internal static class ApiRefusals
{
    public const string Code = "refused";

    public static ControlError ReadOnly(string verb) => new(
        Code,
        $"{verb} changes the stack, and this host's forced command is read-only (tend api --stdio without --allow-control)",
        "to allow start, stop and restart over ssh, add --allow-control to the command=\"...\" of this key in the host's ~/.ssh/authorized_keys (docs/remote.md)");

    /// <summary>
    /// A component the stack does not have, refused as the local verbs refuse it (they check the
    /// names against the stack file before asking): the files would only answer with nothing.
    /// </summary>
    public static ControlError? UnknownComponent(StackFile stack, ControlRequest request)
    {
        // A stand-in for a broken file knows no components: the daemon checks the names itself.
        if (stack.Components.Count == 0)
        {
            return null;
        }

        IReadOnlyList<string> names = request switch
        {
            EventsRequest events => events.Components,
            LogsRequest logs => [logs.Component],
            LogFilesRequest files => files.Components,
            _ => [],
        };
        if (names.FirstOrDefault(n => stack.Find(n) is null) is not { } unknown)
        {
            var one = request switch
            {
                LogsRequest logs => logs.Component,
                LogFilesRequest { Components: [var only] } => only,
                _ => null,
            };
            return one is { } name && stack.Find(name)!.Kind == ComponentKind.External
                ? new ControlError("invalid_argument", $"{name} is external: tend never runs it, so it has no logs here")
                : null;
        }

        var hint = Core.Text.DidYouMean.Hint(unknown, stack.Components.Select(c => c.Name)) ?? $"the components: {string.Join(", ", stack.Components.Select(c => c.Name))}";
        return new ControlError("not_a_component", $"{stack.Name} has no component '{unknown}'", hint);
    }
}
