using System.Text.RegularExpressions;
using Tend.Core.Config;

namespace Tend.Core.Checks;

/// <summary>User-written regular expressions, compiled once at load time with a match timeout.</summary>
public static class Patterns
{
    public static readonly TimeSpan MatchTimeout = TimeSpan.FromSeconds(1);

    public static bool TryCreate(string pattern, TableReader reader, string key, out Regex? regex)
    {
        try
        {
            regex = new Regex(pattern, RegexOptions.CultureInvariant, MatchTimeout);
            return true;
        }
        catch (ArgumentException e)
        {
            var location = reader.Entry(key)?.Value.Location ?? reader.Location;
            reader.Problems.Error(location, $"{reader.Describe(key)} is not a valid regular expression: {e.Message}");
            regex = null;
            return false;
        }
    }

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
