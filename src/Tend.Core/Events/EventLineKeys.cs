namespace Tend.Core.Events;

/// <summary>
/// The kind and component of an event line, read from the bytes without parsing the JSON: every
/// line our writer writes begins <c>{"ts":"…","event":"KIND","component":"NAME"|null</c>. A line
/// of any other shape (hand-written, a fragment, a future writer's order) is not read here: the
/// caller parses it whole, so the shortcut never decides for a line it cannot be sure of.
/// </summary>
internal readonly ref struct EventLineKeys
{
    private static ReadOnlySpan<byte> Start => "{\"ts\":\""u8;

    private static ReadOnlySpan<byte> EventKey => "\",\"event\":\""u8;

    private static ReadOnlySpan<byte> ComponentKey => "\",\"component\":"u8;

    // A string value holds these only escaped (\"), so once found where the writer puts them,
    // finding them again means a second key or a glued second line: then the parser decides.
    private static ReadOnlySpan<byte> EventName => "\"event\":"u8;

    private static ReadOnlySpan<byte> ComponentName => "\"component\":"u8;

    private static ReadOnlySpan<byte> LineStart => "{\"ts\":"u8;

    private EventLineKeys(ReadOnlySpan<byte> kind, ReadOnlySpan<byte> component, bool stackWide)
    {
        Kind = kind;
        Component = component;
        StackWide = stackWide;
    }

    /// <summary>The kind's name, as written (never escaped: kinds are ASCII words).</summary>
    public ReadOnlySpan<byte> Kind { get; }

    /// <summary>The component's name as written; empty for the whole stack's events.</summary>
    public ReadOnlySpan<byte> Component { get; }

    /// <summary>The event is about the whole stack (<c>"component":null</c>).</summary>
    public bool StackWide { get; }

    /// <summary>Reads the keys of <paramref name="line"/>; false when the line is not in the writer's shape.</summary>
    public static bool TryRead(ReadOnlySpan<byte> line, out EventLineKeys keys)
    {
        keys = default;
        if (!line.StartsWith(Start))
        {
            return false;
        }

        var rest = line[Start.Length..];
        var timestampEnd = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (timestampEnd < 0 || !rest[timestampEnd..].StartsWith(EventKey))
        {
            return false;
        }

        var eventAt = Start.Length + timestampEnd + 2;
        rest = rest[(timestampEnd + EventKey.Length)..];
        var kindEnd = rest.IndexOfAny((byte)'"', (byte)'\\');
        if (kindEnd <= 0 || !rest[kindEnd..].StartsWith(ComponentKey))
        {
            return false;
        }

        var kind = rest[..kindEnd];
        var componentAt = line.Length - rest.Length + kindEnd + 2;
        rest = rest[(kindEnd + ComponentKey.Length)..];
        ReadOnlySpan<byte> component;
        bool stackWide;
        if (rest.StartsWith("null"u8))
        {
            component = default;
            stackWide = true;
            rest = rest[4..];
        }
        else if (rest.StartsWith("\""u8) && rest[1..].IndexOfAny((byte)'"', (byte)'\\') is var nameEnd and > 0 && rest[1 + nameEnd] == '"')
        {
            component = rest.Slice(1, nameEnd);
            stackWide = false;
            rest = rest[(nameEnd + 2)..];
        }
        else
        {
            return false;
        }

        if (rest.IsEmpty || (rest[0] != ',' && rest[0] != '}')
            || line.LastIndexOf(LineStart) != 0
            || line.LastIndexOf(EventName) != eventAt
            || line.LastIndexOf(ComponentName) != componentAt)
        {
            return false;
        }

        keys = new EventLineKeys(kind, component, stackWide);
        return true;
    }
}
