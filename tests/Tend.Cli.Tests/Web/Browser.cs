using Microsoft.Playwright;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Web;

/// <summary>
/// Debian's Chromium driven by Playwright, with no browser download: the executable is the
/// system's (TEND_TEST_CHROMIUM, else /usr/bin/chromium, which scripts/test.sh installs). Outside
/// CI a missing Chromium skips the test with the reason; under CI it fails it.
/// </summary>
internal sealed class Browser : IAsyncDisposable
{
    private readonly IPlaywright _playwright;
    private readonly IBrowser _browser;

    private Browser(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        _browser = browser;
    }

    public static async Task<Browser> LaunchAsync()
    {
        var executable = Environment.GetEnvironmentVariable("TEND_TEST_CHROMIUM") is { Length: > 0 } given ? given : "/usr/bin/chromium";
        if (!File.Exists(executable))
        {
            var message = $"Chromium is not installed at {executable}: scripts/test.sh installs Debian's chromium package";
            if (TestServers.UnderCi)
            {
                Assert.Fail(message);
            }

            Assert.Skip(message);
        }

        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions
        {
            ExecutablePath = executable,
            Headless = true,

            // As the machine's notes say: no sandbox as root, and none of Chromium's own calls home,
            // which this closed network refuses many at a time.
            Args = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync"],
        });
        return new Browser(playwright, browser);
    }

    public async Task<IPage> OpenAsync(string url, int width = 1280, int height = 900)
    {
        var context = await _browser.NewContextAsync(new BrowserNewContextOptions { ViewportSize = new ViewportSize { Width = width, Height = height } });
        var page = await context.NewPageAsync();
        await page.GotoAsync(url);
        return page;
    }

    public async ValueTask DisposeAsync()
    {
        await _browser.CloseAsync();
        _playwright.Dispose();
    }
}
