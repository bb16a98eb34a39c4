using Tend.Daemon.Supervision;

namespace Tend.Daemon.Tests.Supervision;

/// <summary>How often a failing probe runs before its first pass: fast for a server not up yet, slow for one that said no.</summary>
public sealed class ProbePacingSpecs
{
    private static readonly TimeSpan Interval = TimeSpan.FromSeconds(5);

    /// <summary>Probes in the first <paramref name="span"/> of failing with <paramref name="errorClass"/>.</summary>
    private static int ProbesWithin(TimeSpan span, string errorClass)
    {
        var delay = ProbePacing.Start;
        var elapsed = TimeSpan.Zero;
        var probes = 0;
        while (elapsed + delay <= span)
        {
            elapsed += delay;
            probes++;
            delay = ProbePacing.AfterFailure(delay, errorClass, elapsed, Interval);
        }

        return probes;
    }

    [Fact]
    public void A_server_not_listening_yet_is_probed_every_10_ms_at_first_so_dependents_start_at_once()
    {
        ProbePacing.AfterFailure(TimeSpan.FromMilliseconds(10), "refused", TimeSpan.FromSeconds(1), Interval).ShouldBe(TimeSpan.FromMilliseconds(10));
        ProbePacing.AfterFailure(TimeSpan.FromMilliseconds(10), "refused", TimeSpan.FromSeconds(30), Interval).ShouldBe(TimeSpan.FromMilliseconds(20));
        ProbePacing.AfterFailure(TimeSpan.FromMilliseconds(100), "refused", TimeSpan.FromMinutes(5), Interval).ShouldBe(TimeSpan.FromMilliseconds(200));
        ProbePacing.AfterFailure(TimeSpan.FromSeconds(1), "refused", TimeSpan.FromMinutes(5), Interval).ShouldBe(TimeSpan.FromSeconds(1));
    }

    [Fact]
    public void A_refused_login_is_tried_at_most_once_a_second_and_soon_once_a_minute()
    {
        // 10 s of a wrong password: the 19-a-second prober made ~190 failed logins.
        ProbesWithin(TimeSpan.FromSeconds(10), "auth_failed").ShouldBeLessThanOrEqualTo(4);
        ProbesWithin(TimeSpan.FromMinutes(10), "auth_failed").ShouldBeLessThanOrEqualTo(16);
    }

    [Fact]
    public void A_server_that_answers_no_is_probed_at_most_four_times_a_second()
    {
        ProbesWithin(TimeSpan.FromSeconds(10), "http_status").ShouldBeLessThanOrEqualTo(14);
        ProbesWithin(TimeSpan.FromSeconds(10), "db_missing").ShouldBeGreaterThanOrEqualTo(8, "still seen within a second when it is fixed");
    }
}
