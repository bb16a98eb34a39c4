using Shouldly;
using Tend.Core.Processes;
using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>A run's end in the supervisor's words is ExitStatus's, so `tend why`, a restart's reason and a workflow step say the same.</summary>
public sealed class RunEndWordingSpecs
{
    [Theory]
    [InlineData(0, null, "exit code 0")]
    [InlineData(3, null, "exit code 3")]
    [InlineData(137, 9, "killed by SIGKILL")]
    [InlineData(143, null, "killed by SIGTERM")]
    public void A_run_end_is_worded_as_ExitStatus_words_it(int exitCode, int? signal, string words)
    {
        var end = new RunEnd(exitCode, signal, TimeSpan.FromSeconds(1), false, null, null);

        end.Describe().ShouldBe(words);
        ExitStatus.Ended(exitCode, signal).ShouldBe(words);
    }

    [Fact]
    public void A_failed_status_reads_the_same_as_a_verdict_and_as_an_end()
    {
        ExitStatus.Describe(3).ShouldBe(ExitStatus.Ended(3));
        ExitStatus.Describe(137).ShouldBe("killed by SIGKILL");
        ExitStatus.Describe(0).ShouldBeNull("a verdict has nothing to say of a success");
        ExitStatus.Ended(0).ShouldBe("exit code 0");
    }
}
