using System.Text;

namespace Tend.Core.Events;

/// <summary>
/// The component and kind parts of an <see cref="EventFilter"/>, in bytes, to pass over the lines
/// of other components and kinds without parsing them. Only a no is final: a line it lets through
/// is parsed and matched whole (times included).
/// </summary>
internal sealed class EventKeyFilter
{
    private readonly byte[][] components;
    private readonly (byte[] Name, bool Prefix)[] kinds;

    public EventKeyFilter(EventFilter filter)
    {
        ArgumentNullException.ThrowIfNull(filter);
        components = [.. filter.Components.Select(Encoding.UTF8.GetBytes)];
        kinds = [.. filter.Kinds.Select(pattern => pattern switch
        {
            [.. var prefix, '*'] => (Encoding.UTF8.GetBytes(prefix), true),
            [.., '_'] => (Encoding.UTF8.GetBytes(pattern), true),
            _ => (Encoding.UTF8.GetBytes(pattern), false),
        })];
    }

    /// <summary>Whether the filter names components or kinds at all: without, every line must be parsed.</summary>
    public bool IsSelective => components.Length > 0 || kinds.Length > 0;

    /// <summary>Whether an event with these keys can match.</summary>
    public bool MayMatch(in EventLineKeys keys) => MayMatchKind(keys.Kind) && MayMatchComponent(keys.Component, keys.StackWide);

    public bool MayMatchKind(ReadOnlySpan<byte> kind)
    {
        if (kinds.Length == 0)
        {
            return true;
        }

        foreach (var (name, prefix) in kinds)
        {
            if (prefix ? kind.StartsWith(name) : kind.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }

    public bool MayMatchComponent(ReadOnlySpan<byte> component, bool stackWide)
    {
        if (components.Length == 0)
        {
            return true;
        }

        if (stackWide)
        {
            // A component filter never matches the whole stack's events (see EventFilter.Matches).
            return false;
        }

        foreach (var name in components)
        {
            if (component.SequenceEqual(name))
            {
                return true;
            }
        }

        return false;
    }
}
