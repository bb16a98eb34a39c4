using System.Buffers;

namespace Tend.Daemon.Logs;

/// <summary>
/// The buffers of every capture. Not ArrayPool.Shared: a flood keeps a backlog of hundreds of
/// 128 KiB blocks in flight, more than the shared pool holds per size, so each extra block was a
/// fresh large-object allocation and the daemon spent its time in garbage collection. This pool
/// keeps up to 256 buffers a size; after a flood they stay allocated for the next one.
/// </summary>
internal static class LogBuffers
{
    public static ArrayPool<byte> Pool { get; } = ArrayPool<byte>.Create(maxArrayLength: 1024 * 1024, maxArraysPerBucket: 256);
}
