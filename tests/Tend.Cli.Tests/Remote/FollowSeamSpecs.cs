using Tend.Daemon.Remote;

namespace Tend.Cli.Tests.Remote;

/// <summary>Where what is asked again after a dropped link joins what was shown: once each, in order, and a gap said when the replay did not reach back.</summary>
public sealed class FollowSeamSpecs
{
    private sealed record Line(int Second, string Text);

    private static readonly DateTimeOffset Zero = new(2026, 11, 29, 12, 0, 0, TimeSpan.Zero);

    private static FollowSeam<Line> Seam() => new(l => Zero.AddSeconds(l.Second));

    private static List<string> Shown(FollowSeam<Line> seam, params Line[] replay) => [.. replay.Where(seam.IsNew).Select(l => l.Text)];

    [Fact]
    public void A_replay_that_holds_the_last_line_shown_adds_only_what_came_after_it_and_no_gap()
    {
        var seam = Seam();
        Shown(seam, new(1, "a"), new(2, "b"), new(2, "c")).ShouldBe(["a", "b", "c"]);

        seam.Rejoin();
        Shown(seam, new(1, "a"), new(2, "b"), new(2, "c"), new(2, "d"), new(3, "e")).ShouldBe(["d", "e"]);
        seam.TakeGap().ShouldBeFalse();
    }

    [Fact]
    public void A_replay_that_begins_after_the_last_line_shown_is_shown_whole_with_a_gap_said_once()
    {
        var seam = Seam();
        Shown(seam, new(1, "a"), new(2, "b")).ShouldBe(["a", "b"]);

        seam.Rejoin();
        seam.IsNew(new(9, "x")).ShouldBeTrue();
        seam.TakeGap().ShouldBeTrue("lines between b and x were not asked again");
        seam.IsNew(new(10, "y")).ShouldBeTrue();
        seam.TakeGap().ShouldBeFalse();
    }

    [Fact]
    public void Before_anything_was_shown_there_is_nothing_to_join()
    {
        var seam = Seam();
        seam.Rejoin();
        Shown(seam, new Line(5, "first")).ShouldBe(["first"]);
        seam.TakeGap().ShouldBeFalse();
    }
}
