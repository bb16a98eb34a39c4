using System.Runtime.InteropServices;

namespace Tend.Daemon.Logs;

/// <summary>
/// epoll(7) and the plain calls the log loop makes around it. By hand because .NET has no epoll
/// of its own that does not hand each readiness to the thread pool (whose cost per read the log
/// capture was measured to triple), and no non-blocking read of a pipe that does not go through it.
/// </summary>
internal static partial class Epoll
{
    public const uint In = 0x001;
    public const uint Error = 0x008;
    public const uint HangUp = 0x010;

    public const int Interrupted = 4; // EINTR
    public const int WouldBlock = 11; // EAGAIN

    private const int CloseOnExec = 0x80000; // EPOLL_CLOEXEC
    private const int Add = 1;
    private const int Delete = 2;
    private const int GetFlags = 3; // F_GETFL
    private const int SetFlags = 4; // F_SETFL
    private const int NonBlocking = 0x800; // O_NONBLOCK

    /// <summary>A new epoll instance (closed on exec, so no child inherits it); -1 and errno on failure.</summary>
    public static int Create() => EpollCreate(CloseOnExec);

    /// <summary>Watches <paramref name="descriptor"/> for input; <paramref name="token"/> comes back with its events.</summary>
    public static bool Watch(int epoll, int descriptor, ulong token)
    {
        var watched = new EpollEvent { Events = In, Data = token };
        return EpollCtl(epoll, Add, descriptor, ref watched) == 0;
    }

    /// <summary>Stops watching <paramref name="descriptor"/>.</summary>
    public static void Forget(int epoll, int descriptor)
    {
        var none = default(EpollEvent);
        _ = EpollCtl(epoll, Delete, descriptor, ref none);
    }

    /// <summary>Waits for events, at most <paramref name="timeoutMilliseconds"/> (-1: for ever); the count, or -1 with errno.</summary>
    public static int Wait(int epoll, Span<EpollEvent> events, int timeoutMilliseconds) =>
        EpollWait(epoll, ref MemoryMarshal.GetReference(events), events.Length, timeoutMilliseconds);

    /// <summary>Reads are made never to wait: the loop reads a pipe only when epoll says so, and a miss must not stop every other run's output.</summary>
    public static void MakeNonBlocking(int descriptor)
    {
        var flags = Fcntl(descriptor, GetFlags, 0);
        if (flags >= 0)
        {
            _ = Fcntl(descriptor, SetFlags, flags | NonBlocking);
        }
    }

    /// <summary>read(2): bytes read, 0 at the end, -1 with errno.</summary>
    public static nint Read(int descriptor, Span<byte> buffer) =>
        ReadRaw(descriptor, ref MemoryMarshal.GetReference(buffer), (nuint)buffer.Length);

    [LibraryImport("libc", EntryPoint = "epoll_create1", SetLastError = true)]
    private static partial int EpollCreate(int flags);

    [LibraryImport("libc", EntryPoint = "epoll_ctl", SetLastError = true)]
    private static partial int EpollCtl(int epoll, int operation, int descriptor, ref EpollEvent watched);

    [LibraryImport("libc", EntryPoint = "epoll_wait", SetLastError = true)]
    private static partial int EpollWait(int epoll, ref EpollEvent events, int maxEvents, int timeout);

    /// <summary>fcntl(2) with an integer argument, for every caller in the log capture (pipe size, duplicates, flags).</summary>
    [LibraryImport("libc", EntryPoint = "fcntl", SetLastError = true)]
    internal static partial int Fcntl(int descriptor, int command, int argument);

    [LibraryImport("libc", EntryPoint = "read", SetLastError = true)]
    private static partial nint ReadRaw(int descriptor, ref byte buffer, nuint count);
}

/// <summary>
/// struct epoll_event as x86-64 has it: packed, 12 bytes. Other architectures align it to 16, so
/// <see cref="LogLoop"/> is used on x86-64 only and captures elsewhere read on threads of their own.
/// </summary>
[StructLayout(LayoutKind.Sequential, Pack = 4)]
internal struct EpollEvent
{
    public uint Events;
    public ulong Data;
}
