using Microsoft.AspNetCore.Http;

namespace Tend.Daemon.Http;

/// <summary>The dashboard: one self-contained page embedded in the binary (no CDN, nothing fetched from the internet).</summary>
internal static class DashboardPage
{
    private static readonly Lazy<byte[]> Page = new(() =>
    {
        using var stream = typeof(DashboardPage).Assembly.GetManifestResourceStream("Tend.Daemon.Http.dashboard.html")
            ?? throw new InvalidOperationException("the dashboard page is not embedded");
        using var copy = new MemoryStream();
        stream.CopyTo(copy);
        return copy.ToArray();
    });

    public static async Task ServeAsync(HttpContext context)
    {
        var response = context.Response;
        response.ContentType = "text/html; charset=utf-8";
        response.Headers.CacheControl = "no-cache";

        // Everything the page needs is in it: nothing else may load, run or frame it.
        response.Headers.ContentSecurityPolicy = "default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:; connect-src 'self'; base-uri 'none'; form-action 'none'; frame-ancestors 'none'";
        response.Headers.XContentTypeOptions = "nosniff";
        response.Headers["Referrer-Policy"] = "no-referrer";
        await response.Body.WriteAsync(Page.Value, context.RequestAborted);
    }
}
