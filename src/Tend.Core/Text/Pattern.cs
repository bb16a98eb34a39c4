using System.Text.RegularExpressions;

namespace Tend.Core.Text;

/// <summary>
/// A regular expression from a stack file: equal to another with the same text and options, so
/// that a stack model holding it compares by value (a plain <see cref="Regex"/> compares by reference).
/// </summary>
public sealed class Pattern(string pattern, RegexOptions options, TimeSpan matchTimeout) : Regex(pattern, options, matchTimeout), IEquatable<Pattern>
{
    public bool Equals(Pattern? other) =>
        other is not null && other.ToString() == ToString() && other.Options == Options && other.MatchTimeout == MatchTimeout;

    public override bool Equals(object? obj) => obj is Pattern other && Equals(other);

    public override int GetHashCode() => HashCode.Combine(ToString(), Options, MatchTimeout);
}
