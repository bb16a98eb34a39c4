using System.Security.Cryptography;
using System.Text;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// The <c>X-Tend-Signature-256</c> header, as GitHub signs its webhooks: <c>sha256=</c> and the
/// lowercase hex HMAC-SHA256 of the exact body bytes, keyed with the secret's UTF-8 bytes. A
/// receiver recomputes it over the raw body it read (before any JSON parsing) and compares in
/// constant time (docs/notify.md).
/// </summary>
public static class WebhookSignature
{
    public const string Header = "X-Tend-Signature-256";

    private const string Prefix = "sha256=";

    public static string Sign(ReadOnlySpan<byte> body, string secret) =>
        Prefix + Convert.ToHexStringLower(HMACSHA256.HashData(Encoding.UTF8.GetBytes(secret), body));
}
