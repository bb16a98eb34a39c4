using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Operations.Systemd;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Operations;

/// <summary>The unit of tend install, as text: what a careful systemd user would write by hand, with every value escaped as systemd reads it.</summary>
public sealed class UnitFileSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private StackFile Stack(string toml, Dictionary<string, string>? environment = null)
    {
        var path = _directory.Write("my stack/tend.toml", toml);
        var loaded = StackFileLoader.Load(path, name => environment?.GetValueOrDefault(name));
        return loaded.Stack ?? throw new InvalidOperationException(string.Join("; ", loaded.Errors));
    }

    private StackFile Shop => Stack("""
        [stack]
        name = "shop"

        [components.db]
        command = ["sleep", "600"]
        stop = { signal = "INT", grace = "45s" }

        [components.web]
        command = ["sleep", "600"]
        """);

    private static Func<string, string?> Environment(string path) => name => name == "PATH" ? path : null;

    [Fact]
    public void A_user_unit_runs_the_daemon_of_the_stack_file_as_a_notify_service_with_a_watchdog()
    {
        var stack = Shop;
        var text = UnitPlan.For(stack, UnitMode.User, "/opt/tend/bin/tend", Environment("/usr/local/bin:/usr/bin:/bin"), user: "alice").Unit.Text();
        var lines = text.Split('\n');

        lines[0].ShouldBe(UnitFile.Marker);
        lines[1].ShouldBe($"# Stack file: {stack.Path}");
        lines.ShouldContain("Type=notify");
        lines.ShouldContain("NotifyAccess=main");
        lines.ShouldContain($"ExecStart=/opt/tend/bin/tend -f \"{stack.Path}\" daemon run --up");
        lines.ShouldContain($"WorkingDirectory={stack.Directory}");
        lines.ShouldContain("Environment=PATH=/usr/local/bin:/usr/bin:/bin");
        lines.ShouldContain("Environment=TEND_SYSTEMD_UNIT=%n TEND_SYSTEMD_MODE=user");
        lines.ShouldContain("WatchdogSec=30");
        lines.ShouldContain("KillMode=mixed");
        lines.ShouldContain("TimeoutStopSec=60", "db's grace of 45 s, the longest, plus 15 s for the daemon's own stop");
        lines.ShouldContain("Restart=on-failure");
        lines.ShouldContain("StartLimitBurst=5");
        lines.ShouldContain("StartLimitIntervalSec=600");
        lines.ShouldContain("WantedBy=default.target");
        text.ShouldNotContain("User=", customMessage: "a user unit runs as its user");
        text.ShouldNotContain("network-online", customMessage: "a user manager has no network-online.target");
        text.IndexOf("StartLimitBurst", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("[Service]", StringComparison.Ordinal), "start limits belong to [Unit]");
    }

    [Fact]
    public void A_system_unit_runs_as_the_user_who_ran_sudo_after_the_network_is_up()
    {
        var text = UnitPlan.For(Shop, UnitMode.System, "/usr/local/bin/tend", Environment("/usr/bin"), user: "alice").Unit.Text();

        text.ShouldContain("\nUser=alice\n");
        text.ShouldContain("\nWants=network-online.target\nAfter=network-online.target\n");
        text.ShouldContain("\nWantedBy=multi-user.target\n");
        text.ShouldContain("TEND_SYSTEMD_MODE=system");
    }

    [Fact]
    public void The_stop_timeout_covers_the_default_grace_when_no_component_sets_one()
    {
        var stack = Stack("""
            [components.web]
            command = ["sleep", "600"]
            """);

        UnitPlan.For(stack, UnitMode.User, "/t", Environment("/bin"), null).Unit.Text().ShouldContain("\nTimeoutStopSec=25\n");
    }

    [Theory]
    [InlineData("/usr/bin/tend", "/usr/bin/tend")]
    [InlineData("/home/al ice/tend", "\"/home/al ice/tend\"")]
    [InlineData("50%", "50%%")]
    [InlineData("$HOME", "$$HOME")]
    [InlineData("say \"hi\"\\", "\"say \\\"hi\\\"\\\\\"")]
    [InlineData(";", "\";\"")]
    [InlineData("", "\"\"")]
    [InlineData("it's", "\"it's\"")]
    public void An_argument_of_ExecStart_is_escaped_as_systemd_reads_it(string word, string written) =>
        UnitSyntax.Argument(word).ShouldBe(written);

    [Theory]
    [InlineData("LANG", "C.UTF-8", "LANG=C.UTF-8")]
    [InlineData("GREETING", "50% off $5", "\"GREETING=50%% off $5\"")]
    [InlineData("MOTTO", "a\tb\nc", "\"MOTTO=a\\tb\\nc\"")]
    public void An_assignment_of_Environment_is_quoted_when_it_must_be_and_keeps_its_dollars(string name, string value, string written) =>
        UnitSyntax.Assignment(name, value).ShouldBe(written);

    [Theory]
    [InlineData("shop", "tend-shop.service")]
    [InlineData("shop-2.eu_west:a", "tend-shop-2.eu_west:a.service")]
    [InlineData("my shop/é", "tend-my\\x20shop\\x2f\\xc3\\xa9.service")]
    public void The_unit_is_named_after_the_stack_in_the_characters_a_unit_name_allows(string stack, string unit) =>
        UnitName.For(stack).ShouldBe(unit);

    [Fact]
    public void Variables_the_stack_file_interpolates_go_into_the_unit_except_secrets()
    {
        var stack = Stack("""
            [components.web]
            command = ["sh", "-c", "echo ${GREETING}; exec sleep 600"]
            env = { DB = "postgresql://app:${DB_PASSWORD}@localhost/app" }
            """, new() { ["GREETING"] = "hello world", ["DB_PASSWORD"] = "hunter2" });

        var plan = UnitPlan.For(stack, UnitMode.User, "/t", Environment("/bin"), null);

        plan.Unit.Text().ShouldContain("\nEnvironment=\"GREETING=hello world\"\n");
        plan.Unit.Text().ShouldNotContain("hunter2");
        plan.Unit.Text().ShouldNotContain("DB_PASSWORD");
        plan.SecretsLeftOut.ShouldBe(["DB_PASSWORD"]);
    }

    [Fact]
    public void Tend_knows_its_own_units_and_the_stack_file_each_runs()
    {
        var stack = Shop;
        var text = UnitPlan.For(stack, UnitMode.User, "/t", Environment("/bin"), null).Unit.Text();

        UnitFile.WrittenFor(text).ShouldBe(stack.Path);
        UnitFile.WrittenFor("[Unit]\nDescription=by hand\n").ShouldBeNull();
        UnitFile.WrittenFor($"# a comment\n{UnitFile.Marker}\n").ShouldBeNull();
    }

    [Fact]
    public void User_units_go_to_the_XDG_config_directory_and_system_units_to_etc()
    {
        UnitLocation.Directory(UnitMode.User, n => n switch { "XDG_CONFIG_HOME" => "/cfg", "HOME" => "/home/al", _ => null }).ShouldBe("/cfg/systemd/user");
        UnitLocation.Directory(UnitMode.User, n => n switch { "XDG_CONFIG_HOME" => "relative", "HOME" => "/home/al", _ => null }).ShouldBe("/home/al/.config/systemd/user");
        UnitLocation.Directory(UnitMode.System, n => "/cfg").ShouldBe("/etc/systemd/system");
    }
}
