namespace Tend.Core.Events;

/// <summary>Placeholder until the event log lands: passes text through unchanged.</summary>
public static class Redactor
{
    public static string Redact(string text) => text;
}
