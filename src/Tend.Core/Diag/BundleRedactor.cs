using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.RegularExpressions;
using Tend.Core.Events;
using Tend.Core.Model;

namespace Tend.Core.Diag;

/// <summary>
/// Everything that enters a diagnostic bundle goes through here: the values Tend knows to be
/// secret (also as a JSON string and a URL would spell them), then the stack's own
/// <c>[stack] redact</c> patterns, then the built-in patterns of <see cref="Redactor"/>. It counts
/// what each rule replaced, for the manifest. Known values come first so that a password with
/// spaces is masked whole before a pattern could mask only its first word.
/// </summary>
public sealed class BundleRedactor
{
    private readonly SecretValues _known;
    private readonly IReadOnlyList<RedactPattern> _patterns;

    public BundleRedactor(SecretValues known, IReadOnlyList<RedactPattern> patterns)
    {
        ArgumentNullException.ThrowIfNull(known);
        ArgumentNullException.ThrowIfNull(patterns);
        _known = SecretValues.Of(known.Values.SelectMany(Spellings));
        _patterns = patterns;
        foreach (var pattern in patterns)
        {
            // Listed with 0 when it found nothing: the reader sees it ran.
            Tally.Declare(pattern.RuleName);
        }
    }

    public RedactionTally Tally { get; } = new();

    /// <summary>How many values are masked wherever they appear.</summary>
    public int KnownValues => _known.Count;

    /// <summary><paramref name="text"/> as it may enter the bundle, with what was replaced counted in <see cref="Tally"/>.</summary>
    public string Redact(string text) => Redact(text, Tally);

    /// <summary><paramref name="text"/> redacted without counting: for what is not a file's content (the manifest's rule names).</summary>
    public string RedactUncounted(string text) => Redact(text, new RedactionTally());

    private string Redact(string text, RedactionTally tally)
    {
        ArgumentNullException.ThrowIfNull(text);
        text = _known.Mask(text, tally);
        foreach (var pattern in _patterns)
        {
            text = ApplyStackPattern(pattern, text, tally);
        }

        return Redactor.Redact(text, tally);
    }

    private static string ApplyStackPattern(RedactPattern pattern, string text, RedactionTally tally)
    {
        try
        {
            var secret = pattern.Regex.GroupNumberFromName("secret");
            return pattern.Regex.Replace(text, m =>
            {
                var group = secret >= 0 ? m.Groups[secret] : m.Groups[0];
                if (!group.Success || group.Length == 0 || group.Value == Redactor.Mask)
                {
                    return m.Value;
                }

                tally.Add(pattern.RuleName);
                return string.Concat(m.Value.AsSpan(0, group.Index - m.Index), Redactor.Mask, m.Value.AsSpan(group.Index - m.Index + group.Length));
            });
        }
        catch (RegexMatchTimeoutException)
        {
            // As the built-in rules do: what cannot be checked in time is not shown.
            tally.Add(Redactor.Rules.Withheld);
            return "[text withheld: redaction timed out]";
        }
    }

    /// <summary>
    /// A value as it is written, as a JSON string holds it, and as a URL holds it (a password with
    /// spaces is <c>%20</c> there); and for a value of several words, what is left of it after a
    /// pattern masked only its first words (<c>--password correct horse</c> became
    /// <c>--password *** horse</c> in the daemon's argv events before the known values were masked).
    /// </summary>
    private static IEnumerable<string> Spellings(string value)
    {
        var forms = new List<string> { value };
        for (var i = 1; i < value.Length; i++)
        {
            if (char.IsWhiteSpace(value[i]) && !char.IsWhiteSpace(value[i - 1]))
            {
                forms.Add(Redactor.Mask + value[i..]);
            }
        }

        foreach (var form in forms)
        {
            yield return form;
            yield return JsonEncodedText.Encode(form).Value;
            yield return JsonEncodedText.Encode(form, JavaScriptEncoder.UnsafeRelaxedJsonEscaping).Value;
            yield return Uri.EscapeDataString(form);
        }
    }
}
