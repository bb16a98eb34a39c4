using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests;

/// <summary>
/// Which values of a stack Tend knows to be secret: those of secret-looking names, those that look
/// like credentials wherever they come from, URL passwords and what password_env names. Plain
/// settings stay readable.
/// </summary>
public sealed class StackSecretsSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static readonly Dictionary<string, string> Shell = new(StringComparer.Ordinal)
    {
        ["CHECK_PG_PASSWORD"] = "Pl4ntedFromShell",
        ["HOME"] = "/home/someone",
    };

    private SecretValues Load(string toml)
    {
        var path = _directory.Write("tend.toml", toml);
        var result = StackFileLoader.Load(path, name => Shell.GetValueOrDefault(name));
        result.Errors.ShouldBeEmpty();
        return StackSecrets.Of(result.Stack!, name => Shell.GetValueOrDefault(name));
    }

    [Fact]
    public void Secrets_from_names_shapes_urls_and_password_env_are_known_and_plain_settings_are_not()
    {
        _directory.Write(".env", "DB_PASS=Pl4ntedDotEnv\nREGION=eu-west-1\n");
        _directory.Write("api.env", "UPSTREAM=\"s3cr3tPl4ntedTwo\"\nNODE_ENV=production\nPORT=8080\nLANG=en_US.UTF-8\nDATA_DIR=/var/lib/api2024\n");
        var known = Load("""
            [components.api]
            command = ["api", "--db-url", "postgres://app:${DB_PASS}@127.0.0.1/x", "--cache", "redis://:Pl4ntedRedisUrl@127.0.0.1:6379/0", "--region", "${REGION}"]
            env = { STRIPE_KEY = "rk_live_Pl4nted", HOST = "localhost:8080", MODEL = "llama3", SECRET_FILE = "/run/secrets/x" }
            env_file = "api.env"
            preflight = [
              { postgres = "postgres://app:Pl4ntedCheckUrl@127.0.0.1:1/x" },
              { postgres = "postgresql://app@127.0.0.1:1/x", password_env = "CHECK_PG_PASSWORD" },
            ]
            health = { http = "http://monitor:Pl4ntedHttp@127.0.0.1:9/health" }
            """);

        foreach (var secret in new[] { "Pl4ntedDotEnv", "s3cr3tPl4ntedTwo", "rk_live_Pl4nted", "Pl4ntedRedisUrl", "Pl4ntedCheckUrl", "Pl4ntedFromShell", "Pl4ntedHttp" })
        {
            known.Mask($"[{secret}]").ShouldBe("[***]", $"{secret} is a known secret");
        }

        foreach (var plain in new[] { "eu-west-1", "production", "8080", "en_US.UTF-8", "/var/lib/api2024", "localhost:8080", "llama3", "/run/secrets/x", "127.0.0.1", "api", "/home/someone" })
        {
            known.Mask($"[{plain}]").ShouldBe($"[{plain}]", $"{plain} is a plain setting");
        }
    }

    [Fact]
    public void A_value_the_user_marks_secret_is_known_whatever_it_looks_like()
    {
        var known = Load("""
            [components.api]
            command = ["api"]
            env = { UPSTREAM_PHRASE = "correct horse battery", MODE = "production" }
            secrets = ["UPSTREAM_PHRASE"]
            """);

        known.Mask("phrase: correct horse battery, mode production").ShouldBe("phrase: ***, mode production");
    }

    [Theory]
    [InlineData("DB_PASS", true)]
    [InlineData("STRIPE_KEY", true)]
    [InlineData("PGPASSWORD", true)]
    [InlineData("GITHUB_TOKEN", true)]
    [InlineData("client_secret", true)]
    [InlineData("AUTH", true)]
    [InlineData("SECRET_FILE", false)]
    [InlineData("PASSWORD_ENV", false)]
    [InlineData("KEYBOARD", false)]
    [InlineData("PASSAGE", false)]
    [InlineData("TOKEN_URL", false)]
    [InlineData("PORT", false)]
    public void A_name_looks_secret_by_its_words(string name, bool secret) =>
        SecretRule.LooksSecretName(name).ShouldBe(secret);
}
