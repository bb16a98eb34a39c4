using System.Runtime.InteropServices;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>wait-signal</c>: prints <c>ready</c>, then waits for SIGTERM or SIGINT and says which
/// came (<c>got SIGTERM</c> / <c>got SIGINT</c>) before exiting 0: signal forwarding made
/// visible.
/// </summary>
internal static class WaitSignalCommand
{
    public static async Task<int> RunAsync()
    {
        var received = new TaskCompletionSource<string>(TaskCreationOptions.RunContinuationsAsynchronously);
        void OnSignal(PosixSignalContext context)
        {
            context.Cancel = true;
            received.TrySetResult(context.Signal == PosixSignal.SIGTERM ? "SIGTERM" : "SIGINT");
        }

        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, OnSignal);
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, OnSignal);
        Console.Out.WriteLine("ready");
        Console.Out.WriteLine($"got {await received.Task}");
        return 0;
    }
}
