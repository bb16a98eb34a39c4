using System.Security.Cryptography;
using System.Text;

namespace Tend.Daemon.Http;

/// <summary>
/// The bearer token of the HTTP API, in a 0600 file of the state directory. Read at every
/// request that needs it, so deleting the file (or making a new one) takes effect at once.
/// </summary>
public static class HttpToken
{
    /// <summary>The token, or null when none was made (the API is then read-only).</summary>
    public static string? Read(string path)
    {
        try
        {
            var text = File.ReadAllText(path).Trim();
            return text.Length >= 16 ? text : null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }

    /// <summary>The token, made now (256 random bits, URL-safe) when there is none.</summary>
    /// <exception cref="IOException">The state directory cannot be written.</exception>
    public static string Ensure(string path)
    {
        if (Read(path) is { } existing)
        {
            return existing;
        }

        var token = Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');
        var temp = $"{path}.{Environment.ProcessId}.tmp";
        using (var stream = new FileStream(temp, new FileStreamOptions { Mode = FileMode.Create, Access = FileAccess.Write, UnixCreateMode = UnixFileMode.UserRead | UnixFileMode.UserWrite }))
        {
            stream.Write(Encoding.ASCII.GetBytes(token + "\n"));
            stream.Flush(flushToDisk: true);
        }

        try
        {
            // Never over another's: two first uses at once agree on the one that landed first.
            File.Move(temp, path, overwrite: false);
            return token;
        }
        catch (IOException) when (Read(path) is { } landed)
        {
            File.Delete(temp);
            return landed;
        }
    }

    /// <summary>
    /// Constant time whatever the two are: both are hashed first, so not even the length of the
    /// right token leaks through timing (process-compose compares its token with <c>!=</c>).
    /// </summary>
    public static bool Matches(string? offered, string expected)
    {
        if (offered is null)
        {
            return false;
        }

        Span<byte> a = stackalloc byte[32];
        Span<byte> b = stackalloc byte[32];
        SHA256.HashData(Encoding.UTF8.GetBytes(offered), a);
        SHA256.HashData(Encoding.UTF8.GetBytes(expected), b);
        return CryptographicOperations.FixedTimeEquals(a, b);
    }
}
