using System.IO.Pipes;
using System.Runtime.InteropServices;
using Microsoft.Win32.SafeHandles;

namespace Tend.Core.Processes;

/// <summary>
/// Starts a program with one exec: posix_spawn(3) with POSIX_SPAWN_SETSID, its stdout and stderr
/// on one pipe, stdin on /dev/null. <see cref="ProcessLauncher"/> needs three (setpriv, setsid,
/// the program) because .NET's Process runs no code between fork and exec; on these machines an
/// exec of a small dynamic binary costs ~8 ms of system time, so twenty workflow steps released
/// at once spent ~0.35 s of CPU on the two extra execs alone (bench/workflow_dag.py). What
/// setpriv gave, dying with tend, comes from <see cref="StepReaper"/> instead. Written by hand
/// because no library wraps posix_spawn for .NET; glibc (2.29+ for the chdir action) only.
/// </summary>
public static unsafe partial class DirectSpawn
{
    private const short PosixSpawnSetSigDef = 0x04;
    private const short PosixSpawnSetSigMask = 0x08;
    private const short PosixSpawnSetSid = 0x80;
    private const int OpenCloseOnExec = 0x80000;

    // glibc's posix_spawnattr_t is 336 bytes and posix_spawn_file_actions_t 80 on x86_64 and
    // aarch64; sigset_t is 128. Allocated larger, zeroed, and only touched through libc.
    private const int AttributesSize = 512;
    private const int FileActionsSize = 256;
    private const int SignalSetSize = 128;

    /// <summary>Starts <paramref name="program"/> (a path, already looked up) in a session of its own; a failure to start in errno's words.</summary>
    public static LaunchOutcome Start(string program, IReadOnlyList<string> arguments, string workingDirectory, IReadOnlyDictionary<string, string> environment, bool replaceEnvironment)
    {
        ArgumentNullException.ThrowIfNull(arguments);
        ArgumentNullException.ThrowIfNull(environment);
        var pipe = stackalloc int[2];
        if (Pipe2(pipe, OpenCloseOnExec) != 0)
        {
            return Failed(program, workingDirectory, Marshal.GetLastPInvokeError());
        }

        var attributes = NativeMemory.AllocZeroed(AttributesSize);
        var actions = NativeMemory.AllocZeroed(FileActionsSize);
        var argv = Strings([program, .. arguments]);
        var envp = Strings(Environment(environment, replaceEnvironment));
        try
        {
            var signals = stackalloc byte[SignalSetSize];
            Check(SpawnAttrInit(attributes));
            Check(SpawnAttrSetFlags(attributes, PosixSpawnSetSid | PosixSpawnSetSigMask | PosixSpawnSetSigDef));
            Check(SigEmptySet(signals));
            Check(SpawnAttrSetSigMask(attributes, signals));

            // tend ignores SIGPIPE (as .NET does), and an ignored signal stays ignored across exec:
            // every catchable signal goes back to its default, as a shell would start the program.
            for (var signal = 1; signal < 32; signal++)
            {
                if (signal is not (Signals.SIGKILL or 19))
                {
                    Check(SigAddSet(signals, signal));
                }
            }

            Check(SpawnAttrSetSigDefault(attributes, signals));
            Check(FileActionsInit(actions));
            Check(FileActionsAddOpen(actions, 0, "/dev/null", 0, 0));
            Check(FileActionsAddDup2(actions, pipe[1], 1));
            Check(FileActionsAddDup2(actions, pipe[1], 2));
            Check(FileActionsAddChdir(actions, workingDirectory));
            int pid;
            var error = Spawn(&pid, program, actions, attributes, argv, envp);
            _ = Close(pipe[1]);
            if (error != 0)
            {
                _ = Close(pipe[0]);
                return Failed(program, workingDirectory, error);
            }

            var output = new AnonymousPipeClientStream(PipeDirection.In, new SafePipeHandle(pipe[0], ownsHandle: true));
            return new LaunchOutcome.Spawned(new SpawnedProcess(pid, output));
        }
        finally
        {
            _ = FileActionsDestroy(actions);
            _ = SpawnAttrDestroy(attributes);
            NativeMemory.Free(actions);
            NativeMemory.Free(attributes);
            Free(argv);
            Free(envp);
        }
    }

