using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Remote;

/// <summary>
/// A real sshd (Debian's openssh-server) on a free loopback port, as the current user, with a
/// host key and client keys made for the test: each client key's authorized_keys line forces a
/// command, as docs/remote.md tells a user to. The aliases of <see cref="SshCommand"/>'s config:
/// <c>ro</c> (tend api --stdio, read-only), <c>rw</c> (--allow-control) and <c>other</c> (a script
/// that answers the handshake as another version of tend would). Host keys are checked against a
/// known_hosts written from the host key: never StrictHostKeyChecking=no.
/// </summary>
public sealed class SshServer : IAsyncDisposable
{
    public const string Sshd = "/usr/sbin/sshd";

    private readonly TempDirectory _directory = new();
    private Process? _sshd;

    private SshServer()
    {
    }

    /// <summary>What TEND_SSH_COMMAND must be for the aliases to mean this server (ssh reads ~/.ssh of the passwd home, not $HOME).</summary>
    public string SshCommand => $"ssh -F {_directory.Path}/ssh_config";

    public int Pid => _sshd?.Id ?? 0;

    /// <summary>The environment a tend needs to reach the server's aliases.</summary>
    public IReadOnlyDictionary<string, string?> Environment => new Dictionary<string, string?> { ["TEND_SSH_COMMAND"] = SshCommand };

