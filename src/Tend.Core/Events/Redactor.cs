using System.Text.RegularExpressions;

namespace Tend.Core.Events;

/// <summary>
/// Masks secrets in text that leaves the process: log tails in events, diagnostic bundles.
/// It keeps what helps debugging (key names, the user and host of a URL, the scheme of an
/// Authorization header, the kind of a token) and replaces only the secret with <see cref="Mask"/>.
/// </summary>
/// <remarks>
/// Patterns, not certainty: it catches secrets in the shapes they take in logs and configs
/// (<c>password=</c>, <c>token: </c>, headers, URLs, key blocks, well-known token formats).
/// Values that are references, not secrets (<c>${PGPASSWORD}</c>, <c>null</c>), are kept.
/// </remarks>
public static partial class Redactor
{
    public const string Mask = "***";

    private const string Withheld = "[text withheld: redaction timed out]";

    // The words that make the value after them a secret; the key must end with one.
    private const string SecretWord =
        @"(?:password|passwd|passphrase|[_.-]pwd|secret|token|api[_-]?key|apikey|access[_-]?key|private[_-]?key|credentials?|auth|session[_-]?id|cookie|signature)";

    /// <summary>The names under which <see cref="Redact(string, RedactionTally)"/> counts what each pattern replaced.</summary>
    public static class Rules
    {
        public const string PrivateKey = "private_key";
        public const string AuthorizationHeader = "authorization_header";
        public const string BearerToken = "bearer_token";
        public const string UrlPassword = "url_password";
        public const string KnownToken = "token_format";
        public const string SecretFlag = "secret_flag";
        public const string SecretAssignment = "secret_assignment";
        public const string EnvKeyAssignment = "env_key_assignment";
        public const string TokenAfterSecretWord = "token_after_secret_word";
        public const string Withheld = "withheld_timeout";
    }

    /// <summary><paramref name="text"/> with its secrets masked.</summary>
    public static string Redact(string text) => RedactCore(text, null);

    /// <summary><paramref name="text"/> with its secrets masked, counting in <paramref name="tally"/> what each pattern replaced (<see cref="Rules"/>).</summary>
    public static string Redact(string text, RedactionTally tally)
    {
        ArgumentNullException.ThrowIfNull(tally);
        return RedactCore(text, tally);
    }

    private static string RedactCore(string text, RedactionTally? tally)
    {
        ArgumentNullException.ThrowIfNull(text);
        try
        {
            text = Replace(PrivateKeyBlock(), text, Rules.PrivateKey, tally, m => m.Groups["end"].Success
                ? $"-----BEGIN {m.Groups["label"].Value}----- {Mask} -----END {m.Groups["label"].Value}-----"
                : $"-----BEGIN {m.Groups["label"].Value}----- {Mask}");
            text = Replace(AuthorizationHeader(), text, Rules.AuthorizationHeader, tally, m => m.Groups["key"].Value + m.Groups["scheme"].Value + Mask);
            text = Replace(BearerToken(), text, Rules.BearerToken, tally, m => m.Groups["scheme"].Value + Mask);
            text = Replace(UrlPassword(), text, Rules.UrlPassword, tally, m => m.Groups["prefix"].Value + Mask + "@");
            text = Replace(KnownToken(), text, Rules.KnownToken, tally, m => m.Groups["kind"].Value + Mask);
            text = Replace(SecretFlag(), text, Rules.SecretFlag, tally, m => m.Groups["flag"].Value + m.Groups["space"].Value + MaskValue(m.Groups["value"].Value));
            text = Replace(SecretAssignment(), text, Rules.SecretAssignment, tally, m => m.Groups["key"].Value + m.Groups["sep"].Value + MaskValue(m.Groups["value"].Value));
            text = Replace(EnvKeyAssignment(), text, Rules.EnvKeyAssignment, tally, m => m.Groups["key"].Value + MaskValue(m.Groups["value"].Value));
            return Replace(TokenAfterSecretWord(), text, Rules.TokenAfterSecretWord, tally, m => m.Groups["lead"].Value + Mask);
        }
        catch (RegexMatchTimeoutException)
        {
            // Safe by default: text that cannot be checked in time is not shown at all.
            tally?.Add(Rules.Withheld);
            return Withheld;
        }
    }

