using Tend.Core.Tests.Support;
using Tend.Daemon.Logs;
using Tend.Daemon.Tests.Control;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Logs;

/// <summary>Every run's output reaches whoever listens, line by line, and costs nothing while nobody does.</summary>
public sealed class OutputHubSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task A_listener_gets_each_line_of_a_service_with_its_run()
    {
        await using var fixture = new ControlFixture($"""
            [components.chatty]
            command = {DummyArgv("lines", "5")}
            kind = "job"
            """);
        using var listening = fixture.Control.SubscribeOutput("chatty");

        (await fixture.Control.UpAsync([], fixture.StackPath, null, TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        var lines = await listening.ReadAllAsync(TestContext.Current.CancellationToken).Take(5).ToListAsync(TestContext.Current.CancellationToken);

        lines.Select(l => l.Text[..11]).ShouldBe(["line 000001", "line 000002", "line 000003", "line 000004", "line 000005"]);
        lines.ShouldAllBe(l => l.Component == "chatty" && l.Run == 1);
    }

    [Fact]
    public void Lines_are_not_cut_while_nobody_listens_and_a_listener_gets_whole_lines_only()
    {
        var hub = new OutputHub(TimeProvider.System);
        var observer = hub.ObserverFor("api", 3);
        var observed = new ObservedLines(observer, 1024);

        observed.Feed("before anyone listened\nhalf of a li"u8);
        using var listening = hub.Subscribe("api");
        observed.Feed("ne\nwhole\n"u8);
        observed.Finish();
        listening.Dispose();

        var lines = listening.ReadAllAsync(TestContext.Current.CancellationToken).ToBlockingEnumerable(TestContext.Current.CancellationToken).Select(l => l.Text).ToList();
        observer.IsListening.ShouldBeFalse();
        lines.ShouldBe(["whole"]);
    }

    [Fact]
    public void A_listener_of_one_component_does_not_make_the_others_pay()
    {
        var hub = new OutputHub(TimeProvider.System);
        using var listening = hub.Subscribe("api");

        hub.ObserverFor("api", 1).IsListening.ShouldBeTrue();
        hub.ObserverFor("web", 1).IsListening.ShouldBeFalse();
        using var everything = hub.Subscribe(null);
        hub.ObserverFor("web", 1).IsListening.ShouldBeTrue();
    }
}
