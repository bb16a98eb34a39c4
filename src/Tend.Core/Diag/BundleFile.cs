using System.Security.Cryptography;
using System.Text;

namespace Tend.Core.Diag;

/// <summary>One file of a bundle after redaction: its name and bytes as they go into the archive.</summary>
public sealed record BundleFile(string Name, byte[] Bytes)
{
    public BundleFileEntry Entry => new(Name, Bytes.Length, Convert.ToHexStringLower(SHA256.HashData(Bytes)));

    /// <summary>The file as it may enter the bundle: its name and its text through <paramref name="redactor"/>.</summary>
    public static BundleFile Redacted(string name, string text, BundleRedactor redactor)
    {
        ArgumentNullException.ThrowIfNull(redactor);
        return new BundleFile(redactor.Redact(name), Encoding.UTF8.GetBytes(redactor.Redact(text)));
    }
}
