using Tend.Core.Events;

namespace Tend.Core.Tests.Events;

public sealed class RedactorSpecs
{
    [Theory]
    [InlineData("password=hunter2", "password=***")]
    [InlineData("PGPASSWORD=hunter2 psql -h db", "PGPASSWORD=*** psql -h db")]
    [InlineData("export DB_PASSWORD='s3cr3t pass'", "export DB_PASSWORD='***'")]
    [InlineData("token: abc123", "token: ***")]
    [InlineData("GITHUB_TOKEN=abcdef", "GITHUB_TOKEN=***")]
    [InlineData("""{"user": "bob", "password": "hun\"ter2", "port": 5432}""", """{"user": "bob", "password": "***", "port": 5432}""")]
    [InlineData("{'api_key': 'k-123', 'model': 'llama3'}", "{'api_key': '***', 'model': 'llama3'}")]
    [InlineData("x-api-key: 0123456789", "x-api-key: ***")]
    [InlineData("client_secret=abc&grant_type=client_credentials", "client_secret=***&grant_type=client_credentials")]
    [InlineData("GET /cb?code=1&access_token=abc.def HTTP/1.1", "GET /cb?code=1&access_token=*** HTTP/1.1")]
    [InlineData("aws_secret_access_key = wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY", "aws_secret_access_key = ***")]
    [InlineData("DB_PWD=pa55", "DB_PWD=***")]
    [InlineData("Authorization: Bearer eyJhbGciOi.abc.def", "Authorization: Bearer ***")]
    [InlineData("authorization: Basic dXNlcjpwYXNz", "authorization: Basic ***")]
    [InlineData("""{"Authorization":"Token 0f1e2d3c"}""", """{"Authorization":"Token ***"}""")]
    [InlineData("curl -H 'Authorization: Bearer abc123def456' http://x", "curl -H 'Authorization: Bearer ***' http://x")]
    [InlineData("sent bearer 9f8e7d6c5b4a3f2e1d0c to upstream", "sent bearer *** to upstream")]
    [InlineData("postgres://backend:s3cret@127.0.0.1:8101/backend", "postgres://backend:***@127.0.0.1:8101/backend")]
    [InlineData("postgresql://user:p@ss@db.local/app", "postgresql://user:***@db.local/app")]
    [InlineData("redis://:redispass@localhost:6379/0", "redis://:***@localhost:6379/0")]
    [InlineData("connecting to https://admin:admin123@grafana.local/api", "connecting to https://admin:***@grafana.local/api")]
    [InlineData("using key AKIAIOSFODNN7EXAMPLE now", "using key AKIA*** now")]
    [InlineData("ghp_abcdefghijklmnopqrstuvwxyz0123456789 pushed", "ghp_*** pushed")]
    [InlineData("OPENAI key sk-proj-abcdefghijklmnopqrstuvwx1234", "OPENAI key sk-***")]
    [InlineData("hf_abcdefghijklmnopqrstuvwxyzABCDEF", "hf_***")]
    [InlineData("xoxb-1234567890-abcdefghij", "xoxb-***")]
    [InlineData("jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abcdefGHIJ_kl", "jwt eyJ***")]
    [InlineData("mysql --password s3cret -u root", "mysql --password *** -u root")]
    [InlineData("STRIPE_KEY=sk_test_abc DB_PASS=hunter2x", "STRIPE_KEY=*** DB_PASS=***")]
    [InlineData("run --token=abc123 --verbose", "run --token=*** --verbose")]
    [InlineData("invalid token 4f9a8b7c6d5e4f3a2b1c0d9e8f7a6b5c", "invalid token ***")]
    [InlineData("the api key is AbCdEf0123456789GhIj", "the api key is ***")]
    public void A_planted_secret_is_masked_and_the_rest_is_kept(string text, string expected) =>
        Redactor.Redact(text).ShouldBe(expected);

    [Theory]
    [InlineData("max_tokens=512 temperature=0.7")]
    [InlineData("tokens: 1200, prompt_tokens: 800")]
    [InlineData("token_count=17")]
    [InlineData("password_env = \"PGPASSWORD\"")]
    [InlineData("password = \"${PGPASSWORD}\"")]
    [InlineData("password: null")]
    [InlineData("author: Jane Doe")]
    [InlineData("passed: 12, failed: 0")]
    [InlineData("PWD=/home/tend OLDPWD=/tmp")]
    [InlineData("keyboard layout us")]
    [InlineData("the token was rejected: expired")]
    [InlineData("password authentication failed for user \"postgres\"")]
    [InlineData("bearer authentication is required")]
    [InlineData("connection refused at 127.0.0.1:5432")]
    [InlineData("GET http://127.0.0.1:8091/health?verbose=1 200")]
    [InlineData("postgres://backend@127.0.0.1:8101/backend")]
    [InlineData("commit 3f8a9c2d1e0b4a5f6c7d8e9f0a1b2c3d4e5f6a7b merged")]
    [InlineData("request 123e4567-e89b-12d3-a456-426614174000 done in 3 ms")]
    [InlineData("Traceback (most recent call last):\n  File \"app.py\", line 3, in <module>\nKeyError: 'user_id'")]
    [InlineData("a task-abcdefghijklmnopqrstuvwxyz0123 ran")]
    public void Text_without_secrets_is_left_as_it_is(string text) =>
        Redactor.Redact(text).ShouldBe(text);

    [Fact]
    public void A_private_key_block_is_masked_across_log_lines()
    {
        string[] tail = ["loading key", "-----BEGIN RSA PRIVATE KEY-----", "MIIEowIBAAKCAQEA1234", "abcdEFGH5678", "-----END RSA PRIVATE KEY-----", "key loaded"];

        Redactor.RedactLines(tail).ShouldBe(["loading key", "-----BEGIN RSA PRIVATE KEY----- *** -----END RSA PRIVATE KEY-----", "key loaded"]);
    }

    [Fact]
    public void A_private_key_cut_off_by_the_tail_is_masked_to_the_end()
    {
        var text = "config:\n-----BEGIN OPENSSH PRIVATE KEY-----\nb3BlbnNzaC1rZXktdjEAAAAA\nAAAABG5vbmU";

        Redactor.Redact(text).ShouldBe("config:\n-----BEGIN OPENSSH PRIVATE KEY----- ***");
    }

    [Fact]
    public void A_public_key_or_certificate_is_not_a_secret()
    {
        var text = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----";

        Redactor.Redact(text).ShouldBe(text);
    }

    [Fact]
    public void Redacting_twice_changes_nothing_more()
    {
        var once = Redactor.Redact("password=x token: y postgres://u:p@h/db Authorization: Bearer abc123def");

        Redactor.Redact(once).ShouldBe(once);
    }

    [Fact]
    public void Several_secrets_on_one_line_are_all_masked()
    {
        var redacted = Redactor.Redact("db=postgres://app:pw1@db:5432/x redis_password=pw2 Authorization: Bearer tok3456789 key AKIAIOSFODNN7EXAMPLE");

        redacted.ShouldBe("db=postgres://app:***@db:5432/x redis_password=*** Authorization: Bearer *** key AKIA***");
        foreach (var secret in new[] { "pw1", "pw2", "tok3456789", "IOSFODNN7EXAMPLE" })
        {
            redacted.ShouldNotContain(secret);
        }
    }
}
