using System.Text.RegularExpressions;

namespace Tend.Core.Events;

/// <summary>
/// Which values of a stack are secrets Tend must never show: the rule of docs/secrets.md.
/// A value is one when its name says so (<c>DB_PASS</c>, <c>STRIPE_KEY</c>, <c>PGPASSWORD</c>),
/// when it has the shape of a generated credential (<see cref="LooksLikeCredential"/>), or when it
/// is the password of a URL. Names and shapes are guesses; the user names the rest with <c>secrets</c>.
/// </summary>
public static partial class SecretRule
{
    // A word of the name that ends with one of these makes it secret: PGPASSWORD, GITHUBTOKEN, CLIENTSECRET.
    private static readonly string[] SecretEndings = ["PASSWORD", "PASSWD", "PASSPHRASE", "SECRET", "SECRETS", "TOKEN", "TOKENS", "APIKEY", "ACCESSKEY", "PRIVATEKEY"];

    // A word of the name that is one of these makes it secret: DB_PASS, STRIPE_KEY, X_AUTH.
    private static readonly string[] SecretWords = ["PASS", "PWD", "KEY", "AUTH", "CREDENTIAL", "CREDENTIALS", "CREDS", "SALT", "COOKIE", "SIGNATURE", "PRIVATE", "DSN"];

    // A last word that makes the value a pointer to a secret, or something about it, not the secret: SECRET_FILE, PASSWORD_ENV, TOKEN_URL.
    private static readonly string[] NotTheSecret = ["FILE", "PATH", "DIR", "ENV", "VAR", "URL", "URI", "HOST", "PORT", "USER", "USERNAME", "NAME", "ID", "TYPE", "MODE", "LENGTH", "TTL", "EXPIRY", "HEADER", "ALGORITHM"];

    /// <summary>The name of a variable or setting says its value is a secret.</summary>
    public static bool LooksSecretName(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var words = NameWords().Matches(name).Select(m => m.Value.ToUpperInvariant()).ToList();
        if (words.Count == 0 || name is "PWD" or "OLDPWD" || NotTheSecret.Contains(words[^1], StringComparer.Ordinal))
        {
            return false;
        }

        return words.Any(w => SecretWords.Contains(w, StringComparer.Ordinal) || SecretEndings.Any(e => w.EndsWith(e, StringComparison.Ordinal)));
    }

    /// <summary>
    /// A value shaped like a generated credential: one word of at least 8 characters with at least
    /// two letters and two digits, that is not a path, a URL, a host:port or a reference. So
    /// <c>s3cr3tvalue42</c> and <c>sk_live_4eC39HqLyjWDarjtT1zdp7dc</c> are; <c>production</c>,
    /// <c>eu-west-1</c>, <c>en_US.UTF-8</c>, <c>localhost:8080</c> and <c>/var/lib/app2024</c> are not.
    /// </summary>
    public static bool LooksLikeCredential(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        if (value.Length < 8 || value.Any(char.IsWhiteSpace) || value[0] is '/' or '.' or '~' or '$'
            || value.Contains("://", StringComparison.Ordinal) || value.Contains("::", StringComparison.Ordinal) || HostPort().IsMatch(value))
        {
            return false;
        }

        return value.Count(char.IsAsciiLetter) >= 2 && value.Count(char.IsAsciiDigit) >= 2;
    }

    /// <summary>What is not a secret whatever its name: empty, a reference (<c>${X}</c>), a switch.</summary>
    public static bool IsPlaceholder(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        var trimmed = value.Trim();
        return trimmed.Length == 0 || trimmed.StartsWith('$') || trimmed.ToUpperInvariant() is "TRUE" or "FALSE" or "NULL" or "NONE" or "YES" or "NO" or "ON" or "OFF";
    }

    /// <summary>The passwords of the URLs in <paramref name="text"/> (<c>scheme://user:PASSWORD@host</c>), as written and decoded.</summary>
    public static IEnumerable<string> UrlPasswords(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Contains("://", StringComparison.Ordinal))
        {
            yield break;
        }

        foreach (Match match in UrlUserInfo().Matches(text))
        {
            var password = match.Groups["password"].Value;
            yield return password;
            var decoded = Uri.UnescapeDataString(password);
            if (decoded != password)
            {
                yield return decoded;
            }
        }
    }

    // Words of a name: runs of capitals, capitalised words, lower-case words, digits (DB_PASS, apiKey, X-Auth-Token).
    [GeneratedRegex(@"[A-Z]+(?![a-z])|[A-Z]?[a-z]+|[0-9]+")]
    private static partial Regex NameWords();

    [GeneratedRegex(@"^[\w.-]+:\d+$")]
    private static partial Regex HostPort();

    // As Redactor.UrlPassword: the password may hold an '@'; the last one before the path ends it.
    [GeneratedRegex(@"\b[a-z][a-z0-9+.-]*://[^:@/\s?#]*:(?<password>[^\s/?#]+)@", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex UrlUserInfo();
}
