using System.Text.RegularExpressions;

namespace Tend.Core.Text;

/// <summary>User-written regular expressions, compiled once at load time with a match timeout.</summary>
public static class Patterns
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    /// <summary>Compiles <paramref name="pattern"/>; throws <see cref="ArgumentException"/> when it is not a valid regular expression.</summary>
    public static Pattern Create(string pattern) => new(pattern, RegexOptions.CultureInvariant, MatchTimeout);

    /// <summary>Whether <paramref name="pattern"/> matches; a match that runs out of time counts as none, so a pathological line never stalls its reader.</summary>
    public static bool IsMatchInTime(this Regex pattern, string text)
    {
        try
        {
            return pattern.IsMatch(text);
        }
        catch (RegexMatchTimeoutException)
        {
            return false;
        }
    }
}
