using Microsoft.AspNetCore.Http;
using Tend.Core.Model;

namespace Tend.Daemon.Http;

/// <summary>
/// Who may do what, before any route runs. Reading needs nothing on a loopback listener, the
/// token on a remote one. Changing (a POST) needs the token always, in the Authorization
/// header only (never the query string, which a link can carry), from a page of this origin
/// only: no CORS is ever answered, and a foreign Origin is refused outright. The Host header
/// must name this machine on a loopback listener, so a DNS-rebinding page cannot read the API
/// through a name of its own that resolves to 127.0.0.1.
/// </summary>
internal sealed class HttpGuard(HttpSettings settings, string tokenPath)
{
    public async Task InvokeAsync(HttpContext context, RequestDelegate next)
    {
        var request = context.Request;
        if (settings.IsLoopback && !HttpSettings.IsLoopbackHost(request.Host.Host))
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status403Forbidden, new ApiError("forbidden_host", $"this listener answers to loopback names only, not '{request.Host.Host}'", $"open {settings.Url}"));
            return;
        }

        if (request.Path == "/healthz")
        {
            await next(context);
            return;
        }

        var changing = !HttpMethods.IsGet(request.Method) && !HttpMethods.IsHead(request.Method);
        if (changing && ForeignOrigin(request) is { } origin)
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status403Forbidden, new ApiError("forbidden_origin", $"a page of {origin} may not control this stack", "control it from the dashboard this daemon serves, or with curl and the token"));
            return;
        }

        if (!changing && settings.IsLoopback)
        {
            await next(context);
            return;
        }

        if (HttpToken.Read(tokenPath) is not { } token)
        {
            await ApiResults.ErrorAsync(context, StatusCodes.Status403Forbidden, new ApiError("read_only", "no API token was made for this stack, so the API is read-only", "tend dashboard makes one and prints a login link"));
            return;
        }

        var offered = Bearer(request) ?? (changing ? null : request.Query["token"].FirstOrDefault());
        if (!HttpToken.Matches(offered, token))
        {
            context.Response.Headers.WWWAuthenticate = "Bearer";
            await ApiResults.ErrorAsync(context, StatusCodes.Status401Unauthorized, new ApiError("unauthorized", offered is null ? "this needs the API token: Authorization: Bearer TOKEN" : "the token does not match", $"tend dashboard prints a login link with the token; curl takes -H \"Authorization: Bearer $(cat {tokenPath})\""));
            return;
        }

        await next(context);
    }

    private static string? Bearer(HttpRequest request)
    {
        var header = request.Headers.Authorization.ToString();
        return header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase) ? header[7..].Trim() : null;
    }

    /// <summary>The Origin (or, without one, a browser's cross-site fetch) when it is not this listener's own.</summary>
    private static string? ForeignOrigin(HttpRequest request)
    {
        var origin = request.Headers.Origin.ToString();
        if (origin.Length > 0)
        {
            return string.Equals(origin, $"{request.Scheme}://{request.Host}", StringComparison.OrdinalIgnoreCase) ? null : origin;
        }

        return request.Headers["Sec-Fetch-Site"].ToString() is "cross-site" or "same-site" ? "another site" : null;
    }
}
