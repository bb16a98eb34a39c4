namespace Tend.Core.Tests.Support;

/// <summary>
/// The real servers that <c>scripts/test.sh</c> starts on loopback and announces through the
/// environment. Outside CI a missing server skips the test with the reason; under CI
/// (<c>CI=true</c>) it fails it, so a broken set-up can never pass silently.
/// </summary>
public static class TestServers
{
    /// <summary>postgresql://postgres:PASSWORD@127.0.0.1:PORT/postgres, a superuser with a password.</summary>
    public static string PostgresUrl => Require("TEND_TEST_POSTGRES_URL", "PostgreSQL");

    /// <summary>The password of <see cref="PostgresUrl"/>'s user.</summary>
    public static string PostgresPassword => Require("TEND_TEST_POSTGRES_PASSWORD", "PostgreSQL");

    /// <summary>redis://:PASSWORD@127.0.0.1:PORT, a Redis started with requirepass.</summary>
    public static string RedisUrl => Require("TEND_TEST_REDIS_URL", "Redis");

    public static string RedisPassword => Require("TEND_TEST_REDIS_PASSWORD", "Redis");

    /// <summary>http://127.0.0.1:PORT, an etcd client URL.</summary>
    public static string EtcdUrl => Require("TEND_TEST_ETCD_URL", "etcd");

    public static bool UnderCi => string.Equals(Environment.GetEnvironmentVariable("CI"), "true", StringComparison.OrdinalIgnoreCase);

    private static string Require(string variable, string server)
    {
        var value = Environment.GetEnvironmentVariable(variable);
        if (!string.IsNullOrEmpty(value))
        {
            return value;
        }

        var message = $"{server} is not available: {variable} is not set. Run the tests through scripts/test.sh, which starts the servers.";
        if (UnderCi)
        {
            Assert.Fail(message);
        }

        Assert.Skip(message);
        return "";
    }
}
