using Npgsql;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Checks;

/// <summary>The postgres check against the real PostgreSQL that scripts/test.sh starts.</summary>
public sealed class PostgresCheckSpecs
{
    private static Uri Server => new(TestServers.PostgresUrl);

    private static string Url(string? password, string database = "postgres") =>
        $"postgresql://postgres{(password is null ? "" : ":" + password)}@127.0.0.1:{Server.Port}/{database}";

    [Fact(Timeout = 30_000)]
    public async Task A_running_server_that_accepts_the_login_passes_with_its_version()
    {
        var outcome = await Checking.RunAsync($"{{ postgres = \"{Url(TestServers.PostgresPassword)}\" }}");

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
        outcome.Summary.ShouldStartWith("PostgreSQL ");
        outcome.Summary.ShouldContain("logged in as postgres to postgres");
    }

    [Fact(Timeout = 30_000)]
    public async Task The_password_can_come_from_an_environment_variable()
    {
        var outcome = await Checking.RunAsync(
            $"{{ postgres = \"{Url(null)}\", password_env = \"APP_DB_PASSWORD\" }}",
            environment: name => name == "APP_DB_PASSWORD" ? TestServers.PostgresPassword : null);

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
    }

    [Fact(Timeout = 30_000)]
    public async Task A_wrong_password_is_told_apart_as_authentication_failed()
    {
        var outcome = await Checking.RunAsync($"{{ postgres = \"{Url("wrong-password")}\" }}");

        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.ErrorClass.ShouldBe("auth_failed");
        outcome.Summary.ShouldBe("password authentication failed for user postgres");
        outcome.Facts.ShouldContain(f => f.Contains("28P01", StringComparison.Ordinal));
    }

    [Fact(Timeout = 30_000)]
    public async Task No_password_for_a_server_that_wants_one_is_authentication_failed()
    {
        var outcome = await Checking.RunAsync($"{{ postgres = \"{Url(null)}\", password_env = \"TEND_SURELY_UNSET_PASSWORD\" }}", environment: _ => null);

        outcome.ErrorClass.ShouldBe("auth_failed");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_missing_database_is_told_apart_from_a_missing_server()
    {
        var outcome = await Checking.RunAsync($"{{ postgres = \"{Url(TestServers.PostgresPassword, "no_such_database")}\" }}");

        outcome.ErrorClass.ShouldBe("db_missing");
        outcome.Summary.ShouldBe("database \"no_such_database\" does not exist");
        outcome.Data["database"].ShouldBe("no_such_database");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_is_down_is_connection_refused()
    {
        var port = LocalServer.FreePort();

        var outcome = await Checking.RunAsync($"{{ postgres = \"postgresql://postgres:x@127.0.0.1:{port}/app\" }}");

        outcome.ErrorClass.ShouldBe("refused");
        outcome.Summary.ShouldBe($"connection refused to 127.0.0.1:{port}");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_closes_the_connection_mid_handshake_is_reported_as_such()
    {
        await using var server = LocalServer.ClosingOnAccept();

        var outcome = await Checking.RunAsync($"{{ postgres = \"postgresql://postgres:x@{server.Address}/app\" }}");

        outcome.ErrorClass.ShouldBe("closed");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_server_that_never_answers_is_a_timeout()
    {
        await using var server = LocalServer.Silent();

        var outcome = await Checking.RunAsync($"{{ postgres = \"postgresql://postgres:x@{server.Address}/app\", timeout = \"1s\" }}");

        outcome.ErrorClass.ShouldBe("timeout");
    }

    [Fact(Timeout = 30_000)]
    public async Task Key_value_connection_strings_work_too()
    {
        var builder = new NpgsqlConnectionStringBuilder { Host = "127.0.0.1", Port = Server.Port, Username = "postgres", Password = TestServers.PostgresPassword, Database = "postgres" };

        var outcome = await Checking.RunAsync($"{{ postgres = \"{builder.ConnectionString}\" }}");

        outcome.Status.ShouldBe(CheckStatus.Pass, string.Join("; ", outcome.Facts));
    }
}