    private static LaunchOutcome.Failed Failed(string program, string workingDirectory, int errno) => new(errno switch
    {
        // ENOENT, ENOTDIR: the path went away since the lookup.
        2 or 20 => LaunchFailure.NotFound(program, workingDirectory),
        1 or 13 => new LaunchFailure("permission_denied", $"cannot start {program}: {Marshal.GetPInvokeErrorMessage(errno)}", ExitStatus.CannotExecute),
        11 or 12 or 23 or 24 => new LaunchFailure("no_resources", $"cannot start {program}: {Marshal.GetPInvokeErrorMessage(errno)} (the system is short of processes, memory or file descriptors)", ExitStatus.CannotExecute, Transient: true),
        _ => new LaunchFailure("exec_failed", $"cannot start {program}: {Marshal.GetPInvokeErrorMessage(errno)}", ExitStatus.CannotExecute),
    });

    private static IEnumerable<string> Environment(IReadOnlyDictionary<string, string> environment, bool replace)
    {
        var all = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!replace)
        {
            foreach (System.Collections.DictionaryEntry entry in System.Environment.GetEnvironmentVariables())
            {
                all[(string)entry.Key] = (string?)entry.Value ?? "";
            }
        }

        foreach (var (key, value) in environment)
        {
            all[key] = value;
        }

        return all.Select(e => $"{e.Key}={e.Value}");
    }

    /// <summary>A NULL-terminated array of NUL-terminated UTF-8 strings, as exec takes them.</summary>
    private static byte** Strings(IEnumerable<string> words)
    {
        var list = words.ToList();
        var array = (byte**)NativeMemory.AllocZeroed((nuint)(list.Count + 1), (nuint)sizeof(byte*));
        for (var i = 0; i < list.Count; i++)
        {
            array[i] = (byte*)Marshal.StringToCoTaskMemUTF8(list[i]);
        }

        return array;
    }

    private static void Free(byte** array)
    {
        for (var word = array; *word != null; word++)
        {
            Marshal.FreeCoTaskMem((nint)(*word));
        }

        NativeMemory.Free(array);
    }

    /// <summary>These calls fail only on a bad argument, which is a bug here, not a user's problem.</summary>
    private static void Check(int result)
    {
        if (result != 0)
        {
            throw new InvalidOperationException($"posix_spawn set-up failed with {result}");
        }
    }

    [LibraryImport("libc", EntryPoint = "pipe2", SetLastError = true)]
    private static partial int Pipe2(int* fds, int flags);

    [LibraryImport("libc", EntryPoint = "close")]
    private static partial int Close(int fd);

    [LibraryImport("libc", EntryPoint = "posix_spawn", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int Spawn(int* pid, string path, void* actions, void* attributes, byte** argv, byte** envp);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_init")]
    private static partial int SpawnAttrInit(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_destroy")]
    private static partial int SpawnAttrDestroy(void* attributes);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setflags")]
    private static partial int SpawnAttrSetFlags(void* attributes, short flags);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigmask")]
    private static partial int SpawnAttrSetSigMask(void* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "posix_spawnattr_setsigdefault")]
    private static partial int SpawnAttrSetSigDefault(void* attributes, byte* signals);

    [LibraryImport("libc", EntryPoint = "sigemptyset")]
    private static partial int SigEmptySet(byte* signals);

    [LibraryImport("libc", EntryPoint = "sigaddset")]
    private static partial int SigAddSet(byte* signals, int signal);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_init")]
    private static partial int FileActionsInit(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_destroy")]
    private static partial int FileActionsDestroy(void* actions);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addopen", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddOpen(void* actions, int fd, string path, int flags, int mode);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_adddup2")]
    private static partial int FileActionsAddDup2(void* actions, int fd, int target);

    [LibraryImport("libc", EntryPoint = "posix_spawn_file_actions_addchdir_np", StringMarshalling = StringMarshalling.Utf8)]
    private static partial int FileActionsAddChdir(void* actions, string path);
}
