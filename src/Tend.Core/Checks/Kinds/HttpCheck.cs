using System.Diagnostics;
using System.Globalization;
using System.Net.Security;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Checks.Kinds;

/// <summary>An HTTP(S) URL answers with an expected status and, optionally, a body that matches.</summary>
public sealed record HttpCheck(
    Uri Url,
    ValueList<(int Min, int Max)> ExpectedStatus,
    Pattern? Body,
    bool Insecure,
    TimeSpan? Slow,
    ValueDictionary Headers) : CheckSpec
{
    public static readonly CheckKind Definition = new(
        "http",
        "an HTTP endpoint answers as expected",
        TimeSpan.FromSeconds(5),
        CheckValueForms.String,
        [CheckOption.Scalars("status"), CheckOption.Pattern("body"), CheckOption.Boolean("insecure"), CheckOption.Duration("slow"), CheckOption.StringMap("headers")],
        Create);

    /// <summary>What Docker and most load balancers count as healthy.</summary>
    private static readonly (int, int)[] DefaultStatus = [(200, 399)];

    private const int BodyLimit = 64 * 1024;

    public override string Kind => "http";

    public override string Target => Shown;

    /// <summary>The URL as reports show it: a password in it masked (the request still sends it).</summary>
    private string Shown => Events.Redactor.Redact(Url.ToString());

    public override IEnumerable<string> Secrets(Func<string, string?> environment) => Events.SecretRule.UrlPasswords(Url.OriginalString);

    private static HttpCheck? Create(CheckArguments arguments)
    {
        var text = (string)arguments.Value;
        var status = ReadStatus(arguments);
        if (!Uri.TryCreate(text, UriKind.Absolute, out var url) || (url.Scheme != "http" && url.Scheme != "https"))
        {
            arguments.Error($"{arguments.What} must be an http:// or https:// URL, not \"{text}\"");
            return null;
        }

        return new HttpCheck(url, [.. status ?? [.. DefaultStatus]], arguments.Pattern("body"), arguments.Boolean("insecure") ?? false, arguments.Duration("slow"), arguments.StringMap("headers") ?? ValueDictionary.Empty);
    }

    private static List<(int, int)>? ReadStatus(CheckArguments arguments)
    {
        if (arguments.Scalars("status") is not { } items)
        {
            return null;
        }

        var result = new List<(int, int)>();
        foreach (var item in items)
        {
            switch (item.Value)
            {
                case long code and >= 100 and <= 599:
                    result.Add(((int)code, (int)code));
                    break;
                case string { Length: 3 } range when range[0] is >= '1' and <= '5' && range[1..].Equals("xx", StringComparison.OrdinalIgnoreCase):
                    var hundreds = (range[0] - '0') * 100;
                    result.Add((hundreds, hundreds + 99));
                    break;
                default:
                    arguments.ErrorAt(item.Location, $"{arguments.Describe("status")} must be a status code such as 200, a class such as \"2xx\", or an array of them");
                    return null;
            }
        }

        return result;
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        using var handler = new SocketsHttpHandler
        {
            AllowAutoRedirect = false,
            UseProxy = false,
            ConnectTimeout = Timeout,
        };

        // Whether the TCP connection was made: a timeout after it is a service that does not
        // answer, not a network that drops packets, and the next steps differ.
        var connected = false;
        handler.ConnectCallback = async (connection, token) =>
        {
            var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            try
            {
                await socket.ConnectAsync(connection.DnsEndPoint, token);
                connected = true;
                return new NetworkStream(socket, ownsSocket: true);
            }
            catch
            {
                socket.Dispose();
                throw;
            }
        };
        if (Insecure)
        {
            // The user asked for this with insecure = true, for development servers with self-signed certificates.
#pragma warning disable CA5359
            handler.SslOptions = new SslClientAuthenticationOptions { RemoteCertificateValidationCallback = static (_, _, _, _) => true };
#pragma warning restore CA5359
        }

        using var client = new HttpClient(handler) { Timeout = System.Threading.Timeout.InfiniteTimeSpan };
        using var request = new HttpRequestMessage(HttpMethod.Get, Url);
        foreach (var (name, value) in Headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var port = Url.Port.ToString(CultureInfo.InvariantCulture);
        var started = Stopwatch.GetTimestamp();
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, cancellationToken);
            var elapsed = Stopwatch.GetElapsedTime(started);
            var code = (int)response.StatusCode;
            var statusText = $"HTTP {code} {response.ReasonPhrase}".TrimEnd();
            var answered = $"{Shown} answered {statusText} in {Quantities.FormatDuration(elapsed)}";
            if (!ExpectedStatus.Any(r => code >= r.Min && code <= r.Max))
            {
                var body = await ReadBodyAsync(response, cancellationToken);
                var facts = new List<string> { answered, $"expected {DescribeExpected()}" };
                if (body.Length > 0)
                {
                    facts.Add($"body: {Shorten(body)}");
                }

                return new CheckOutcome(CheckStatus.Fail, $"{statusText} from {Shown}")
                {
                    ErrorClass = "http_status",
                    Facts = facts,
                }.WithData(("host", Url.Host), ("port", port), ("status", code.ToString(CultureInfo.InvariantCulture)), ("url", Shown));
            }

            if (Body is not null)
            {
                var body = await ReadBodyAsync(response, cancellationToken);
                if (!Body.IsMatch(body))
                {
                    return CheckOutcome.Fail("body_mismatch", $"{Shown} answered, but its body does not match /{Body}/", answered, $"body: {Shorten(body)}")
                        .WithData(("host", Url.Host), ("port", port), ("url", Shown));
                }
            }

            if (Slow is { } slow && elapsed > slow)
            {
                return CheckOutcome.Warn("slow", $"{statusText}, but slow: {Quantities.FormatDuration(elapsed)} (limit {Quantities.FormatDuration(slow)})", answered)
                    .WithData(("host", Url.Host), ("port", port), ("url", Shown));
            }

            return CheckOutcome.Pass(statusText, answered).WithData(("host", Url.Host), ("port", port), ("url", Shown));
        }
        catch (HttpRequestException e)
        {
            return NetworkFailure.Classify(e, Url.Host, Url.Port, Timeout).WithData(("url", Shown));
        }
        catch (OperationCanceledException) when (connected && cancellationToken.IsCancellationRequested)
        {
            var limit = Quantities.FormatDuration(Timeout);
            return CheckOutcome.Fail("no_answer", $"{Url.Host}:{port} accepted the connection but no answer came within {limit}", $"connected to {Url.Host}:{port}, sent GET {Shown}, no response headers within {limit}")
                .WithData(("host", Url.Host), ("port", port), ("url", Shown), ("timeout", limit));
        }
    }

    private string DescribeExpected() => string.Join(" or ", ExpectedStatus.Select(r =>
        r.Min == r.Max ? r.Min.ToString(CultureInfo.InvariantCulture)
        : r.Max - r.Min == 99 ? $"{r.Min / 100}xx"
        : $"{r.Min}-{r.Max}"));

    private static async Task<string> ReadBodyAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        await using var stream = await response.Content.ReadAsStreamAsync(cancellationToken);
        var buffer = new byte[BodyLimit];
        var total = 0;
        int read;
        while (total < buffer.Length && (read = await stream.ReadAsync(buffer.AsMemory(total), cancellationToken)) > 0)
        {
            total += read;
        }

        return System.Text.Encoding.UTF8.GetString(buffer, 0, total);
    }

    private static string Shorten(string text)
    {
        var oneLine = string.Join(' ', text.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries)).Trim();
        return oneLine.Length <= 200 ? oneLine : oneLine[..200] + "…";
    }
}
