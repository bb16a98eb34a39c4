using System.Diagnostics;
using System.Text.Json;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>A stack whose state directory is on a disk that fills up (a real small tmpfs): the daemon goes on from memory, says so, and catches up.</summary>
public sealed class FullDiskSpecs : IAsyncLifetime
{
    private TinyFilesystem? _disk;
    private DaemonState? _daemon;

    private string Directory => _disk!.Path;

    public async ValueTask InitializeAsync()
    {
        _disk = await TinyFilesystem.MountAsync(kibibytes: 2048);
        _daemon = new DaemonState(Directory);
        File.WriteAllText(Path.Combine(Directory, "tend.toml"), $$"""
            [components.app]
            command = {{Dummy.TomlArgv("sleep", "600000")}}
            min_uptime = "0s"
            """);
    }

    public async ValueTask DisposeAsync()
    {
        if (_daemon is not null)
        {
            await Tend("daemon", "stop");
            await _daemon.StopDaemonAsync();
        }

        _disk?.Dispose();
    }

    // -f, for the directory is reached through /proc/PID/root: a process standing in it finds its own getcwd(3) in the other mount namespace's terms.
    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(Directory, [.. args, "-f", Path.Combine(Directory, "tend.toml")]);

    private string StatePath => Path.Combine(_daemon!.Directory, "state.json");

    private static long? AppPid(JsonElement snapshot) =>
        snapshot.GetProperty("components").EnumerateArray().Single(c => c.GetProperty("name").GetString() == "app").TryGetProperty("pid", out var pid) ? pid.GetInt64() : null;

    private JsonElement StateOnDisk() => JsonDocument.Parse(File.ReadAllText(StatePath)).RootElement;

    [Fact(Timeout = 120_000)]
    public async Task A_daemon_whose_disk_fills_up_goes_on_from_memory_says_so_and_writes_state_json_again_when_there_is_room()
    {
        (await Tend("up")).ExitCode.ShouldBe(0);
        var before = AppPid((await Tend("status", "--json")).Json).ShouldNotBeNull();
        // state.json is written shortly after the change it records: on a loaded machine the disk could fill before the running app reached it.
        await DaemonState.WaitUntilAsync(() => AppPid(StateOnDisk()) == before);
        var filler = _disk!.Fill();

        var restart = await Tend("restart", "app");
        restart.ExitCode.ShouldBe(0, restart.ToString());
        var status = await Tend("status", "--json");
        var after = AppPid(status.Json).ShouldNotBeNull();
        after.ShouldNotBe(before);
        var warnings = status.Json.GetProperty("warnings").EnumerateArray().ToList();
        warnings.ShouldContain(w => w.GetProperty("area").GetString() == "state" && w.GetProperty("message").GetString()!.Contains("No space left on device"));
        AppPid(StateOnDisk()).ShouldBe(before, "state.json could not be written: it still holds the last state it could");
        (await Tend("status")).Stdout.ShouldContain("state.json cannot be written (No space left on device)");

        File.Delete(filler);
        await DaemonState.WaitUntilAsync(() => AppPid(StateOnDisk()) == after && !StateOnDisk().TryGetProperty("warnings", out _));

        (await Tend("status", "--json")).Json.TryGetProperty("warnings", out _).ShouldBeFalse("the trouble is over");
        var lines = System.IO.Directory.GetFiles(Path.Combine(_daemon!.Directory, "events"), "events-*.jsonl").SelectMany(File.ReadAllLines).ToList();
        lines.ShouldAllBe(l => l.StartsWith('{') && l.EndsWith('}'), "no torn line");
        var kinds = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("event").GetString()).ToList();
        kinds.ShouldContain("state_write_resumed");
        (await Tend("down")).ExitCode.ShouldBe(0);
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_on_a_full_disk_is_refused_at_once_with_the_reason_and_a_next_step_that_works()
    {
        _disk!.Fill();

        var watch = Stopwatch.StartNew();
        var up = await Tend("up");
        watch.Stop();

        up.ExitCode.ShouldBe(1, up.ToString());
        up.Stderr.ShouldContain("cannot write in the state directory");
        up.Stderr.ShouldContain("No space left on device");
        up.Stderr.ShouldNotContain(" : '", customMessage: ".NET's path suffix is not the user's business");
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(10), "not the daemon's 15 s start timeout");
        _daemon!.ReadDaemonPid().ShouldBeNull();

        var step = up.Stderr[up.Stderr.IndexOf("df -h ", StringComparison.Ordinal)..];
        step = step[..step.IndexOf(" shows", StringComparison.Ordinal)];
        var typed = await TypedCommand.RunAsync(step, Directory);
        typed.ExitCode.ShouldBe(0, typed.Output);
        // df's own figures here are of the host's /tmp: it looks the path up in its mount table, and this one's mount is in a namespace of its own.
        typed.Output.ShouldContain("Avail");
    }
}