    /// <summary>One pattern's replacement; a match whose replacement changes nothing (a value masked already, a reference) is not counted.</summary>
    private static string Replace(Regex pattern, string text, string rule, RedactionTally? tally, Func<Match, string> replacement)
    {
        if (tally is null)
        {
            return pattern.Replace(text, m => replacement(m));
        }

        return pattern.Replace(text, m =>
        {
            var replaced = replacement(m);
            if (!string.Equals(replaced, m.Value, StringComparison.Ordinal))
            {
                tally.Add(rule);
            }

            return replaced;
        });
    }

    /// <summary><paramref name="text"/> with the values Tend knows to be secret masked, then the secrets its patterns find.</summary>
    public static string Redact(string text, SecretValues known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return Redact(known.Mask(text));
    }

    /// <summary><see cref="Redact(string, SecretValues)"/>, counting in <paramref name="tally"/> what each rule replaced (<see cref="SecretValues.Rule"/> for the known values).</summary>
    public static string Redact(string text, SecretValues known, RedactionTally tally)
    {
        ArgumentNullException.ThrowIfNull(known);
        return Redact(known.Mask(text, tally), tally);
    }

    /// <summary>Log lines or an argv with the values Tend knows to be secret masked, then the secrets its patterns find.</summary>
    public static IReadOnlyList<string> RedactLines(IEnumerable<string> lines, SecretValues known)
    {
        ArgumentNullException.ThrowIfNull(known);
        return RedactLines(known.Mask([.. lines]));
    }

    /// <summary>Log lines with their secrets masked; redacted as one text so a key block across lines is found.</summary>
    public static IReadOnlyList<string> RedactLines(IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var list = lines as IReadOnlyList<string> ?? [.. lines];
        return list.Count == 0 ? [] : Redact(string.Join('\n', list)).Split('\n');
    }

    /// <summary>The masked value, quotes kept; references and empty values stay as written.</summary>
    private static string MaskValue(string value)
    {
        var quote = value.Length >= 2 && value[0] is '"' or '\'' && value[^1] == value[0] ? value[0].ToString() : "";
        var inner = quote.Length == 0 ? value : value[1..^1];
        return IsNotASecret(inner) ? value : quote + Mask + quote;
    }

    private static bool IsNotASecret(string value) =>
        value.Length == 0
        || value == Mask
        || value.StartsWith('$')
        || value.Equals("null", StringComparison.OrdinalIgnoreCase)
        || value.Equals("none", StringComparison.OrdinalIgnoreCase)
        || value.Equals("true", StringComparison.OrdinalIgnoreCase)
        || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    // A PEM private key, to its END line, or to the end of a tail that cut it off.
    [GeneratedRegex(@"-----BEGIN (?<label>[A-Z0-9 ]*PRIVATE KEY)-----(?:.*?(?<end>-----END \k<label>-----)|.*\z)", RegexOptions.Singleline, 1000)]
    private static partial Regex PrivateKeyBlock();

