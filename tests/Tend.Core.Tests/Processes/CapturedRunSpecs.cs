using System.Diagnostics;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Processes;

/// <summary>A check's command run to completion: its output, and never a wait past its end for what it left behind.</summary>
public sealed class CapturedRunSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    [Fact(Timeout = 30_000)]
    public async Task A_command_that_leaves_an_escaped_process_holding_its_output_ends_when_it_exits()
    {
        var clock = Stopwatch.StartNew();
        int? escaped = null;
        try
        {
            // The escaper leaves the group with setsid and keeps stdout open for 30 s.
            var run = await CapturedRun.RunAsync(["/bin/sh", "-c", "echo ready; setsid sleep 30 & echo \"escaped $!\"; exit 0"], _directory.Path, null, TimeSpan.FromSeconds(25), TimeProvider.System, TestContext.Current.CancellationToken);
            escaped = run.Output.Split('\n').Where(l => l.StartsWith("escaped ", StringComparison.Ordinal)).Select(l => int.Parse(l[8..], System.Globalization.CultureInfo.InvariantCulture)).FirstOrDefault();

            run.Succeeded.ShouldBeTrue(run.Output);
            run.Output.ShouldContain("ready");
            clock.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(15), "the escaper holds the pipe for 30 s; the run must not wait for it");
        }
        finally
        {
            if (escaped is int pid && pid > 0)
            {
                Signals.Send(pid, Signals.SIGKILL);
            }
        }
    }
}
