using Tend.Core.Checks;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// Reads <c>[http]</c>: <c>listen = "127.0.0.1:7380"</c> and <c>allow_remote</c>. A non-loopback
/// address without <c>allow_remote = true</c> is an error here, not a surprise on the network
/// (process-compose listened on every interface by default: its issue #421).
/// </summary>
internal static class HttpReader
{
    public static HttpSettings? Read(TableReader top)
    {
        if (top.Subtable("http") is not { } http)
        {
            return null;
        }

        var allowRemote = http.Boolean("allow_remote") ?? false;
        var listen = new Endpoint(HttpSettings.Default.Host, HttpSettings.Default.Port);
        if (http.String("listen") is { } text)
        {
            if (!Endpoint.TryParse(text, "127.0.0.1", out listen) || !HttpSettings.IsLiteralHost(listen.Host))
            {
                top.Problems.Error(http.Entry("listen")!.Value.Location, $"{http.Describe("listen")} must be \"host:port\" with an IP address or localhost, or a port alone, such as \"127.0.0.1:7380\", not \"{text}\"");
                listen = new Endpoint(HttpSettings.Default.Host, HttpSettings.Default.Port);
            }
            else if (!HttpSettings.IsLoopbackHost(listen.Host) && !allowRemote)
            {
                top.Problems.Error(
                    http.Entry("listen")!.Value.Location,
                    $"{http.Describe("listen")} = \"{text}\" is reachable from other hosts, and allow_remote is not set",
                    "listen on 127.0.0.1, or set allow_remote = true: every request but /healthz then needs the token in the state directory's http.token");
            }
        }

        http.Finish();
        return new HttpSettings(listen.Host, listen.Port, allowRemote);
    }
}
