using System.Formats.Tar;
using System.IO.Compression;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// `tend diag` (issue 13): one 0600 archive with a checksum manifest, and no planted secret
/// anywhere in it: not in a file, not in a file's name, not in the manifest, logs and command
/// lines included (sos#3462 leaked through its manifest; aistack copied logs raw).
/// </summary>
public sealed class DiagSpecs : IAsyncLifetime
{
    /// <summary>The corpus: each value must appear 0 times in the archive's bytes.</summary>
    private static readonly (string What, string Value)[] Planted =
    [
        ("env file API_KEY", "Pl4ntApiKeyValue"),
        ("URL userinfo in argv", "Pl4ntUrlPass9"),
        ("password with spaces", "correct horse Pl4ntSpaced battery"),
        ("a word of the password with spaces", "Pl4ntSpaced"),
        ("Bearer token printed", "Pl4ntBearerTok3n99"),
        ("JWT printed", "eyJzdWIiOiJQbDRudEp3dCJ9"),
        ("JWT signature printed", "Pl4ntJwtSig_0123"),
        ("PEM private key body", "MIIEpAIBAAKCAQEAPl4ntPemBody0123456789abcdef"),
        ("password_env value", "Pl4ntPwEnvValue"),
        ("the stack's own redact pattern", "CUST-424242"),
    ];

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public DiagSpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    [Fact(Timeout = 180_000)]
    public async Task A_planted_secret_corpus_appears_nowhere_in_the_archive_logs_names_and_manifest_included()
    {
        var closed = LocalServer.FreePort();
        _directory.Write("secrets.env", "API_KEY=Pl4ntApiKeyValue\nDB_PASSWORD=\"correct horse Pl4ntSpaced battery\"\n");
        _directory.Write("tend.toml", $$"""
            [stack]
            name = "corpus"
            env_file = "secrets.env"
            redact = ['CUST-[0-9]{6}']

            [components.app]
            env_file = "secrets.env"
            min_uptime = "0s"
            command = ["sh", "-c", '''
            echo "args: $*"
            echo "API_KEY=$API_KEY"
            echo "pw-env: $SERVICE_DB_PW"
            echo 'curl -H "Authorization: Bearer Pl4ntBearerTok3n99" https://api.local/v1'
            echo 'token eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJQbDRudEp3dCJ9.Pl4ntJwtSig_0123'
            echo '-----BEGIN RSA PRIVATE KEY-----'
            echo 'MIIEpAIBAAKCAQEAPl4ntPemBody0123456789abcdef'
            echo '-----END RSA PRIVATE KEY-----'
            echo 'order CUST-424242 shipped'
            echo ready-marker
            sleep 600 & wait
            ''', "sh", "--db", "postgres://app:Pl4ntUrlPass9@127.0.0.1:{{closed}}/x", "--password", "${DB_PASSWORD}"]

            [components.checked]
            command = ["sleep", "600"]
            preflight = [{ postgres = "postgresql://app@127.0.0.1:{{closed}}/x", password_env = "SERVICE_DB_PW" }]
            """);
        var up = await TendBinary.RunAsync(_directory.Path, new Dictionary<string, string?> { ["SERVICE_DB_PW"] = "Pl4ntPwEnvValue" }, "up", "--detach");
        up.ExitCode.ShouldBe(0, up.ToString());
        var log = Path.Combine(_daemon.Directory, "logs", "app", "current.log");
        await DaemonState.WaitUntilAsync(() => File.Exists(log) && File.ReadAllText(log).Contains("ready-marker", StringComparison.Ordinal));

        // They are there to leak: the log and the command line hold every one (but the pattern's, which is the stack's own).
        var raw = File.ReadAllText(log) + ProcessCommandLines();
        foreach (var (what, value) in Planted)
        {
            raw.ShouldContain(value, Case.Sensitive, $"the corpus did not plant {what}");
        }

        // Run from a shell without the password_env variable: diag learns it from the daemon's environment.
        var diag = await TendBinary.RunAsync(_directory.Path, new Dictionary<string, string?> { ["SERVICE_DB_PW"] = null }, "diag", "--output", "bundle.tar.gz");

        diag.ExitCode.ShouldBe(0, diag.ToString());
        var archive = Path.Combine(_directory.Path, "bundle.tar.gz");
        var tar = Decompress(archive);
        var entries = ReadEntries(tar);
        entries.Keys.ShouldContain("bundle/manifest.json");
        entries.Keys.ShouldContain("bundle/logs/app/run-1.log");
        entries.Keys.ShouldContain("bundle/processes.txt");
        entries.Keys.ShouldContain("bundle/config/tend.toml");
        entries.Keys.ShouldContain("bundle/config/secrets.env");
        foreach (var (what, value) in Planted)
        {
            Occurrences(tar, Encoding.UTF8.GetBytes(value)).ShouldBe(0, $"{what} ({value}) is in the archive's bytes");
            foreach (var (name, bytes) in entries)
            {
                name.ShouldNotContain(value);
                Encoding.UTF8.GetString(bytes).ShouldNotContain(value, Case.Sensitive, $"{what} is in {name}");
            }
        }

        // What was masked is still readable around the mask, and counted per rule.
        Encoding.UTF8.GetString(entries["bundle/logs/app/run-1.log"]).ShouldContain("Authorization: Bearer ***");
        Encoding.UTF8.GetString(entries["bundle/processes.txt"]).ShouldContain("postgres://app:***@127.0.0.1");
        var manifest = JsonDocument.Parse(entries["bundle/manifest.json"]).RootElement;
        var redactions = manifest.GetProperty("redactions");
        redactions.GetProperty("stack_redact:tend.toml:4").GetInt32().ShouldBeGreaterThan(0);
        redactions.GetProperty("known_value").GetInt32().ShouldBeGreaterThan(0);
        redactions.GetProperty("private_key").GetInt32().ShouldBeGreaterThan(0);
        AssertManifestMatches(manifest, entries);
        diag.Stdout.ShouldContain("bundle.tar.gz");
        diag.Stdout.ShouldContain("known_value");
        File.GetUnixFileMode(archive).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_archive_is_private_from_its_first_byte_named_after_the_stack_and_its_manifest_matches_every_entry()
    {
        _directory.Write("tend.toml", """
            [stack]
            name = "my stack"

            [components.app]
            command = ["sleep", "600"]
            """);

        var diag = await TendBinary.RunAsync(_directory.Path, "diag");

        diag.ExitCode.ShouldBe(0, diag.ToString());
        var archive = Directory.GetFiles(_directory.Path, "*.tar.gz").ShouldHaveSingleItem();
        File.GetUnixFileMode(archive).ShouldBe(UnixFileMode.UserRead | UnixFileMode.UserWrite);
        Path.GetFileName(archive).ShouldMatch(@"^tend-diag-my-stack-\d{8}-\d{6}\.tar\.gz$");
        Directory.GetFiles(_directory.Path, ".*.tmp").ShouldBeEmpty("the temporary file was renamed");
        var entries = ReadEntries(Decompress(archive));
        var root = Path.GetFileName(archive)[..^".tar.gz".Length];
        Encoding.UTF8.GetString(entries[$"{root}/status.txt"]).ShouldContain("no daemon runs for this stack");
        entries.Keys.ShouldContain($"{root}/system.txt");
        entries.Keys.ShouldContain($"{root}/ports.txt");
        entries.Keys.ShouldContain($"{root}/versions.txt");
        entries.Keys.ShouldContain($"{root}/preflight.txt");
        AssertManifestMatches(JsonDocument.Parse(entries[$"{root}/manifest.json"]).RootElement, entries);
    }

    [Fact(Timeout = 120_000)]
    public async Task Without_a_daemon_it_still_writes_a_bundle_and_no_logs_or_no_config_leave_those_out()
    {
        _directory.Write("tend.toml", """
            [stack]
            name = "quiet"

            [components.seed]
            kind = "job"
            command = ["sh", "-c", "echo seeded"]
            """);
        (await TendBinary.RunAsync(_directory.Path, "up")).ExitCode.ShouldBe(0);
        (await TendBinary.RunAsync(_directory.Path, "daemon", "stop")).ExitCode.ShouldBe(0);

        var full = await TendBinary.RunAsync(_directory.Path, "diag");
        var bare = await TendBinary.RunAsync(_directory.Path, "diag", "--no-logs", "--no-config", "--since", "2h", "-o", "bare.tar.gz");

        full.ExitCode.ShouldBe(0, full.ToString());
        var named = Directory.GetFiles(_directory.Path, "tend-diag-quiet-*.tar.gz").ShouldHaveSingleItem();
        Path.GetFileName(named).ShouldMatch(@"^tend-diag-quiet-\d{8}-\d{6}\.tar\.gz$");
        var fullEntries = ReadEntries(Decompress(named));
        var root = Path.GetFileName(named)[..^".tar.gz".Length];
        Encoding.UTF8.GetString(fullEntries[$"{root}/status.txt"]).ShouldContain("no daemon runs for this stack");
        Encoding.UTF8.GetString(fullEntries[$"{root}/logs/seed/run-1.log"]).ShouldContain("seeded");
        fullEntries.Keys.ShouldContain($"{root}/config/tend.toml");
        fullEntries.Keys.ShouldContain($"{root}/daemon.log");
        AssertManifestMatches(JsonDocument.Parse(fullEntries[$"{root}/manifest.json"]).RootElement, fullEntries);

        bare.ExitCode.ShouldBe(0, bare.ToString());
        var bareEntries = ReadEntries(Decompress(Path.Combine(_directory.Path, "bare.tar.gz")));
        bareEntries.Keys.ShouldNotContain(k => k.StartsWith("bare/logs/", StringComparison.Ordinal) || k.StartsWith("bare/config/", StringComparison.Ordinal) || k == "bare/daemon.log");
        bareEntries.Keys.ShouldContain("bare/events.jsonl");
        var manifest = JsonDocument.Parse(bareEntries["bare/manifest.json"]).RootElement;
        manifest.GetProperty("since").GetString().ShouldBe("2h");
        manifest.GetProperty("left_out").EnumerateArray().Select(e => e.GetString()).ShouldContain(s => s!.Contains("--no-logs", StringComparison.Ordinal));
        AssertManifestMatches(manifest, bareEntries);
    }

    [Fact(Timeout = 30_000)]
    public async Task An_invalid_redact_pattern_is_a_usage_error_at_its_line_and_nothing_is_written()
    {
        _directory.Write("tend.toml", """
            [stack]
            name = "broken"
            redact = ["fine", "unclosed(["]

            [components.app]
            command = ["sleep", "600"]
            """);

        var diag = await TendBinary.RunAsync(_directory.Path, "diag");

        diag.ExitCode.ShouldBe(2, diag.ToString());
        diag.Stderr.ShouldContain("tend.toml:3:");
        diag.Stderr.ShouldContain("stack.redact[1] is not a valid regular expression");
        Directory.GetFiles(_directory.Path, "*.tar.gz").ShouldBeEmpty();
    }

    [Theory(Timeout = 30_000)]
    [InlineData("--since", "soon")]
    [InlineData("--since", "0s")]
    [InlineData("--since", "99999999999d")]
    [InlineData("--output", "")]
    [InlineData("--bogus")]
    public async Task A_bad_flag_is_a_usage_error(params string[] args)
    {
        _directory.Write("tend.toml", """
            [components.app]
            command = ["sleep", "600"]
            """);

        var diag = await TendBinary.RunAsync(_directory.Path, ["diag", .. args]);

        diag.ExitCode.ShouldBe(2, diag.ToString());
        Directory.GetFiles(_directory.Path, "*.tar.gz").ShouldBeEmpty();
    }

    /// <summary>Every entry but the manifest is listed in it, with its size and the SHA-256 of its bytes; nothing else is listed.</summary>
    private static void AssertManifestMatches(JsonElement manifest, Dictionary<string, byte[]> entries)
    {
        var listed = manifest.GetProperty("files").EnumerateArray().ToDictionary(f => f.GetProperty("name").GetString()!, f => f);
        listed.Keys.ShouldBe(entries.Keys.Where(k => !k.EndsWith("/manifest.json", StringComparison.Ordinal)), ignoreOrder: true);
        foreach (var (name, file) in listed)
        {
            file.GetProperty("size").GetInt64().ShouldBe(entries[name].Length, name);
            file.GetProperty("sha256").GetString().ShouldBe(Convert.ToHexStringLower(SHA256.HashData(entries[name])), name);
        }
    }

    /// <summary>The command lines of every process of this test's stack, as /proc has them.</summary>
    private static string ProcessCommandLines()
    {
        var text = new StringBuilder();
        foreach (var directory in Directory.GetDirectories("/proc").Where(d => int.TryParse(Path.GetFileName(d), out _)))
        {
            try
            {
                var cmdline = File.ReadAllText(Path.Combine(directory, "cmdline")).Replace('\0', ' ');
                if (cmdline.Contains("ready-marker", StringComparison.Ordinal))
                {
                    text.Append(cmdline).Append('\n');
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                // A process that ended while we looked.
            }
        }

        return text.ToString();
    }

    private static byte[] Decompress(string path)
    {
        using var file = File.OpenRead(path);
        using var gzip = new GZipStream(file, CompressionMode.Decompress);
        using var memory = new MemoryStream();
        gzip.CopyTo(memory);
        return memory.ToArray();
    }

    private static Dictionary<string, byte[]> ReadEntries(byte[] tar)
    {
        var entries = new Dictionary<string, byte[]>(StringComparer.Ordinal);
        using var reader = new TarReader(new MemoryStream(tar));
        while (reader.GetNextEntry() is { } entry)
        {
            using var data = new MemoryStream();
            entry.DataStream?.CopyTo(data);
            entries[entry.Name] = data.ToArray();
        }

        return entries;
    }

    private static int Occurrences(byte[] haystack, byte[] needle)
    {
        var count = 0;
        for (var at = haystack.AsSpan().IndexOf(needle); at >= 0; at = haystack.AsSpan(at + 1).IndexOf(needle) is var next && next >= 0 ? at + 1 + next : -1)
        {
            count++;
        }

        return count;
    }
}
