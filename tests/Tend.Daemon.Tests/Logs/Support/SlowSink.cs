using Tend.Daemon.Logs;

namespace Tend.Daemon.Tests.Logs.Support;

/// <summary>The real files behind a disk that takes <paramref name="delay"/> for every write: slower than any child.</summary>
internal sealed class SlowSink(ILogSink inner, TimeSpan delay) : ILogSink
{
    public long BytesWritten => inner.BytesWritten;

    public long BytesLost => inner.BytesLost;

    public string? LastError => inner.LastError;

    public string? CurrentFile => inner.CurrentFile;

    public void Open() => inner.Open();

    public async ValueTask WriteAsync(ReadOnlyMemory<byte> lines, CancellationToken cancellationToken = default)
    {
        await Task.Delay(delay, TimeProvider.System, cancellationToken);
        await inner.WriteAsync(lines, cancellationToken);
    }

    public void Dispose() => inner.Dispose();
}
