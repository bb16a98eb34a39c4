using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Checks;

/// <summary>The etcd check against the real etcd that scripts/test.sh starts, and fakes of its failures.</summary>
public sealed class EtcdCheckSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task A_running_etcd_is_healthy_with_its_version()
    {
        var outcome = await Checking.RunAsync($"{{ etcd = \"{TestServers.EtcdUrl}\" }}");

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
        outcome.Summary.ShouldMatch(@"^etcd 3\.\d+\.\d+ healthy$");
    }

    [Fact(Timeout = 30_000)]
    public async Task Host_and_port_without_a_scheme_are_enough()
    {
        var outcome = await Checking.RunAsync($"{{ etcd = \"{new Uri(TestServers.EtcdUrl).Authority}\" }}");

        outcome.Status.ShouldBe(CheckStatus.Pass);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_etcd_that_reports_itself_unhealthy_fails_with_its_reason()
    {
        await using var server = LocalServer.Http(503, """{"health":"false","reason":"RAFT NO LEADER"}""");

        var outcome = await Checking.RunAsync($"{{ etcd = \"{server.Address}\" }}");

        outcome.ErrorClass.ShouldBe("unhealthy");
        outcome.Summary.ShouldContain("RAFT NO LEADER");
    }

    [Fact(Timeout = 30_000)]
    public async Task Something_else_on_the_port_is_not_taken_for_etcd()
    {
        await using var server = LocalServer.Http(200, "<html>hello</html>");

        var outcome = await Checking.RunAsync($"{{ etcd = \"{server.Address}\" }}");

        outcome.ErrorClass.ShouldBe("protocol");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_etcd_that_is_down_is_connection_refused()
    {
        var outcome = await Checking.RunAsync($"{{ etcd = \"127.0.0.1:{LocalServer.FreePort()}\" }}");

        outcome.ErrorClass.ShouldBe("refused");
    }
}
