using System.Globalization;

namespace Tend.Core.Checks;

/// <summary>A host and port written as <c>host:port</c>, <c>[::1]:port</c> or a bare port.</summary>
public readonly record struct Endpoint(string Host, int Port)
{
    public override string ToString() => Host.Contains(':', StringComparison.Ordinal) ? $"[{Host}]:{Port}" : $"{Host}:{Port}";

    public static bool TryParse(string text, string defaultHost, out Endpoint endpoint)
    {
        endpoint = default;
        var trimmed = text.Trim();
        if (int.TryParse(trimmed, NumberStyles.None, CultureInfo.InvariantCulture, out var bare))
        {
            endpoint = new Endpoint(defaultHost, bare);
            return bare is > 0 and < 65536;
        }

        string host;
        string portText;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf(']', StringComparison.Ordinal);
            if (close < 0 || close + 1 >= trimmed.Length || trimmed[close + 1] != ':')
            {
                return false;
            }

            host = trimmed[1..close];
            portText = trimmed[(close + 2)..];
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon <= 0)
            {
                return false;
            }

            host = trimmed[..colon];
            portText = trimmed[(colon + 1)..];
        }

        if (!int.TryParse(portText, NumberStyles.None, CultureInfo.InvariantCulture, out var port) || port is <= 0 or > 65535)
        {
            return false;
        }

        endpoint = new Endpoint(host, port);
        return true;
    }
}
