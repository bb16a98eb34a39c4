using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Checks;

public sealed class HttpAndTcpCheckSpecs
{
    [Fact(Timeout = 30_000)]
    public async Task A_page_that_answers_200_passes()
    {
        await using var server = LocalServer.Http(200, "ok");

        var outcome = await Checking.RunAsync($"{{ http = \"http://{server.Address}/health\" }}");

        outcome.Status.ShouldBe(CheckStatus.Pass);
        outcome.Summary.ShouldBe("HTTP 200 OK");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_503_fails_with_the_status_and_the_body_seen()
    {
        await using var server = LocalServer.Http(503, "database unavailable");

        var outcome = await Checking.RunAsync($"{{ http = \"http://{server.Address}/\" }}");

        outcome.ErrorClass.ShouldBe("http_status");
        outcome.Data["status"].ShouldBe("503");
        outcome.Facts.ShouldContain("body: database unavailable");
        outcome.Facts.ShouldContain("expected 200-399");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_expected_status_can_be_a_class_or_a_list()
    {
        await using var server = LocalServer.Http(404, "");

        (await Checking.RunAsync($"{{ http = \"http://{server.Address}/\", status = [200, \"4xx\"] }}")).Status.ShouldBe(CheckStatus.Pass);
        (await Checking.RunAsync($"{{ http = \"http://{server.Address}/\", status = 200 }}")).Status.ShouldBe(CheckStatus.Fail);
    }

    [Fact(Timeout = 30_000)]
    public async Task A_body_that_does_not_match_fails()
    {
        await using var server = LocalServer.Http(200, """{"status":"starting"}""");

        var outcome = await Checking.RunAsync($"{{ http = \"http://{server.Address}/\", body = '\"status\":\"ready\"' }}");

        outcome.ErrorClass.ShouldBe("body_mismatch");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_slow_answer_is_a_warning()
    {
        await using var server = LocalServer.Http(200, "ok", delay: TimeSpan.FromMilliseconds(300));

        var outcome = await Checking.RunAsync($"{{ http = \"http://{server.Address}/\", slow = \"100ms\" }}");

        outcome.Status.ShouldBe(CheckStatus.Warn);
        outcome.ErrorClass.ShouldBe("slow");
    }

    [Fact(Timeout = 30_000)]
    public async Task Nothing_listening_is_connection_refused()
    {
        var port = LocalServer.FreePort();

        var outcome = await Checking.RunAsync($"{{ http = \"http://127.0.0.1:{port}/\" }}");

        outcome.ErrorClass.ShouldBe("refused");
        outcome.Data["port"].ShouldBe(port.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_closing_mid_request_is_reported_as_closed()
    {
        await using var server = LocalServer.ClosingOnAccept();

        var outcome = await Checking.RunAsync($"{{ http = \"http://{server.Address}/\" }}");

        outcome.ErrorClass.ShouldBe("closed");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_self_signed_certificate_fails_tls_unless_the_check_is_insecure()
    {
        await using var server = LocalServer.Https(200, "ok");

        var strict = await Checking.RunAsync($"{{ http = \"https://localhost:{server.Port}/\" }}");
        var insecure = await Checking.RunAsync($"{{ http = \"https://localhost:{server.Port}/\", insecure = true }}");

        strict.ErrorClass.ShouldBe("tls");
        strict.Summary.ShouldBe($"TLS handshake with localhost:{server.Port} failed");
        insecure.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", insecure.Facts));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_accepts_and_never_answers_is_no_answer_not_a_network_timeout()
    {
        await using var server = LocalServer.Silent();

        var outcome = await Checking.RunAsync($"{{ http = \"http://{server.Address}/\", timeout = \"1s\" }}");

        outcome.ErrorClass.ShouldBe("no_answer");
        outcome.Summary.ShouldBe($"{server.Address} accepted the connection but no answer came within 1s");
        var diagnosis = Tend.Core.Config.RuleBook.With([]).Explain(new Tend.Core.Knowledge.DiagnosisSubject("http", outcome.ErrorClass, "api", outcome.Summary, null, outcome.Data)).ShouldNotBeNull();
        diagnosis.RuleId.ShouldBe("no-answer");
        diagnosis.Actions.ShouldNotContain(a => a.Contains("ping", StringComparison.Ordinal) || a.Contains("nc -vz", StringComparison.Ordinal), "the network is fine: it connected");
        diagnosis.Actions[0].ShouldBe("See what the service is doing: `tend logs api -n 50`");
    }

    [Fact(Timeout = 30_000)]
    public async Task An_unresolvable_host_is_a_dns_failure()
    {
        var outcome = await Checking.RunAsync("{ http = \"http://no-such-host.invalid/\" }");

        outcome.ErrorClass.ShouldBe("dns");
    }

    [Fact(Timeout = 30_000)]
    public async Task Tcp_passes_on_a_listening_port_and_is_refused_on_a_closed_one()
    {
        await using var server = LocalServer.Silent();

        (await Checking.RunAsync($"{{ tcp = \"{server.Address}\" }}")).Status.ShouldBe(CheckStatus.Pass);
        (await Checking.RunAsync($"{{ tcp = \"127.0.0.1:{LocalServer.FreePort()}\" }}")).ErrorClass.ShouldBe("refused");
    }
}
