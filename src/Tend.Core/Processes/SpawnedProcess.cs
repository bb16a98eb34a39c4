using System.Runtime.InteropServices;

namespace Tend.Core.Processes;

/// <summary>
/// A child started by <see cref="DirectSpawn"/>: its PID (also its session's and group's id),
/// its output, and its end. The end is waited for without reaping (waitid with WNOWAIT), so the
/// PID stays taken, as a zombie, until <see cref="Dispose"/>: a group signalled after the end, or
/// a <see cref="StepReaper"/> told of it late, never reaches a stranger that got the PID again.
/// </summary>
public sealed unsafe partial class SpawnedProcess : IDisposable
{
    private const int PidType = 1;
    private const int WaitExited = 4;
    private const int WaitNoWait = 0x01000000;
    private const int ChildExited = 1;
    private const int InterruptedCall = 4;

    private readonly TaskCompletionSource<int> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private int _disposed;

    internal SpawnedProcess(int id, Stream output)
    {
        Id = id;
        Output = output;

        // One small thread per child, blocked in waitid: .NET's SIGCHLD handling reaps only the
        // children its Process started, so nothing else takes this one's status.
        new Thread(WaitForEnd, 64 * 1024) { IsBackground = true, Name = "tend step wait" }.Start();
    }

    public int Id { get; }

    /// <summary>What it writes on stdout and stderr, in the order written.</summary>
    public Stream Output { get; }

    /// <summary>Its status once it has ended, in .NET's terms: the exit code, or 128 + the signal that killed it.</summary>
    public Task<int> Exited => _exited.Task;

    /// <summary>Reaps the child (after <see cref="Exited"/>; at once then) and closes its output.</summary>
    public void Dispose()
    {
        if (Interlocked.Exchange(ref _disposed, 1) == 1)
        {
            return;
        }

        if (_exited.Task.IsCompleted)
        {
            int status;
            while (WaitPid(Id, &status, 0) < 0 && Marshal.GetLastPInvokeError() == InterruptedCall)
            {
            }
        }

        Output.Dispose();
    }

    private void WaitForEnd()
    {
        // siginfo_t is 128 bytes: si_code at offset 8, si_status at 24 (x86_64 and aarch64).
        var info = stackalloc byte[128];
        while (true)
        {
            new Span<byte>(info, 128).Clear();
            if (WaitId(PidType, Id, info, WaitExited | WaitNoWait) == 0)
            {
                var code = *(int*)(info + 8);
                var status = *(int*)(info + 24);
                _exited.TrySetResult(code == ChildExited ? status : 128 + status);
                return;
            }

            if (Marshal.GetLastPInvokeError() != InterruptedCall)
            {
                // ECHILD: someone else reaped it. Its status is lost; say it failed, never that it passed.
                _exited.TrySetResult(ExitStatus.CannotExecute);
                return;
            }
        }
    }

    [LibraryImport("libc", EntryPoint = "waitid", SetLastError = true)]
    private static partial int WaitId(int idType, int id, byte* info, int options);

    [LibraryImport("libc", EntryPoint = "waitpid", SetLastError = true)]
    private static partial int WaitPid(int pid, int* status, int options);
}
