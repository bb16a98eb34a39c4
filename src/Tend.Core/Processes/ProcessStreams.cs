using System.Diagnostics;
using System.Runtime.CompilerServices;

namespace Tend.Core.Processes;

/// <summary>
/// Lets go of the readers and writer .NET's <see cref="Process"/> made for redirected streams once
/// they are no longer used. A disposed <see cref="StreamReader"/> keeps its buffers (4 KB of bytes
/// and 8 KB of chars), and the process object keeps the reader for as long as the run lives:
/// 36 KB a run with stdin, stdout and stderr redirected, measured as two thirds of the daemon's
/// heap with 500 idle services. Process offers no way to drop them, so the fields are cleared
/// through <see cref="UnsafeAccessorAttribute"/> (bound at compile time, safe under Native AOT).
/// </summary>
public static class ProcessStreams
{
    /// <summary>Drops the process's stdin writer, which must be closed already.</summary>
    public static void ForgetInput(Process process) => Forget(() => StandardInputOf(process) = null);

    /// <summary>Drops the process's stdout and stderr readers, which must be disposed already (their pipes taken over).</summary>
    public static void ForgetOutput(Process process) => Forget(() =>
    {
        StandardOutputOf(process) = null;
        StandardErrorOf(process) = null;
    });

    private static void Forget(Action clear)
    {
        try
        {
            clear();
        }
        catch (MissingFieldException)
        {
            // A runtime whose Process names its fields otherwise: the buffers stay, nothing else changes.
        }
    }

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_standardInput")]
    private static extern ref StreamWriter? StandardInputOf(Process process);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_standardOutput")]
    private static extern ref StreamReader? StandardOutputOf(Process process);

    [UnsafeAccessor(UnsafeAccessorKind.Field, Name = "_standardError")]
    private static extern ref StreamReader? StandardErrorOf(Process process);
}
