using Tend.Core.Text;

namespace Tend.Core.Model;

/// <summary>
/// One of the stack's own redaction patterns (<c>[stack] redact</c>): what `tend diag` masks in
/// every file of a bundle, beside the built-in rules. A pattern with a group named <c>secret</c>
/// masks only that group (the key stays readable); any other masks its whole match.
/// </summary>
public sealed record RedactPattern(Pattern Regex) : Located
{
    /// <summary>The name the manifest counts it under: its place in the file, never its text (a pattern may spell part of a secret).</summary>
    public string RuleName => Location.IsKnown ? $"stack_redact:{System.IO.Path.GetFileName(Location.File)}:{Location.Line}" : $"stack_redact:{Regex.GetHashCode():x8}";
}
