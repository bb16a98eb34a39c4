using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Tend.Cli.Tests.Support;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests.Web;

/// <summary>
/// The dashboard in a real browser (Debian's Chromium through Playwright): what an operator sees
/// of a stack, a crash appearing without a reload, buttons that need the token, and a feed that
/// picks up after a daemon restart without showing anything twice. Screenshots of the page at
/// desktop and phone width are written to artifacts/screenshots.
/// </summary>
public sealed class DashboardSpecs : IAsyncLifetime
{
    private static readonly string Screenshots = Path.Combine(RepoPaths.Root, "artifacts", "screenshots");

    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;
    private readonly int _port = LocalServer.FreePort();
    private Browser? _browser;

    public DashboardSpecs() => _daemon = new DaemonState(_directory.Path);

    public async ValueTask InitializeAsync() => _browser = await Browser.LaunchAsync();

    public async ValueTask DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.DisposeAsync();
        }

        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private string Url => $"http://127.0.0.1:{_port}/";

    private async Task UpAsync(params string[] extra)
    {
        var up = await Tend(["up", "--http", $"127.0.0.1:{_port}", .. extra]);
        up.ExitCode.ShouldBe(0, up.ToString());
    }

    private void Stack() => _directory.Write("tend.toml", $$"""
        [monitor]
        interval = "500ms"

        [components.web]
        command = {{Dummy.TomlArgv("sleep", "600000")}}
        restart = { policy = "always", backoff = "2s" }

        [components.worker]
        command = {{Dummy.TomlArgv("lines", "5", "--delay-ms", "50")}}
        kind = "job"
        """);

    private static ILocator Row(IPage page, string component) => page.Locator($"[data-testid=component-row][data-component={component}]");

    [Fact(Timeout = 120_000)]
    public async Task The_page_shows_every_component_of_the_quickstart_stack_on_a_desktop_and_on_a_phone()
    {
        CopyQuickstart();
        await UpAsync("-d");
        var names = Core.Config.StackFileLoader.Load(Path.Combine(_directory.Path, "tend.toml")).Stack!.Components.Select(c => c.Name).ToList();

        var page = await _browser!.OpenAsync(Url);
        foreach (var name in names)
        {
            await Assertions.Expect(Row(page, name)).ToBeVisibleAsync();
        }

        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "live");
        await Assertions.Expect(page.GetByTestId("event-item").First).ToBeVisibleAsync();
        Directory.CreateDirectory(Screenshots);
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-desktop.png"), FullPage = true });

        var phone = await _browser.OpenAsync(Url, 390, 844);
        await Assertions.Expect(Row(phone, names[0])).ToBeVisibleAsync();
        (await phone.EvaluateAsync<int>("document.documentElement.scrollWidth")).ShouldBeLessThanOrEqualTo(390, "nothing scrolls sideways on a phone");
        await phone.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(Screenshots, "dashboard-phone.png"), FullPage = true });
    }

    [Fact(Timeout = 120_000)]
    public async Task A_crash_shows_in_the_open_page_within_a_second_without_a_reload()
    {
        Stack();
        await UpAsync();
        var page = await _browser!.OpenAsync(Url);
        var web = Row(page, "web");
        await Assertions.Expect(web).ToHaveAttributeAsync("data-state", "running");
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "live");

        var status = await Tend("status", "--json");
        var pid = System.Text.Json.JsonDocument.Parse(status.Stdout).RootElement.GetProperty("components").EnumerateArray().First(c => c.GetProperty("name").GetString() == "web").GetProperty("pid").GetInt32();
        Signals.Send(pid, Signals.SIGKILL).ShouldBeTrue();
        await Assertions.Expect(web).Not.ToHaveAttributeAsync("data-state", "running", new LocatorAssertionsToHaveAttributeOptions { Timeout = 1000 });
        await Assertions.Expect(page.Locator("[data-testid=event-item][data-event=component_exited][data-component=web]")).ToBeVisibleAsync(new LocatorAssertionsToBeVisibleOptions { Timeout = 1000 });
    }

    [Fact(Timeout = 120_000)]
    public async Task Restart_from_the_page_is_refused_without_the_token_and_done_with_it()
    {
        Stack();
        await UpAsync();
        var dashboard = await Tend("dashboard", "--no-open");
        var login = Regex.Match(dashboard.Stdout, @"http://\S+\?token=\S+").Value;
        login.ShouldNotBeEmpty(dashboard.ToString());

        var reader = await _browser!.OpenAsync(Url);
        await Assertions.Expect(Row(reader, "web")).ToBeVisibleAsync();
        await Assertions.Expect(Row(reader, "web").GetByTestId("action-restart")).ToBeHiddenAsync();
        (await reader.EvaluateAsync<int>("fetch('/api/v1/components/web/restart', { method: 'POST' }).then(r => r.status)")).ShouldBe(401);

        var wrong = await _browser.OpenAsync(Url + "?token=not-the-token");
        await Row(wrong, "web").GetByTestId("action-restart").ClickAsync();
        await Assertions.Expect(wrong.GetByTestId("error-banner")).ToBeVisibleAsync();
        _daemon.ReadEvents().ShouldNotContain(e => e.GetProperty("event").GetString() == "api_request");

        var operator_ = await _browser.OpenAsync(login);
        (await operator_.EvaluateAsync<string>("location.search")).ShouldBeEmpty("the token leaves the address bar");
        await Row(operator_, "web").GetByTestId("action-restart").ClickAsync();
        await DaemonState.WaitUntilAsync(() => _daemon.ReadEvents().Any(e => e.GetProperty("event").GetString() == "api_request" && e.GetProperty("component").GetString() == "web"));
        await Assertions.Expect(operator_.Locator("[data-testid=event-item][data-event=api_request]")).ToBeVisibleAsync();
    }

    [Fact(Timeout = 120_000)]
    public async Task After_a_daemon_restart_the_feed_goes_on_from_where_it_was_with_nothing_twice()
    {
        Stack();
        await UpAsync();
        var page = await _browser!.OpenAsync(Url);
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "live");
        await Assertions.Expect(page.Locator("[data-testid=event-item][data-event=http_listening]")).ToHaveCountAsync(1);
        var started = await page.Locator("[data-testid=event-item][data-event=daemon_started]").CountAsync();

        (await Tend("daemon", "stop")).ExitCode.ShouldBe(0);
        await Assertions.Expect(page.GetByTestId("connection-status")).Not.ToHaveAttributeAsync("data-status", "live");
        await UpAsync();

        await Assertions.Expect(page.Locator("[data-testid=event-item][data-event=daemon_started]")).ToHaveCountAsync(started + 1, new LocatorAssertionsToHaveCountOptions { Timeout = 15_000 });
        await Assertions.Expect(page.Locator("[data-testid=event-item][data-event=http_listening]")).ToHaveCountAsync(2);
        await Assertions.Expect(page.Locator("[data-testid=event-item][data-event=daemon_stopped]")).ToHaveCountAsync(1);
        var ids = await page.Locator("[data-testid=event-item]").EvaluateAllAsync<string[]>("items => items.map(i => i.dataset.id)");
        ids.ShouldBeUnique();
        ids.ShouldAllBe(id => id.Length > 0);
        await Assertions.Expect(page.GetByTestId("connection-status")).ToHaveAttributeAsync("data-status", "live");
    }

    private void CopyQuickstart()
    {
        var source = Path.Combine(RepoPaths.Root, "examples", "quickstart");
        foreach (var file in Directory.EnumerateFiles(source, "*", SearchOption.AllDirectories).Where(f => !f.Contains("/.tend/", StringComparison.Ordinal) && !f.Contains("__pycache__", StringComparison.Ordinal)))
        {
            var target = Path.Combine(_directory.Path, Path.GetRelativePath(source, file));
            Directory.CreateDirectory(Path.GetDirectoryName(target)!);
            File.Copy(file, target);
        }
    }
}
