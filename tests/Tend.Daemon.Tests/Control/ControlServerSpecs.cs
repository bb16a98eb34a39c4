using System.Net.Sockets;
using System.Text;
using Tend.Core.Status;
using Tend.Daemon.Control;
using Tend.Daemon.Control.Protocol;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Control;

/// <summary>The control protocol over the real socket: ids, requests in flight together, streams that end when asked, and bad input answered, never fatal.</summary>
public sealed class ControlServerSpecs
{
    private static string Stack() => $$"""
        [components.slow]
        command = {{DummyArgv("ignore-term")}}
        stop = { grace = "2s" }
        min_uptime = "0s"
        [components.quick]
        command = {{DummyArgv("sleep", "600000")}}
        min_uptime = "0s"
        """;

    [Fact(Timeout = 60_000)]
    public async Task Hello_says_who_answers_and_which_protocol()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var hello = (await client.CallAsync(new HelloRequest(), TestContext.Current.CancellationToken)).Hello.ShouldNotBeNull();

        hello.Protocol.ShouldBe(ControlProtocol.Version);
        hello.Pid.ShouldBe(Environment.ProcessId);
        hello.StackFile.ShouldBe(fixture.StackPath);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_status_is_answered_while_a_slow_stop_on_the_same_connection_is_in_flight()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();
        (await client.CallAsync(new UpRequest([], fixture.StackPath, null), TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        await fixture.WaitUntilAsync(s => s.Components.All(c => c.Verdict.IsUp), "brought both up");
        await fixture.WaitForLogAsync("slow", "ready");

        var stop = client.CallAsync(new StopRequest(["slow"]), TestContext.Current.CancellationToken);
        await fixture.WaitUntilAsync(s => s.Find("slow")!.State == ComponentState.Stopping, "began stopping slow");
        var status = await client.CallAsync(new StatusRequest(), TestContext.Current.CancellationToken);

        stop.IsCompleted.ShouldBeFalse("the stop waits out its 2 s grace");
        status.Snapshot!.Find("slow")!.State.ShouldBe(ComponentState.Stopping);
        var stopped = await stop;
        stopped.Action!.Snapshot.Find("slow")!.State.ShouldBe(ComponentState.Stopped);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_stream_of_snapshots_ends_when_the_client_stops_reading_and_the_connection_goes_on()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var first = await client.StreamAsync(new WatchRequest(), TestContext.Current.CancellationToken).FirstAsync(TestContext.Current.CancellationToken);
        var after = await client.CallAsync(new StatusRequest(), TestContext.Current.CancellationToken);

        first.Snapshot!.Components.Count.ShouldBe(2);
        after.Snapshot.ShouldNotBeNull();
    }

    [Fact(Timeout = 60_000)]
    public async Task An_error_is_a_reply_with_a_code_and_what_to_do()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var reply = await client.CallAsync(new StartRequest(["nope"], null), TestContext.Current.CancellationToken);

        reply.Type.ShouldBe(ReplyTypes.Error);
        reply.Error!.Code.ShouldBe("not_a_component");
        reply.Error.Hint.ShouldBe("components: slow, quick");
    }

    [Fact(Timeout = 60_000)]
    public async Task Lines_that_are_not_requests_are_answered_and_the_daemon_serves_on()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var malformed = await RawAsync(fixture, "{\"v\":2,\"id\":5,\"verb\":\"fly\"}\n");
        var oldProtocol = await RawAsync(fixture, "{\"verb\":\"ping\"}\n");
        var otherVersion = await RawAsync(fixture, "{\"v\":9,\"id\":3,\"verb\":\"status\"}\n");
        var tooLong = await RawAsync(fixture, "{\"v\":2,\"id\":1,\"verb\":\"status\",\"pad\":\"" + new string('x', ControlProtocol.MaxRequestBytes) + "\"}\n");
        var stillServing = await client.CallAsync(new StatusRequest(), TestContext.Current.CancellationToken);

        malformed.ShouldContain("\"id\":5");
        malformed.ShouldContain("\"code\":\"malformed\"");
        oldProtocol.ShouldContain("\"ok\":false");
        oldProtocol.ShouldContain("this daemon speaks control protocol 2");
        otherVersion.ShouldContain("\"code\":\"unsupported_version\"");
        tooLong.ShouldContain("\"code\":\"too_large\"");
        stillServing.Snapshot.ShouldNotBeNull();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_version_or_id_that_is_not_a_number_is_answered_not_fatal()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var textVersion = await RawAsync(fixture, "{\"v\":\"2\",\"id\":4,\"verb\":\"status\"}\n");
        var textId = await RawAsync(fixture, "{\"v\":2,\"id\":\"four\",\"verb\":\"fly\"}\n");

