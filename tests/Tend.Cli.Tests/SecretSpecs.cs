using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// Secrets Tend knows (from env, env files, ${VAR}, password_env, URLs in the stack file) never
/// reach what it writes or prints about a stack, whatever their names look like; the child still
/// gets them unchanged.
/// </summary>
public sealed class SecretSpecs : IAsyncLifetime
{
    /// <summary>Planted values, none under a name or in a shape the pattern redactor alone would catch.</summary>
    private static readonly string[] Planted =
    [
        "rk_live_Pl4ntedOne",      // env table, STRIPE_KEY
        "s3cr3tPl4ntedTwo",        // component env_file, UPSTREAM
        "Pl4ntedDotEnv",           // .env, interpolated into argv bare and in a URL
        "Pl4ntedCheckUrl",         // the password of a postgres check's URL
        "Pl4ntedFromShell",        // what a check's password_env names, in tend's environment
        "Pl4ntedHttp",             // the password of a health URL
        "horse Pl4ntedWords",      // a passphrase with spaces after --password: its first word alone is what a pattern masks
    ];

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public SecretSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private static string Argv(params string[] args) => Dummy.TomlArgv(args);

    [Fact(Timeout = 120_000)]
    public async Task Planted_secrets_appear_nowhere_in_events_why_peek_or_status()
    {
        var closed = LocalServer.FreePort();
        _directory.Write(".env", "DB_PASS=Pl4ntedDotEnv\nDB_PASSPHRASE=\"correct horse Pl4ntedWords\"\n");
        _directory.Write("doomed.env", "UPSTREAM=\"s3cr3tPl4ntedTwo\"\n");
        _directory.Write("tend.toml", $$"""
            [components.doomed]
            command = {{Argv("env", "--password", "${DB_PASSPHRASE}", "STRIPE_KEY", "UPSTREAM", "PGPASS_FOR_CHECK", "Pl4ntedCheckUrl", "${DB_PASS}", "--db-url", "postgres://app:${DB_PASS}@127.0.0.1/x")}}
            env = { STRIPE_KEY = "rk_live_Pl4ntedOne" }
            env_file = "doomed.env"
            restart = { policy = "always", backoff = "0s", budget = "2/1h" }

            [components.checked]
            command = {{Argv("sleep", "600000")}}
            preflight = [
              { postgres = "postgres://app:Pl4ntedCheckUrl@127.0.0.1:{{closed}}/x" },
              { postgres = "postgresql://app@127.0.0.1:{{closed}}/x", password_env = "PGPASS_FOR_CHECK" },
            ]

            [components.probed]
            command = {{Argv("sleep", "600000")}}
            health = { http = "http://monitor:Pl4ntedHttp@127.0.0.1:{{closed}}/health", interval = "200ms", retries = 1, start_period = "1s" }
            """);
        var shell = new Dictionary<string, string?> { ["PGPASS_FOR_CHECK"] = "Pl4ntedFromShell" };

        var up = await TendBinary.RunAsync(_directory.Path, shell, "up", "--detach");
        up.ExitCode.ShouldBe(0, up.ToString());
        await DaemonState.WaitUntilAsync(() =>
        {
            var events = _daemon.ReadEvents();
            return events.Any(e => Is(e, "crash_loop", "doomed")) && events.Any(e => Is(e, "preflight_failed", "checked")) && events.Any(e => Is(e, "probe_failed", "probed"));
        });

        var seen = new Dictionary<string, string>
        {
            ["events files"] = string.Join('\n', Directory.GetFiles(Path.Combine(_daemon.Directory, "events")).Select(File.ReadAllText)),
            ["state.json"] = File.ReadAllText(Path.Combine(_daemon.Directory, "state.json")),
        };
        foreach (var args in new string[][] { ["why", "doomed"], ["why", "checked"], ["why", "probed"], ["peek", "--json"], ["peek"], ["status", "--json"], ["status"], ["events", "--json"] })
        {
            var result = await TendBinary.RunAsync(_directory.Path, shell, args);
            seen[$"tend {string.Join(' ', args)}"] = result.Stdout + result.Stderr;
        }

        // They were there to leak: the child printed them, and the events tell of its starts.
        var log = (await TendBinary.RunAsync(_directory.Path, "logs", "doomed", "-n", "20")).Stdout;
        log.ShouldContain("STRIPE_KEY=rk_live_Pl4ntedOne");
        log.ShouldContain("PGPASS_FOR_CHECK=Pl4ntedFromShell");
        seen["tend why doomed"].ShouldContain("STRIPE_KEY=***");
        seen["events files"].ShouldContain("component_starting");
        foreach (var (where, text) in seen)
        {
            foreach (var secret in Planted)
            {
                text.ShouldNotContain(secret, Case.Sensitive, $"{where} shows {secret}:\n{text}");
            }
        }
    }

    private static bool Is(JsonElement e, string kind, string component) =>
        e.GetProperty("event").GetString() == kind && e.TryGetProperty("component", out var c) && c.GetString() == component;
}