    // Authorization: Bearer abc / Proxy-Authorization: Basic abc / "authorization": "Token abc"
    [GeneratedRegex(@"(?<key>\b(?:proxy-)?authorization[""']?\s*[:=]\s*[""']?)(?<scheme>(?:bearer|basic|token|digest|negotiate|apikey|bot)\s+)?(?<cred>[^\s""',;]+)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex AuthorizationHeader();

    // "Bearer abc123..." anywhere else (curl lines, error messages); the token has a digit, so "bearer authentication" stays.
    [GeneratedRegex(@"(?<scheme>\bbearer\s+)(?=[A-Za-z0-9._~+/=-]*\d)[A-Za-z0-9._~+/=-]{8,}", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex BearerToken();

    // scheme://user:secret@host: the user and host stay. The password may hold an '@'; the last one before the path ends it.
    [GeneratedRegex(@"(?<prefix>\b[a-z][a-z0-9+.-]*://[^:@/\s?#]*:)[^\s/?#]+@", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex UrlPassword();

    // Tokens whose format gives them away: AWS key ids, GitHub, Slack, OpenAI/Anthropic, Google, Hugging Face, JWTs.
    [GeneratedRegex(
        @"\b(?<kind>(?:AKIA|ASIA|ABIA|ACCA|AGPA|AIDA|AIPA|ANPA|ANVA|AROA|APKA|ASCA))[A-Z0-9]{16}\b"
        + @"|\b(?<kind>gh[pousr]_)[A-Za-z0-9]{36,}\b"
        + @"|\b(?<kind>github_pat_)[A-Za-z0-9_]{22,}"
        + @"|\b(?<kind>xox[abposr]-)[A-Za-z0-9-]{10,}"
        + @"|\b(?<kind>sk-)(?:ant-|proj-)?[A-Za-z0-9_-]{20,}"
        + @"|\b(?<kind>AIza)[0-9A-Za-z_-]{35}"
        + @"|\b(?<kind>hf_)[A-Za-z0-9]{30,}"
        + @"|\b(?<kind>eyJ)[A-Za-z0-9_-]{5,}\.eyJ[A-Za-z0-9_-]{5,}\.[A-Za-z0-9_-]{5,}",
        RegexOptions.None,
        1000)]
    private static partial Regex KnownToken();

    // --password hunter2, -token abc (with a space; --password=x is an assignment below).
    [GeneratedRegex(@"(?<flag>(?<![\w-])--?[\w-]*(?:password|passwd|passphrase|token|secret|api-?key|access-key)(?![\w-]))(?<space>\s+)(?<value>""[^""]*""|'[^']*'|(?!-)[^\s""']+)", RegexOptions.IgnoreCase, 1000)]
    private static partial Regex SecretFlag();

    // password=x, DB_PASSWORD: x, "api_key": "x", 'token' => 'x', ?access_token=x&...
    [GeneratedRegex(
        @"(?<key>(?<![\w-])[""']?[\w.-]*?" + SecretWord + @"[""']?)(?<sep>\s*(?:=>|[:=])\s*)(?<value>""(?:[^""\\]|\\.)*""|'[^']*'|[^\s,;&""'}\])<>]+)",
        RegexOptions.IgnoreCase,
        1000)]
    private static partial Regex SecretAssignment();

    // STRIPE_KEY=x, DB_PASS=x: environment-style names, in capitals, whose last word is KEY or PASS
    // (in lower case "sort_key=" or "bypass=" are too often not secrets).
    [GeneratedRegex(@"(?<key>(?<![\w-])[A-Z][A-Z0-9_]*_(?:KEY|PASS)=)(?<value>""[^""]*""|'[^']*'|[^\s,;&""'}\])<>]+)", RegexOptions.None, 1000)]
    private static partial Regex EnvKeyAssignment();

    // "token 3f9a..." / "api key is AbC...": a long token-like word right after a secret word,
    // with a digit and a letter in it, so plain words after "password" stay.
    [GeneratedRegex(
        @"(?<lead>\b(?:token|secret|password|passphrase|api[ _-]?key|access[ _-]?key|private[ _-]?key|credentials?)\b(?:\s+(?:is|was|of|for)\b)?[\s:=]*[""']?)(?=[A-Za-z0-9+/_.-]*\d)(?=[A-Za-z0-9+/_.-]*[A-Za-z])[A-Za-z0-9+/_.-]{16,}={0,2}",
        RegexOptions.IgnoreCase,
        1000)]
    private static partial Regex TokenAfterSecretWord();
}
