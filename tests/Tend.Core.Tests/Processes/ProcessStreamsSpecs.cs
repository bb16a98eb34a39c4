using System.Diagnostics;
using Tend.Core.Processes;

namespace Tend.Core.Tests.Processes;

/// <summary>
/// A run's process object lets go of its stream readers once their pipes are taken over, so their
/// buffers do not live as long as the run (36 KB a run). The fields are reached by name: a runtime
/// that renames them makes these specs fail rather than quietly keeping the memory.
/// </summary>
public sealed class ProcessStreamsSpecs
{
    [Fact]
    public async Task A_process_whose_streams_were_forgotten_no_longer_holds_them()
    {
        var info = new ProcessStartInfo("/bin/true") { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(info)!;
        process.StandardInput.Close();
        process.StandardOutput.Dispose();
        process.StandardError.Dispose();

        ProcessStreams.ForgetInput(process);
        ProcessStreams.ForgetOutput(process);

        // Process says a stream "has not been redirected" when its field is empty.
        Should.Throw<InvalidOperationException>(() => process.StandardInput);
        Should.Throw<InvalidOperationException>(() => process.StandardOutput);
        Should.Throw<InvalidOperationException>(() => process.StandardError);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0);
    }
}
