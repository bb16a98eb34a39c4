using System.Net.Http.Headers;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Daemon.Monitoring.Notify;

/// <summary>
/// POSTs the alert to <see cref="NotifierSpec.Url"/>, signed when <see cref="NotifierSpec.SecretEnv"/>
/// is set (<see cref="WebhookSignature"/>). A 2xx delivers it; 5xx, 429, 408, a timeout or a
/// connection that fails are worth another try; any other answer is final. The secret is read
/// at each delivery (so a changed variable is used) and never written anywhere: a missing one is
/// reported by its variable's name, and nothing is sent unsigned.
/// </summary>
internal sealed class WebhookNotifier(NotifierSpec spec, Func<string, string?> environment, TimeProvider time, HttpClient client) : INotifier
{
    public async Task<DeliveryResult> DeliverAsync(AlertMessage message, CancellationToken cancellationToken = default)
    {
        if (!Uri.TryCreate(spec.Url, UriKind.Absolute, out var url) || url.Scheme is not ("http" or "https"))
        {
            return DeliveryResult.GiveUp("not an http(s) URL");
        }

        string? signature = null;
        if (spec.SecretEnv is { } variable)
        {
            if (environment(variable) is not { Length: > 0 } secret)
            {
                return DeliveryResult.GiveUp($"secret variable {variable} is not set or empty; not sent unsigned");
            }

            signature = WebhookSignature.Sign(message.Json, secret);
        }

        using var request = Request(url, message, signature);
        using var deadline = new CancellationTokenSource(spec.Timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var reason = $"HTTP {(int)response.StatusCode}";
            return response.IsSuccessStatusCode ? DeliveryResult.Delivered(reason)
                : WebhookFailure.Retryable(response.StatusCode) ? DeliveryResult.Retry(reason)
                : DeliveryResult.GiveUp(reason);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.Retry($"timed out after {Quantities.FormatDuration(spec.Timeout)}");
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.Retry(WebhookFailure.Describe(e));
        }
    }

    private static HttpRequestMessage Request(Uri url, AlertMessage message, string? signature)
    {
        var content = new ByteArrayContent(message.Json);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json");
        var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        request.Headers.TryAddWithoutValidation("User-Agent", "tend");
        request.Headers.TryAddWithoutValidation("X-Tend-Delivery", message.Id);
        if (signature is not null)
        {
            request.Headers.TryAddWithoutValidation(WebhookSignature.Header, signature);
        }

        return request;
    }
}
