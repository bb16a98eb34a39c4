using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Updates;

namespace Tend.Core.Tests.Updates;

/// <summary>`update = { ... }`, `[stack] updates`, tend.lock and versions as a user writes them.</summary>
public sealed class UpdateConfigSpecs
{
    private static StackLoadResult Load(string toml) => StackFileLoader.Parse(toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    private static string Error(string toml)
    {
        var result = Load(toml);
        result.Succeeded.ShouldBeFalse();
        return string.Join("\n", result.Errors.Select(e => e.ToString()));
    }

    [Fact]
    public void An_update_reads_with_its_defaults_and_fills_in_the_version()
    {
        var stack = Load("""
            [components.api]
            command = ["./api"]
            update = { set = ["ln", "-sfn", "releases/{version}", "current"], current = ["readlink", "current"] }
            """).Stack!;

        var update = stack.Find("api")!.Update!;
        (update.Passes, update.Window, update.Versions).ShouldBe((3, TimeSpan.FromSeconds(60), null));
        update.SetTo("1.4.2").ShouldBe(["ln", "-sfn", "releases/1.4.2", "current"]);
        stack.Updates.ShouldBe(UpdatesPolicy.Allowed);
        stack.LockPath.ShouldBe("/tmp/tend.lock");
        Load("[stack]\nupdates = \"pinned\"\n[components.api]\ncommand = [\"./api\"]").Stack!.Updates.ShouldBe(UpdatesPolicy.Pinned);
    }

    [Fact]
    public void Mistakes_are_errors_at_their_line()
    {
        Error("[components.api]\ncommand = [\"./api\"]\nupdate = { set = [\"./deploy\"], current = [\"cat\", \"v\"] }").ShouldContain("tend.toml:3:18: error: components.api.update.set never says {version}");
        Error("[components.api]\ncommand = [\"./api\"]\nupdate = { set = [\"./deploy\", \"{version}\"] }").ShouldContain("missing required key 'current'");
        Error("[components.api]\ncommand = [\"./api\"]\nupdate = { set = [\"./deploy\", \"{version}\"], current = [\"cat\", \"v\"], pases = 3 }").ShouldContain("did you mean 'passes'");
        Error("[components.db]\nhealth = { tcp = \"127.0.0.1:5432\" }\nupdate = { set = [\"x\", \"{version}\"], current = [\"cat\", \"v\"] }").ShouldContain("components.db is external");
        Error("[stack]\nupdates = \"frozen\"\n[components.api]\ncommand = [\"./api\"]").ShouldContain("\"allowed\", \"pinned\"");
    }

    [Fact]
    public void Changing_how_a_component_is_updated_restarts_nothing()
    {
        var before = Load("[components.api]\ncommand = [\"./api\"]").Stack!;
        var after = Load("[components.api]\ncommand = [\"./api\"]\nupdate = { set = [\"x\", \"{version}\"], current = [\"cat\", \"v\"] }").Stack!;

        var change = StackChanges.Between(before, after).Changed.Single();

        change.Settings.ShouldBe(["update"]);
        change.NeedsRestart.ShouldBeFalse();
    }

    [Fact]
    public void The_lock_file_round_trips_and_reads_its_mistakes_at_their_line()
    {
        var at = new DateTimeOffset(2026, 11, 29, 10, 12, 3, TimeSpan.Zero);
        var lockFile = LockFile.Empty.With("api", new LockedVersion("1.4.2", "sha256:9f86d0", at)).With("worker.v2", new LockedVersion("quote\"d", null, null));

        var text = lockFile.Write();
        var (read, problems) = LockFile.Parse(text, "tend.lock");

        problems.ShouldBeEmpty();
        read!.Of("api").ShouldBe(new LockedVersion("1.4.2", "sha256:9f86d0", at));
        read.Of("worker.v2")!.Version.ShouldBe("quote\"d");
        text.ShouldContain("[components.api]\nversion = \"1.4.2\"\ndigest = \"sha256:9f86d0\"\nset_at = \"2026-11-29T10:12:03Z\"");

        var (broken, errors) = LockFile.Parse("[components.api]\nversoin = \"1\"\n", "tend.lock");
        broken.ShouldBeNull();
        errors.Select(e => e.ToString()).ShouldContain(e => e.StartsWith("tend.lock:2:1: error: components.api.versoin", StringComparison.Ordinal));
        LockFile.Read("/nonexistent/tend.lock").Lock.ShouldBe(LockFile.Empty);
    }

    [Theory]
    [InlineData("1.4.2", null)]
    [InlineData("v2026.11.29-rc1+build.7", null)]
    [InlineData("ghcr.io/org/app:1.2@sha256:abc", null)]
    [InlineData("-rf", "begins with '-'")]
    [InlineData("1.0 2.0", "spaces")]
    [InlineData("../x", "climbs")]
    [InlineData("", "empty")]
    public void A_version_that_could_be_an_option_or_climb_out_is_refused(string version, string? problem)
    {
        if (problem is null)
        {
            VersionText.Problem(version).ShouldBeNull();
        }
        else
        {
            VersionText.Problem(version)!.ShouldContain(problem);
        }
    }

    [Fact]
    public void Current_prints_the_version_first_and_maybe_a_digest_and_versions_one_per_line()
    {
        VersionCommands.ParseCurrent("\n  1.4.2  sha256:9f86d0 \nmore\n").ShouldBe(new VersionReading("1.4.2", "sha256:9f86d0"));
        VersionCommands.ParseCurrent("1.4.2\n").ShouldBe(new VersionReading("1.4.2", null));
        VersionCommands.ParseCurrent(" \n").ShouldBeNull();
        VersionCommands.ParseVersions("# tags\n1.0\n1.1 2026-11-01\n\n1.1\n").ShouldBe(["1.0", "1.1"]);
    }
}