        textVersion.ShouldContain("\"code\":\"unsupported_version\"");
        textVersion.ShouldContain("\"id\":4");
        textId.ShouldContain("\"code\":\"malformed\"");
        (await client.CallAsync(new StatusRequest(), TestContext.Current.CancellationToken)).Snapshot.ShouldNotBeNull();
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_the_daemon_fails_to_carry_out_is_still_answered()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        // No components list at all, and a tail of minus one line: each once made its handler throw, unanswered.
        var noList = await RawAsync(fixture, "{\"v\":2,\"id\":7,\"verb\":\"stop\"}\n");
        var negative = await client.CallAsync(new LogsRequest("quick", null, -1, false), TestContext.Current.CancellationToken);

        noList.ShouldContain("\"id\":7");
        noList.ShouldContain("\"type\":");
        negative.Type.ShouldBeOneOf(ReplyTypes.Error, ReplyTypes.End, ReplyTypes.Result, ReplyTypes.Item);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_request_too_long_to_read_is_answered_to_the_caller_as_too_large()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var reply = await client.CallAsync(new StopRequest([new string('x', ControlProtocol.MaxRequestBytes + 10)]), TestContext.Current.CancellationToken);

        reply.Error.ShouldNotBeNull().Code.ShouldBe("too_large");
    }

    [Fact(Timeout = 60_000)]
    public async Task Values_the_CLI_refuses_are_refused_by_the_daemon_too_when_sent_straight_to_the_socket()
    {
        // Issue 8: kill(2) reads signal -1 as "every process the caller may signal".
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();
        (await client.CallAsync(new UpRequest(["quick"], fixture.StackPath, null), TestContext.Current.CancellationToken)).Error.ShouldBeNull();
        await fixture.WaitUntilAsync(s => s.Find("quick")!.Verdict.IsUp, "brought quick up");

        var kill = await RawAsync(fixture, "{\"v\":2,\"id\":11,\"verb\":\"kill\",\"components\":[\"quick\"],\"signal\":-1}\n");
        var rounds = await RawAsync(fixture, "{\"v\":2,\"id\":12,\"verb\":\"up\",\"components\":[],\"max_rounds\":-5}\n");
        var start = await RawAsync(fixture, "{\"v\":2,\"id\":13,\"verb\":\"start\",\"components\":[\"quick\"],\"max_rounds\":0}\n");
        var noList = await RawAsync(fixture, "{\"v\":2,\"id\":14,\"verb\":\"stop\",\"components\":null}\n");
        var status = await client.CallAsync(new StatusRequest(), TestContext.Current.CancellationToken);

        kill.ShouldContain("\"id\":11");
        kill.ShouldContain("\"code\":\"invalid_argument\"");
        kill.ShouldContain("-1 is not a signal");
        rounds.ShouldContain("\"code\":\"invalid_argument\"");
        rounds.ShouldContain("max_rounds must be at least 1, not -5");
        start.ShouldContain("\"code\":\"invalid_argument\"");
        noList.ShouldContain("\"code\":\"invalid_argument\"");
        status.Snapshot!.Find("quick")!.Verdict.IsUp.ShouldBeTrue("nothing was done with the refused requests");
    }

    [Fact(Timeout = 60_000)]
    public async Task Shutdown_is_answered_before_the_stack_is_taken_down()
    {
        await using var fixture = new ControlFixture(Stack());
        await using var client = await fixture.ServeAndConnectAsync();

        var reply = await client.CallAsync(new ShutdownRequest(), TestContext.Current.CancellationToken);

        reply.Type.ShouldBe(ReplyTypes.Result);
        // The answer goes out first, by design: the shutdown is asked for just after it.
        for (var i = 0; i < 1000 && !fixture.ShutdownRequested; i++)
        {
            await Task.Delay(TimeSpan.FromMilliseconds(10), TimeProvider.System, TestContext.Current.CancellationToken);
        }

        fixture.ShutdownRequested.ShouldBeTrue();
    }

    /// <summary>Writes one raw line on a connection of its own and returns the first line of the answer.</summary>
    private static async Task<string> RawAsync(ControlFixture fixture, string line)
    {
        using var socket = new Socket(AddressFamily.Unix, SocketType.Stream, ProtocolType.Unspecified);
        await socket.ConnectAsync(new UnixDomainSocketEndPoint(fixture.Paths.Socket), TestContext.Current.CancellationToken);
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        await stream.WriteAsync(Encoding.UTF8.GetBytes(line), TestContext.Current.CancellationToken);
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return await reader.ReadLineAsync(TestContext.Current.CancellationToken) ?? "";
    }
}
