using System.Diagnostics;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>
/// tend install and uninstall: the unit as the dry run prints it passes systemd-analyze verify
/// without a word, user and system; it is written where systemd looks, never over a unit tend did
/// not write, and not while a daemon of the stack runs outside systemd.
/// </summary>
public sealed class InstallSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();
    private readonly TempDirectory _config = new();

    public InstallSpecs() => _directory.Write("shop/tend.toml", """
        [stack]
        name = "shop"

        [components.web]
        command = ["sleep", "600"]
        min_uptime = "0s"
        stop = { grace = "20s" }
        """);

    private string StackDirectory => Path.Combine(_directory.Path, "shop");

    private string StackFile => Path.Combine(StackDirectory, "tend.toml");

    private string UnitPath => Path.Combine(_config.Path, "systemd", "user", "tend-shop.service");

    public void Dispose()
    {
        TendBinary.RunAsync(StackDirectory, "daemon", "stop").GetAwaiter().GetResult();
        _directory.Dispose();
        _config.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => Tend(new Dictionary<string, string?>(), args);

    private Task<TendResult> Tend(Dictionary<string, string?> environment, params string[] args)
    {
        environment.TryAdd("XDG_CONFIG_HOME", _config.Path);
        environment.TryAdd("SUDO_USER", null);
        return TendBinary.RunAsync(StackDirectory, environment, args);
    }

    [Fact(Timeout = 30_000)]
    public async Task The_dry_run_prints_the_unit_with_absolute_paths_and_writes_nothing()
    {
        var dry = await Tend("install", "--dry-run");

        dry.ExitCode.ShouldBe(0, dry.ToString());
        dry.Stdout.ShouldStartWith("# Written by tend install");
        dry.Stdout.ShouldContain($"\nExecStart={TendBinary.Binary} -f {StackFile} daemon run --up\n");
        dry.Stdout.ShouldContain($"\nWorkingDirectory={StackDirectory}\n");
        dry.Stdout.ShouldContain("\nType=notify\n");
        dry.Stdout.ShouldContain("\nTimeoutStopSec=35\n");
        dry.Stderr.ShouldContain($"would write this to {UnitPath}");
        File.Exists(UnitPath).ShouldBeFalse();
    }

    [Theory(Timeout = 60_000)]
    [InlineData("--user")]
    [InlineData("--system")]
    public async Task The_unit_passes_systemd_analyze_verify_without_a_word(string mode)
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            // scripts/test.sh installs it (package systemd); under CI its absence is a failure, never a skip.
            TestServers.UnderCi.ShouldBeFalse("systemd-analyze is missing: apt-get install systemd");
            Assert.Skip("systemd-analyze is not installed (apt-get install systemd)");
        }

        var dry = await Tend(new Dictionary<string, string?> { ["SUDO_USER"] = "www-data" }, "install", mode, "--dry-run");
        dry.ExitCode.ShouldBe(0, dry.ToString());
        var unit = Path.Combine(_config.Path, "verify", "tend-shop.service");
        Directory.CreateDirectory(Path.GetDirectoryName(unit)!);
        await File.WriteAllTextAsync(unit, dry.Stdout, TestContext.Current.CancellationToken);
        if (mode == "--system")
        {
            dry.Stdout.ShouldContain("\nUser=www-data\n");
        }

        var verify = await VerifyAsync(unit, user: mode == "--user");

        verify.ShouldBeEmpty("systemd-analyze exits 0 on warnings: the lines are what count");
    }

    [Fact(Timeout = 60_000)]
    public async Task The_verify_test_sees_a_bad_unit()
    {
        if (!File.Exists("/usr/bin/systemd-analyze"))
        {
            Assert.Skip("systemd-analyze is not installed");
        }

        var unit = Path.Combine(_config.Path, "verify", "tend-shop.service");
        Directory.CreateDirectory(Path.GetDirectoryName(unit)!);
        await File.WriteAllTextAsync(unit, "[Service]\nExecStart=/bin/true\nKillMode=gently\n", TestContext.Current.CancellationToken);

        (await VerifyAsync(unit, user: true)).ShouldContain("Failed to parse kill mode");
    }

    [Fact(Timeout = 30_000)]
    public async Task Install_writes_the_unit_where_the_user_manager_looks_and_prints_the_commands_to_start_it()
    {
        var install = await Tend("install");

        install.ExitCode.ShouldBe(0, install.ToString());
        File.ReadAllText(UnitPath).ShouldContain($"ExecStart={TendBinary.Binary} -f {StackFile} daemon run --up");
        install.Stdout.ShouldContain($"wrote {UnitPath}");
        install.Stdout.ShouldContain("Next: systemctl --user daemon-reload && systemctl --user enable --now tend-shop.service");
        install.Stdout.ShouldContain("loginctl enable-linger ", customMessage: "linger is off, or cannot be told here: the exact command either way");

        var again = await Tend("install");
        again.ExitCode.ShouldBe(0, "tend rewrites its own unit");
    }

    [Fact(Timeout = 30_000)]
    public async Task A_unit_tend_did_not_write_is_neither_overwritten_nor_removed()
    {
        Directory.CreateDirectory(Path.GetDirectoryName(UnitPath)!);
        await File.WriteAllTextAsync(UnitPath, "[Service]\nExecStart=/usr/bin/mine\n", TestContext.Current.CancellationToken);

        var install = await Tend("install");
        var uninstall = await Tend("uninstall");

        install.ExitCode.ShouldBe(1, install.ToString());
        install.Stderr.ShouldContain("was not written by tend");
        uninstall.ExitCode.ShouldBe(1, uninstall.ToString());
        File.ReadAllText(UnitPath).ShouldBe("[Service]\nExecStart=/usr/bin/mine\n");
    }

    [Fact(Timeout = 60_000)]
    public async Task Install_is_refused_while_a_daemon_of_the_stack_runs_outside_systemd_and_says_how_to_move_it()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);

        var install = await Tend("install");

        install.ExitCode.ShouldBe(1, install.ToString());
        install.Stderr.ShouldContain("a daemon of shop already runs outside systemd");
        install.Stderr.ShouldContain($"tend -f {StackFile} down");
        install.Stderr.ShouldContain($"tend -f {StackFile} install --now");
        File.Exists(UnitPath).ShouldBeFalse();
    }

    [Fact(Timeout = 30_000)]
    public async Task A_system_unit_needs_root_and_the_refusal_gives_the_sudo_command()
    {
        if (!Environment.IsPrivilegedProcess)
        {
            var asUser = await Tend("install", "--system");
            asUser.ExitCode.ShouldBe(1, asUser.ToString());
            asUser.Stderr.ShouldContain($"sudo {TendBinary.Binary} -f {StackFile} install --system");
            return;
        }

        // As root (CI containers): the same binary as an unprivileged user, who may read the stack file.
        File.SetUnixFileMode(_directory.Path, (UnixFileMode)0b111_101_101);
        var nobody = await RunAsNobodyAsync(TendBinary.Binary, "-f", StackFile, "install", "--system");
        nobody.ExitCode.ShouldBe(1, nobody.Output);
        nobody.Output.ShouldContain("tend install --system writes /etc/systemd/system and needs root");
        nobody.Output.ShouldContain($"sudo {TendBinary.Binary} -f {StackFile} install --system");
    }

    [Fact(Timeout = 30_000)]
    public async Task User_and_system_at_once_is_a_usage_error()
    {
        var both = await Tend("install", "--user", "--system");

        both.ExitCode.ShouldBe(2, both.ToString());
        both.Stderr.ShouldContain("--user and --system exclude each other");
    }

    [Fact(Timeout = 30_000)]
    public async Task Uninstall_without_a_unit_has_nothing_to_do()
    {
        var uninstall = await Tend("uninstall");

        uninstall.ExitCode.ShouldBe(0, uninstall.ToString());
        uninstall.Stdout.ShouldContain("nothing to remove");
    }

    private static async Task<string> VerifyAsync(string unit, bool user)
    {
        var runtime = Directory.CreateTempSubdirectory("tend-xdg-");
        try
        {
            var info = new ProcessStartInfo("/usr/bin/systemd-analyze") { RedirectStandardOutput = true, RedirectStandardError = true };
            info.Environment["XDG_RUNTIME_DIR"] = runtime.FullName;
            foreach (var arg in (string[])[.. user ? ["--user"] : Array.Empty<string>(), "verify", unit])
            {
                info.ArgumentList.Add(arg);
            }

            using var process = Process.Start(info)!;
            var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
            var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
            await process.WaitForExitAsync(TestContext.Current.CancellationToken);
            return (await stdout + await stderr).Trim();
        }
        finally
        {
            runtime.Delete(recursive: true);
        }
    }

    private static async Task<(int ExitCode, string Output)> RunAsNobodyAsync(params string[] argv)
    {
        var info = new ProcessStartInfo("setpriv") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = "/" };
        foreach (var arg in (string[])["--reuid=65534", "--regid=65534", "--clear-groups", "--", .. argv])
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment["HOME"] = "/tmp";
        using var process = Process.Start(info)!;
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return (process.ExitCode, await stdout + await stderr);
    }
}
