using System.Globalization;
using StackExchange.Redis;
using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>Redis answers PING (after AUTH when a password is set), spoken by StackExchange.Redis.</summary>
public sealed record RedisCheck(string Host, int Port, string? User, string? Password, string? PasswordEnv, bool Tls, int Database) : CheckSpec
{
    public static readonly CheckKind Definition = new("redis", "Redis answers PING", TimeSpan.FromSeconds(3), CheckValueForms.String, [CheckOption.String("password_env"), CheckOption.Boolean("tls")], Create);

    public override string Kind => "redis";

    public override string Target => $"{Host}:{Port}";

    public override IEnumerable<string> Secrets(Func<string, string?> environment) =>
        new[] { Password, PasswordEnv is not null ? environment(PasswordEnv) : null }.OfType<string>();

    private static RedisCheck? Create(CheckArguments arguments)
    {
        var passwordEnv = arguments.String("password_env");
        var tlsOption = arguments.Boolean("tls");
        var text = (string)arguments.Value;

        if (text.StartsWith("redis://", StringComparison.Ordinal) || text.StartsWith("rediss://", StringComparison.Ordinal))
        {
            if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            {
                arguments.Error($"{arguments.What} is not a valid redis:// URL");
                return null;
            }

            var userInfo = uri.UserInfo.Split(':', 2);
            string? user = null;
            string? password = null;
            if (userInfo.Length == 2)
            {
                user = userInfo[0].Length > 0 ? Uri.UnescapeDataString(userInfo[0]) : null;
                password = Uri.UnescapeDataString(userInfo[1]);
            }
            else if (userInfo[0].Length > 0)
            {
                password = Uri.UnescapeDataString(userInfo[0]);
            }

            var database = int.TryParse(uri.AbsolutePath.Trim('/'), NumberStyles.None, CultureInfo.InvariantCulture, out var db) ? db : 0;
            return new RedisCheck(uri.Host, uri.Port > 0 ? uri.Port : 6379, user, password, passwordEnv, tlsOption ?? uri.Scheme == "rediss", database);
        }

        if (!Endpoint.TryParse(text, "127.0.0.1", out var endpoint))
        {
            arguments.Error($"{arguments.What} must be \"host:port\" or a redis:// URL, not \"{text}\"");
            return null;
        }

        return new RedisCheck(endpoint.Host, endpoint.Port, null, null, passwordEnv, tlsOption ?? false, 0);
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var password = PasswordEnv is not null ? context.Environment(PasswordEnv) : Password;
        var milliseconds = (int)Math.Max(1, Timeout.TotalMilliseconds);
        var options = new ConfigurationOptions
        {
            EndPoints = { { Host, Port } },
            User = User,
            Password = password,
            Ssl = Tls,
            AbortOnConnectFail = true,
            ConnectRetry = 0,
            ConnectTimeout = milliseconds,
            SyncTimeout = milliseconds,
            AsyncTimeout = milliseconds,
            ClientName = "tend",
            AllowAdmin = false,
        };
        (string, string?)[] data = [("host", Host), ("port", Port.ToString(CultureInfo.InvariantCulture)), .. PasswordFacts.Of(Password, PasswordEnv, null, "REDIS_PASSWORD", $"{(Tls ? "rediss" : "redis")}://{User}:****@{Host}:{Port}", context.Environment)];
        if (await TcpDial.TryAsync(Host, Port, Timeout, cancellationToken) is { } unreachable)
        {
            return unreachable.WithData(data);
        }

        try
        {
            await using var connection = await ConnectionMultiplexer.ConnectAsync(options).WaitAsync(cancellationToken);
            var latency = await connection.GetDatabase(Database).PingAsync().WaitAsync(cancellationToken);
            var version = connection.GetServer(Host, Port).Version;
            return CheckOutcome.Pass($"PONG in {latency.TotalMilliseconds:0.0}ms", $"Redis {version} at {Host}:{Port} answered PING in {latency.TotalMilliseconds:0.0}ms").WithData(data);
        }
        catch (RedisServerException e) when (e.Message.StartsWith("NOAUTH", StringComparison.Ordinal))
        {
            return CheckOutcome.Fail("auth_failed", "Redis requires a password and none was given", $"{Host}:{Port} said: {e.Message}").WithData(data);
        }
        catch (RedisConnectionException e) when (!cancellationToken.IsCancellationRequested)
        {
            return Explain(e, password is not null).WithData(data);
        }
        catch (RedisException e) when (!cancellationToken.IsCancellationRequested)
        {
            return CheckOutcome.Fail("redis_error", e.Message, $"{Host}:{Port} said: {e.Message}").WithData(data);
        }
    }

    private CheckOutcome Explain(RedisConnectionException error, bool passwordSent)
    {
        var said = error.InnerException?.Message ?? error.Message;
        if (passwordSent && (error.FailureType == ConnectionFailureType.AuthenticationFailure || said.Contains("WRONGPASS", StringComparison.Ordinal) || said.Contains("invalid password", StringComparison.OrdinalIgnoreCase)))
        {
            return CheckOutcome.Fail("auth_failed", "Redis refused the password", $"{Host}:{Port} said: {FirstLine(said)}");
        }

        if (said.Contains("NOAUTH", StringComparison.Ordinal) || error.FailureType == ConnectionFailureType.AuthenticationFailure)
        {
            return CheckOutcome.Fail("auth_failed", "Redis requires a password and none was given", $"{Host}:{Port} said: {FirstLine(said)}");
        }

        if (error.InnerException is not null && NetworkFailure.Classify(error.InnerException, Host, Port, Timeout) is { ErrorClass: not "network" } network)
        {
            return network;
        }

        // The port accepted a TCP connection (dialled above), so a failure now is in the handshake.
        return error.FailureType switch
        {
            ConnectionFailureType.ProtocolFailure =>
                CheckOutcome.Fail("protocol", $"{Host}:{Port} does not speak Redis", FirstLine(error.Message)),
            ConnectionFailureType.UnableToResolvePhysicalConnection when error.Message.Contains("timeout", StringComparison.OrdinalIgnoreCase) =>
                CheckOutcome.Fail("protocol", $"{Host}:{Port} accepted a connection but never answered as Redis does", FirstLine(error.Message)),
            _ => NetworkFailure.FromSocket(System.Net.Sockets.SocketError.ConnectionReset, Host, Port, Timeout, FirstLine(error.Message)),
        };
    }

    private static string FirstLine(string text) => text.Split('\n')[0].Trim();
}
