using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Checks;

/// <summary>The redis check against the real Redis (with requirepass) that scripts/test.sh starts.</summary>
public sealed class RedisCheckSpecs
{
    private static Uri Server => new(TestServers.RedisUrl);

    [Fact(Timeout = 30_000)]
    public async Task A_running_server_answers_ping_after_auth()
    {
        var outcome = await Checking.RunAsync($"{{ redis = \"redis://:{TestServers.RedisPassword}@127.0.0.1:{Server.Port}\" }}");

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
        outcome.Summary.ShouldStartWith("PONG in ");
        outcome.Facts.ShouldContain(f => f.StartsWith("Redis ", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task The_password_can_come_from_an_environment_variable()
    {
        var outcome = await Checking.RunAsync(
            $"{{ redis = \"127.0.0.1:{Server.Port}\", password_env = \"CACHE_PASSWORD\" }}",
            environment: name => name == "CACHE_PASSWORD" ? TestServers.RedisPassword : null);

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_protected_server_without_a_password_is_authentication_failed()
    {
        var outcome = await Checking.RunAsync($"{{ redis = \"127.0.0.1:{Server.Port}\", timeout = \"10s\" }}");

        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.ErrorClass.ShouldBe("auth_failed");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_password_is_authentication_failed()
    {
        var outcome = await Checking.RunAsync($"{{ redis = \"redis://:wrong@127.0.0.1:{Server.Port}\", timeout = \"10s\" }}");

        outcome.ErrorClass.ShouldBe("auth_failed");
        outcome.Summary.ShouldBe("Redis refused the password");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_is_down_is_connection_refused()
    {
        var port = LocalServer.FreePort();

        var outcome = await Checking.RunAsync($"{{ redis = \"127.0.0.1:{port}\" }}");

        outcome.ErrorClass.ShouldBe("refused");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_closes_the_connection_mid_handshake_is_not_taken_for_redis()
    {
        await using var server = LocalServer.ClosingOnAccept();

        var outcome = await Checking.RunAsync($"{{ redis = \"{server.Address}\", timeout = \"2s\" }}");

        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.ErrorClass.ShouldBeOneOf("closed", "protocol");
    }
}
