using System.CommandLine;
using System.Diagnostics;
using System.Text.Json.Serialization;
using Spectre.Console;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Http;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend dashboard</c>: makes sure the daemon and its HTTP face run, makes the API token on
/// first use, and prints (and, at a terminal, opens) the login link that carries it.
/// </summary>
internal static class DashboardVerb
{
    public static Command Create(GlobalOptions options)
    {
        var listen = new Option<string>("--listen") { Description = "Where to listen when it does not yet (default: [http] listen, else 127.0.0.1:7380)", HelpName = "ADDR" };
        var readOnly = new Option<bool>("--read-only") { Description = "Make no token: the page shows the stack but cannot start or stop anything" };
        var noOpen = new Option<bool>("--no-open") { Description = "Print the link only; do not open a browser" };
        var command = new Command("dashboard", "Serve the web dashboard and HTTP API, and print (and open) its login link") { listen, readOnly, noOpen };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(listen), parse.GetValue(readOnly), parse.GetValue(noOpen), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string? listen, bool readOnly, bool noOpen, CancellationToken cancellationToken)
    {
        if (cli.LoadStackForControl() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var connection = new DaemonConnection(stack);
        if (await connection.EnsureRunningAsync(cli.Time, cancellationToken) is { } failure)
        {
            return cli.Failure(failure);
        }

        var reply = await connection.CallAsync(new HttpRequest(listen, MakeToken: !readOnly), cancellationToken);
        if (reply?.Http is not { } http)
        {
            return reply?.Error is { } error ? cli.DaemonError(error) : cli.Failure("the daemon went away before it answered", $"see {connection.Paths.DaemonLog}");
        }

        var token = readOnly ? null : HttpToken.Read(http.TokenFile);
        var login = token is null ? http.Url : $"{http.Url}?token={token}";
        if (cli.Json)
        {
            CliContext.WriteJson(new DashboardReport(http.Url, token is null ? null : login, http.TokenFile, http.AllowRemote), DashboardJson.Default.DashboardReport);
            return ExitCodes.Ok;
        }

        var console = cli.Terminal.Out;
        console.MarkupLine($"[green]✓[/] dashboard of {Markup.Escape(stack.Name)}: {Markup.Escape(http.Url)}");
        if (token is not null)
        {
            console.MarkupLine($"  login link (it carries the API token; keep it private): {Markup.Escape(login)}");
            var shownToken = Markup.Escape(cli.Display(http.TokenFile));
            console.MarkupLine($"  [grey]API token: {shownToken} (0600)[/]");
            if (stack.Components.FirstOrDefault(c => c.Kind != Core.Model.ComponentKind.External)?.Name is { } example)
            {
                console.MarkupLine($"  [grey]e.g. curl -H \"Authorization: Bearer $(cat {Markup.Escape(ShellWords(cli.Display(http.TokenFile)))})\" -X POST {Markup.Escape(http.Url)}api/v1/components/{Markup.Escape(example)}/restart[/]");
            }
        }
        else
        {
            console.MarkupLine("  [grey]read-only: no token, so the page cannot start or stop anything (tend dashboard without --read-only makes one)[/]");
        }

        if (!noOpen && !Console.IsOutputRedirected && Browser.Open(login))
        {
            console.MarkupLine("  [grey]opened in your browser[/]");
        }

        return ExitCodes.Ok;
    }

    private static string ShellWords(string path) => Core.Text.ShellWords.Quote(path);

    /// <summary>Asks the daemon to listen; prints where, or why not. Null when it cannot listen.</summary>
    public static async Task<HttpResult?> ReportHttpAsync(CliContext cli, DaemonConnection connection, string? listen, bool makeToken, CancellationToken cancellationToken)
    {
        var reply = await connection.CallAsync(new HttpRequest(listen, makeToken), cancellationToken);
        if (reply?.Http is { } http)
        {
            cli.Terminal.Out.MarkupLine($"[grey]dashboard and API:[/] {Markup.Escape(http.Url)} [grey](tend dashboard prints a login link)[/]");
            return http;
        }

        var error = reply?.Error ?? new ControlError("not_running", "the daemon went away before it answered");
        cli.Terminal.Err.MarkupLine($"[red]✗[/] {Markup.Escape(error.Message)}");
        if (error.Hint is { } hint)
        {
            cli.Terminal.Err.MarkupLine($"  [cyan]→[/] {Markup.Escape(hint)}");
        }

        return null;
    }

    /// <summary>The desktop's opener, when there is one; nothing is waited for.</summary>
    private static class Browser
    {
        public static bool Open(string url)
        {
            if (Environment.GetEnvironmentVariable("DISPLAY") is null && Environment.GetEnvironmentVariable("WAYLAND_DISPLAY") is null)
            {
                return false;
            }

            var opener = (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries)
                .Select(d => Path.Combine(d, "xdg-open")).FirstOrDefault(File.Exists);
            if (opener is null)
            {
                return false;
            }

            try
            {
                var start = new ProcessStartInfo(opener) { UseShellExecute = false, RedirectStandardError = true, RedirectStandardOutput = true };
                start.ArgumentList.Add(url);
                using var process = Process.Start(start);
                return process is not null;
            }
            catch (System.ComponentModel.Win32Exception)
            {
                return false;
            }
        }
    }
}

/// <summary>`tend dashboard --json`.</summary>
internal sealed record DashboardReport(string Url, string? LoginUrl, string TokenFile, bool AllowRemote);

[JsonSourceGenerationOptions(PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower, DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull)]
[JsonSerializable(typeof(DashboardReport))]
internal sealed partial class DashboardJson : JsonSerializerContext;
