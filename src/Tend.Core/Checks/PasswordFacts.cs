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
        (string, string?) ReadFrom(string variable) => string.IsNullOrEmpty(environment(variable)) ? ("password_env_unset", variable) : ("password_env", variable);

        // password_env wins over a written password, which wins over the client's own fallback.
        return passwordEnv is not null ? [ReadFrom(passwordEnv)]
            : written is not null ? [("password_in_url", maskedTarget)]
            : fallbackEnv is not null ? [ReadFrom(fallbackEnv)]
            : [("password_not_configured", suggestedEnv)];
    }
}