    /// <summary>Starts sshd for the stack file <paramref name="stackFile"/>; skips the test without sshd, fails it under CI.</summary>
    public static async Task<SshServer> StartAsync(string stackFile)
    {
        if (!File.Exists(Sshd))
        {
            var message = $"{Sshd} is missing: install openssh-server (scripts/test.sh does)";
            if (TestServers.UnderCi)
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var server = new SshServer();
        try
        {
            await server.StartAsync(stackFile, TestContext.Current.CancellationToken);
            return server;
        }
        catch
        {
            await server.DisposeAsync();
            throw;
        }
    }

    private async Task StartAsync(string stackFile, CancellationToken cancellationToken)
    {
        var dir = _directory.Path;
        await KeygenAsync("host_key", cancellationToken);
        await KeygenAsync("ro_key", cancellationToken);
        await KeygenAsync("rw_key", cancellationToken);
        await KeygenAsync("other_key", cancellationToken);
        await KeygenAsync("old_key", cancellationToken);

        // sshd gives a forced command a minimal environment: what the debug build's apphost needs is passed on.
        var dotnetRoot = System.Environment.GetEnvironmentVariable("DOTNET_ROOT") is { Length: > 0 } root ? $"DOTNET_ROOT={root} " : "";
        var tend = $"env {dotnetRoot}{TendBinary.Binary} api --stdio -f {stackFile}";
        var other = _directory.Write("other_tend.sh", """
            #!/bin/sh
            # Another tend: answers the hello in protocol 1, then waits for the end of stdin.
            read -r line
            printf '%s\n' '{"id":1,"type":"result","hello":{"version":"0.9.0","protocol":1,"pid":1,"stack":"old","stack_file":"/old/tend.toml"}}'
            cat >/dev/null
            """);
        File.SetUnixFileMode(other, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var older = _directory.Write("old_tend.py", """
            #!/usr/bin/env python3
            # An older tend of the same protocol: it knows hello and logs, and no verb added since.
            import json, sys
            for line in sys.stdin:
                request = json.loads(line)
                rid, verb = request.get("id", 0), request.get("verb")
                if verb == "hello":
                    reply = [{"id": rid, "type": "result", "hello": {"version": "0.9.0", "protocol": 2, "pid": 1, "stack": "old", "stack_file": "/old/tend.toml"}}]
                elif verb == "logs":
                    reply = [{"id": rid, "type": "item", "log": {"time": "2026-11-29T12:00:0%d+00:00" % i, "stream": "out", "text": "old line %d" % i, "continued": False}} for i in (1, 2)]
                    reply.append({"id": rid, "type": "end"})
                else:
                    reply = [{"id": rid, "type": "error", "error": {"code": "malformed", "message": "not a request: unknown verb '%s' (the verbs: hello, logs)" % verb}}]
                for r in reply:
                    print(json.dumps(r), flush=True)
            """);
        File.SetUnixFileMode(older, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        _directory.Write("authorized_keys", string.Join('\n',
            $"command=\"{tend}\",restrict {Key("ro_key")}",
            $"command=\"{tend} --allow-control\",restrict {Key("rw_key")}",
            $"command=\"{other}\",restrict {Key("other_key")}",
            $"command=\"{older}\",restrict {Key("old_key")}",
            ""));

        if (System.Environment.UserName == "root" && !Directory.Exists("/run/sshd"))
        {
            // sshd as root separates privileges into this empty directory, which Debian's unit makes at boot.
            Directory.CreateDirectory("/run/sshd");
        }

        for (var attempt = 0; ; attempt++)
        {
            var port = FreePort();
            _directory.Write("sshd_config", $"""
                Port {port}
                ListenAddress 127.0.0.1
                HostKey {dir}/host_key
                AuthorizedKeysFile {dir}/authorized_keys
                PasswordAuthentication no
                KbdInteractiveAuthentication no
                UsePAM no
                StrictModes no
                PidFile none
                PermitRootLogin prohibit-password
                """);
            _directory.Write("known_hosts", $"[127.0.0.1]:{port} {string.Join(' ', Key("host_key").Split(' ').Take(2))}\n");
            var user = System.Environment.UserName;
            _directory.Write("ssh_config", string.Join('\n', ((string[])["ro", "rw", "other", "old"]).Select(alias => $"""
                Host {alias}
                  HostName 127.0.0.1
                  Port {port}
                  User {user}
                  IdentityFile {dir}/{alias}_key
                  IdentitiesOnly yes
                  UserKnownHostsFile {dir}/known_hosts
                  GlobalKnownHostsFile /dev/null
                  ConnectTimeout 5

                """)));
            if (await TryListenAsync(cancellationToken) is null)
            {
                return;
            }

            if (attempt == 5)
            {
                throw new InvalidOperationException($"sshd did not start: {File.ReadAllText(Path.Combine(dir, "sshd.log"))}");
            }
        }
    }

    /// <summary>Starts sshd and waits until it listens; null when it does, else what it said.</summary>
    private async Task<string?> TryListenAsync(CancellationToken cancellationToken)
    {
        var info = new ProcessStartInfo(Sshd, ["-D", "-e", "-f", Path.Combine(_directory.Path, "sshd_config")])
        {
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        var sshd = Process.Start(info)!;
        var log = new StringBuilder();
        while (await sshd.StandardError.ReadLineAsync(cancellationToken) is { } line)
        {
            log.AppendLine(line);
            if (line.Contains("Server listening", StringComparison.Ordinal))
            {
                _sshd = sshd;

                // The rest of its log, kept for a failing test to read, and so that its stderr never fills.
                _ = CopyAsync(sshd.StandardError, Path.Combine(_directory.Path, "sshd.log"));
                return null;
            }
        }

        await sshd.WaitForExitAsync(cancellationToken);
        sshd.Dispose();
        File.WriteAllText(Path.Combine(_directory.Path, "sshd.log"), log.ToString());
        return log.ToString();
    }

    private static async Task CopyAsync(StreamReader from, string path)
    {
        await using var to = File.AppendText(path);
        to.AutoFlush = true;
        while (await from.ReadLineAsync() is { } line)
        {
            await to.WriteLineAsync(line);
        }
    }

    /// <summary>What sshd logged (a failing test says it).</summary>
    public string Log()
    {
        try
        {
            return File.ReadAllText(Path.Combine(_directory.Path, "sshd.log"));
        }
        catch (IOException)
        {
            return "";
        }
    }

    /// <summary>Kills the sshd this server started, with the sessions it forked (by their PIDs, under its own): the link drops.</summary>
    public void Kill()
    {
        if (_sshd is { HasExited: false } sshd)
        {
            sshd.Kill(entireProcessTree: true);
            sshd.WaitForExit();
        }
    }

    /// <summary>Starts sshd again, on the same port with the same keys, after <see cref="Kill"/>: the link comes back.</summary>
    public async Task RestartAsync(CancellationToken cancellationToken)
    {
        _sshd?.Dispose();
        if (await TryListenAsync(cancellationToken) is { } problem)
        {
            throw new InvalidOperationException($"sshd did not start again: {problem}");
        }
    }

    private string Key(string name) => File.ReadAllText(Path.Combine(_directory.Path, name + ".pub")).Trim();

    private async Task KeygenAsync(string name, CancellationToken cancellationToken)
    {
        using var keygen = Process.Start(new ProcessStartInfo("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", Path.Combine(_directory.Path, name)])
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        })!;
        await keygen.WaitForExitAsync(cancellationToken);
        keygen.ExitCode.ShouldBe(0, await keygen.StandardError.ReadToEndAsync(cancellationToken));
    }

    private static int FreePort()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        return ((IPEndPoint)listener.LocalEndpoint).Port;
    }

    public ValueTask DisposeAsync()
    {
        Kill();
        _sshd?.Dispose();
        _directory.Dispose();
        return ValueTask.CompletedTask;
    }
}
