using System.Text;

namespace Tend.Dummy.Commands;

/// <summary>What the <c>http</c> command needs from a request head.</summary>
internal sealed record HttpRequestHead(bool IsHead, bool KeepAlive, long ContentLength);

/// <summary>
/// Reads HTTP/1.x request heads off a connection, one after another. Enough for probes and
/// curl: no chunked request bodies (a request with one gets its answer, then the connection
/// closes).
/// </summary>
internal sealed class HttpRequestReader(Stream stream)
{
    private static readonly byte[] EndOfHead = "\r\n\r\n"u8.ToArray();
    private readonly byte[] _buffer = new byte[16 * 1024];
    private int _count;

    /// <summary>The next request head, or null once the client has closed the connection.</summary>
    public async Task<HttpRequestHead?> ReadHeadAsync()
    {
        int end;
        while ((end = _buffer.AsSpan(0, _count).IndexOf(EndOfHead)) < 0)
        {
            if (_count == _buffer.Length)
            {
                return null; // A head this large is not a probe; drop the connection.
            }

            var read = await stream.ReadAsync(_buffer.AsMemory(_count));
            if (read == 0)
            {
                return null;
            }

            _count += read;
        }

        var text = Encoding.ASCII.GetString(_buffer, 0, end);
        Consume(end + EndOfHead.Length);
        return Parse(text.Split("\r\n"));
    }

    public async Task SkipBodyAsync(long length)
    {
        if (length <= 0)
        {
            return;
        }

        var buffered = (int)Math.Min(length, _count);
        Consume(buffered);
        for (var left = length - buffered; left > 0;)
        {
            var read = await stream.ReadAsync(_buffer.AsMemory(0, (int)Math.Min(left, _buffer.Length)));
            if (read == 0)
            {
                throw new IOException("the client closed the connection mid-body");
            }

            left -= read;
        }
    }

    private void Consume(int length)
    {
        _buffer.AsSpan(length, _count - length).CopyTo(_buffer);
        _count -= length;
    }

    private static HttpRequestHead Parse(string[] lines)
    {
        var requestLine = lines[0].Split(' ');
        var isHttp10 = requestLine.Length > 2 && requestLine[2] == "HTTP/1.0";
        var keepAlive = !isHttp10;
        var contentLength = 0L;
        foreach (var line in lines.Skip(1))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            var name = colon < 0 ? line : line[..colon].Trim();
            var value = colon < 0 ? "" : line[(colon + 1)..].Trim();
            if (name.Equals("Connection", StringComparison.OrdinalIgnoreCase))
            {
                keepAlive = value.Equals("keep-alive", StringComparison.OrdinalIgnoreCase)
                    || (!isHttp10 && !value.Equals("close", StringComparison.OrdinalIgnoreCase));
            }
            else if (name.Equals("Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                _ = long.TryParse(value, out contentLength);
            }
            else if (name.Equals("Transfer-Encoding", StringComparison.OrdinalIgnoreCase))
            {
                keepAlive = false;
            }
        }

        return new HttpRequestHead(requestLine[0] == "HEAD", keepAlive, contentLength);
    }
}
