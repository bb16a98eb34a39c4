using System.Globalization;
using System.Text;
using System.Text.Json;
using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>etcd reports itself healthy over its v3 HTTP gateway (<c>/health</c>, then <c>/v3/maintenance/status</c>).</summary>
public sealed record EtcdCheck(Uri Endpoint) : CheckSpec
{
    public static readonly CheckKind Definition = new("etcd", "etcd reports itself healthy (v3 API)", TimeSpan.FromSeconds(3), CheckValueForms.String, [], Create);

    public override string Kind => "etcd";

    public override string Target => $"{Endpoint.Host}:{Endpoint.Port}";

    public override IEnumerable<string> Secrets(Func<string, string?> environment) => Events.SecretRule.UrlPasswords(Endpoint.OriginalString);

    private static EtcdCheck? Create(CheckArguments arguments)
    {
        var text = (string)arguments.Value;
        if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
        {
            return new EtcdCheck(uri);
        }

        if (Checks.Endpoint.TryParse(text, "127.0.0.1", out var endpoint))
        {
            return new EtcdCheck(new Uri($"http://{endpoint}/"));
        }

        arguments.Error($"{arguments.What} must be an http:// URL or \"host:port\", not \"{text}\"");
        return null;
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler { UseProxy = false, ConnectTimeout = Timeout };
        using var client = new HttpClient(handler) { BaseAddress = Endpoint, Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        var data = new (string, string?)[] { ("host", Endpoint.Host), ("port", Endpoint.Port.ToString(CultureInfo.InvariantCulture)) };
        try
        {
            using var health = await client.GetAsync(new Uri("/health", UriKind.Relative), cancellationToken);
            var healthBody = await health.Content.ReadAsStringAsync(cancellationToken);
            if (!TryReadHealth(healthBody, out var healthy, out var reason))
            {
                return CheckOutcome.Fail("protocol", $"{Target} answered /health, but not as etcd does", $"HTTP {(int)health.StatusCode}: {Shorten(healthBody)}").WithData(data);
            }

            if (!healthy)
            {
                var why = reason.Length > 0 ? reason : "no reason given";
                return CheckOutcome.Fail("unhealthy", $"etcd at {Target} reports itself unhealthy: {why}", $"/health answered {Shorten(healthBody)}").WithData(data);
            }

            using var content = new StringContent("{}", Encoding.UTF8, "application/json");
            using var status = await client.PostAsync(new Uri("/v3/maintenance/status", UriKind.Relative), content, cancellationToken);
            var statusBody = await status.Content.ReadAsStringAsync(cancellationToken);
            var facts = new List<string> { $"etcd at {Target} is healthy" };
            if (status.IsSuccessStatusCode && TryReadStatus(statusBody, out var version, out var dbSize, out var hasLeader))
            {
                facts[0] = $"etcd {version} at {Target} is healthy, database {Text.Quantities.FormatSize(dbSize)}";
                if (!hasLeader)
                {
                    return CheckOutcome.Warn("no_leader", $"etcd {version} is up but has no leader", facts[0]).WithData(data);
                }

                return new CheckOutcome(CheckStatus.Pass, $"etcd {version} healthy") { Facts = facts }.WithData(data);
            }

            return new CheckOutcome(CheckStatus.Pass, "etcd healthy") { Facts = facts }.WithData(data);
        }
        catch (HttpRequestException e)
        {
            return NetworkFailure.Classify(e, Endpoint.Host, Endpoint.Port, Timeout).WithData(data);
        }
    }

    private static bool TryReadHealth(string body, out bool healthy, out string reason)
    {
        healthy = false;
        reason = "";
        try
        {
            using var json = JsonDocument.Parse(body);
            if (!json.RootElement.TryGetProperty("health", out var value))
            {
                return false;
            }

            // etcd writes "true" as a string; accept a JSON boolean too.
            healthy = value.ValueKind == JsonValueKind.True || (value.ValueKind == JsonValueKind.String && value.GetString() == "true");
            if (json.RootElement.TryGetProperty("reason", out var why) && why.ValueKind == JsonValueKind.String)
            {
                reason = why.GetString() ?? "";
            }

            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static bool TryReadStatus(string body, out string version, out long dbSize, out bool hasLeader)
    {
        version = "?";
        dbSize = 0;
        hasLeader = false;
        try
        {
            using var json = JsonDocument.Parse(body);
            var root = json.RootElement;
            version = root.TryGetProperty("version", out var v) ? v.GetString() ?? "?" : "?";
            if (root.TryGetProperty("dbSize", out var size))
            {
                // The gateway writes 64-bit integers as strings.
                _ = size.ValueKind == JsonValueKind.String
                    ? long.TryParse(size.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out dbSize)
                    : size.TryGetInt64(out dbSize);
            }

            hasLeader = root.TryGetProperty("leader", out var leader) && leader.ToString() is { Length: > 0 } l && l != "0";
            return true;
        }
        catch (JsonException)
        {
            return false;
        }
    }

    private static string Shorten(string text) => text.Length <= 200 ? text.Trim() : text[..200] + "…";
}
