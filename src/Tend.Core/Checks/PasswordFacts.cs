namespace Tend.Core.Checks;

/// <summary>
/// Where a check took the password it sent, as diagnosis facts, so that a next step names the
/// source the check really reads: the variable it read (<c>password_env</c>), the variable it
/// would read but found unset (<c>password_env_unset</c>), the password written in the target
/// (<c>password_in_url</c>, shown masked), or nothing configured at all
/// (<c>password_not_configured</c>, with the variable to add). Exactly one of them is given.
/// </summary>
public static class PasswordFacts
{
    /// <param name="written">The password written in the target (a URL's user info, a connection string's Password).</param>
    /// <param name="passwordEnv">The check's <c>password_env</c>, which wins over <paramref name="written"/>.</param>
    /// <param name="fallbackEnv">A variable the client reads when nothing else is given (libpq's PGPASSWORD), or null.</param>
    /// <param name="suggestedEnv">The name to suggest when nothing is configured.</param>
    /// <param name="maskedTarget">The target with the password masked, for the fact that names it.</param>
    public static (string Key, string? Value)[] Of(string? written, string? passwordEnv, string? fallbackEnv, string suggestedEnv, string maskedTarget, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(environment);
        if (passwordEnv is not null)
        {
            return [string.IsNullOrEmpty(environment(passwordEnv)) ? ("password_env_unset", passwordEnv) : ("password_env", passwordEnv)];
        }

        if (written is not null)
        {
            return [("password_in_url", maskedTarget)];
        }

        if (fallbackEnv is not null)
        {
            return [string.IsNullOrEmpty(environment(fallbackEnv)) ? ("password_env_unset", fallbackEnv) : ("password_env", fallbackEnv)];
        }

        return [("password_not_configured", suggestedEnv)];
    }

    /// <summary><paramref name="url"/> with the password of its user info replaced by <c>****</c>.</summary>
    public static string MaskUrl(string url)
    {
        ArgumentNullException.ThrowIfNull(url);
        var scheme = url.IndexOf("://", StringComparison.Ordinal);
        var at = url.IndexOf('@', StringComparison.Ordinal);
        if (scheme < 0 || at < scheme)
        {
            return url;
        }

        var userInfo = url[(scheme + 3)..at];
        var colon = userInfo.IndexOf(':', StringComparison.Ordinal);
        var masked = colon < 0 ? "****" : userInfo[..(colon + 1)] + "****";
        return url[..(scheme + 3)] + masked + url[at..];
    }
}
