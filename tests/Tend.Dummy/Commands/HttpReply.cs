using System.Text;

namespace Tend.Dummy.Commands;

/// <summary>The one answer the <c>http</c> command gives to every request.</summary>
internal sealed record HttpReply(int Status, string? Body, long DelayMilliseconds)
{
    /// <summary>1xx, 204 and 304 answers carry no body and no Content-Length.</summary>
    private bool HasBody => Status >= 200 && Status is not 204 and not 304;

    private string BodyText => Body ?? $"{Status} {Reason}\n";

    public byte[] Render(bool isHead, bool keepAlive)
    {
        var body = HasBody ? Encoding.UTF8.GetBytes(BodyText) : [];
        var head = new StringBuilder()
            .Append($"HTTP/1.1 {Status} {Reason}\r\n")
            .Append("Server: Tend.Dummy\r\n")
            .Append(HasBody ? $"Content-Type: text/plain; charset=utf-8\r\nContent-Length: {body.Length}\r\n" : "")
            .Append(keepAlive ? "Connection: keep-alive\r\n" : "Connection: close\r\n")
            .Append("\r\n")
            .ToString();
        return [.. Encoding.ASCII.GetBytes(head), .. isHead ? [] : body];
    }

    private string Reason => Status switch
    {
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "Not Found",
        408 => "Request Timeout",
        429 => "Too Many Requests",
        500 => "Internal Server Error",
        502 => "Bad Gateway",
        503 => "Service Unavailable",
        504 => "Gateway Timeout",
        _ => "Status",
    };
}
