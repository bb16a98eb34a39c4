using System.Text.Json;
using Tend.Daemon.Control.Protocol;

namespace Tend.Daemon.Tests.Control;

/// <summary>Every request is written with its verb and read back as its own type; a line with an unknown verb is not a request.</summary>
public sealed class ProtocolWireSpecs
{
    [Fact]
    public void Every_request_type_has_one_verb()
    {
#pragma warning disable IL2026 // Tests run on the JIT, where no type is trimmed away.
        var requestTypes = typeof(ControlRequest).Assembly.GetTypes()
            .Where(t => t.IsSubclassOf(typeof(ControlRequest)) && !t.IsAbstract);
#pragma warning restore IL2026

        ControlVerbs.All.Select(v => v.Type).ShouldBe(requestTypes, ignoreOrder: true);
        ControlVerbs.All.Select(v => v.Verb).Distinct().Count().ShouldBe(ControlVerbs.All.Count);
    }

    public static TheoryData<ControlRequest> Requests() =>
    [
        new HelloRequest { Id = 1 },
        new StatusRequest { Id = 2 },
        new WatchRequest { Id = 3 },
        new UpRequest(["api"], "/srv/tend.toml", 3) { Id = 4 },
        new DownRequest(["api"]) { Id = 5 },
        new StartRequest(["api"], null) { Id = 6 },
        new StopRequest(["api", "db"]) { Id = 7 },
        new RestartRequest(["api"]) { Id = 8 },
        new KillRequest(["api"], 9) { Id = 9 },
        new ReloadRequest(null) { Id = 10 },
        new EventsRequest(["component.exited"], ["api"], 20, true) { Id = 11 },
        new LogsRequest("api", 2, 50, false) { Id = 12 },
        new CancelRequest(7) { Id = 13 },
        new ShutdownRequest { Id = 14 },
        new DoctorRequest { Id = 15 },
        new LogFilesRequest(["api"], true) { Id = 16 },
    ];

    [Theory]
    [MemberData(nameof(Requests))]
    public void A_request_is_written_with_its_verb_first_and_read_back_as_itself(ControlRequest request)
    {
        var line = ControlVerbs.Write(request);
        var verb = ControlVerbs.All.Single(v => v.Type == request.GetType()).Verb;

        System.Text.Encoding.UTF8.GetString(line).ShouldStartWith($"{{\"verb\":\"{verb}\"");
        using var document = JsonDocument.Parse(line);
        var read = ControlVerbs.Read(document.RootElement);
        read.GetType().ShouldBe(request.GetType());
        ControlVerbs.Write(read).ShouldBe(line);
    }

    [Fact]
    public void A_line_with_an_unknown_verb_is_refused()
    {
        using var unknown = JsonDocument.Parse("""{"verb":"exec","v":2,"id":1,"command":"rm -rf /"}""");
        using var none = JsonDocument.Parse("""{"v":2,"id":1}""");

        Should.Throw<JsonException>(() => ControlVerbs.Read(unknown.RootElement)).Message.ShouldContain("unknown verb 'exec'");
        Should.Throw<JsonException>(() => ControlVerbs.Read(none.RootElement)).Message.ShouldContain("names its verb");
    }
}
