using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Tests;

/// <summary>[http] as a user writes it: off unless asked, loopback unless allowed, mistakes found with where and why.</summary>
public sealed class HttpSettingsSpecs
{
    private const string Component = """
        [components.api]
        command = ["sleep", "1"]
        """;

    private static StackLoadResult Load(string toml) => StackFileLoader.Parse(Component + "\n" + toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    private static string Error(string toml)
    {
        var result = Load(toml);
        result.Succeeded.ShouldBeFalse();
        return string.Join("\n", result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void Without_http_the_face_is_off_and_with_it_the_default_is_loopback()
    {
        Load("").Stack!.Http.ShouldBeNull();
        var http = Load("[http]").Stack!.Http!;
        (http.Listen, http.IsLoopback, http.Url).ShouldBe(("127.0.0.1:7380", true, "http://127.0.0.1:7380/"));
        Load("[http]\nlisten = \"[::1]:9000\"").Stack!.Http!.Url.ShouldBe("http://[::1]:9000/");
        Load("[http]\nlisten = \"9001\"").Stack!.Http!.Listen.ShouldBe("127.0.0.1:9001", "a port alone listens on loopback");
    }

    [Fact]
    public void An_address_other_hosts_can_reach_needs_allow_remote()
    {
        var error = Error("[http]\nlisten = \"0.0.0.0:7380\"");
        error.ShouldContain("tend.toml:4");
        error.ShouldContain("allow_remote");
        var allowed = Load("[http]\nlisten = \"0.0.0.0:7380\"\nallow_remote = true").Stack!.Http!;
        (allowed.IsLoopback, allowed.Url).ShouldBe((false, "http://127.0.0.1:7380/"), "a wildcard address is opened through loopback here");
    }

    [Theory]
    [InlineData("listen = \"example.org:80\"", "an IP address or localhost")]
    [InlineData("listen = \"127.0.0.1:99999\"", "host:port")]
    [InlineData("listen = \"127.0.0.1\"", "host:port")]
    [InlineData("listn = \"127.0.0.1:80\"", "listen")]
    public void A_mistake_is_an_error_at_its_line(string line, string says)
    {
        var error = Error($"[http]\n{line}");
        error.ShouldContain("tend.toml:4");
        error.ShouldContain(says);
    }

    [Fact]
    public void A_change_of_http_is_a_change_that_restarts_nothing()
    {
        var before = Load("[http]").Stack!;
        var after = Load("[http]\nlisten = \"127.0.0.1:7381\"").Stack!;
        var changes = StackChanges.Between(before, after);
        changes.HttpChanged.ShouldBeTrue();
        changes.Changed.ShouldBeEmpty();
        changes.Describe().ShouldBe(["http: listen address changed"]);
    }
}
