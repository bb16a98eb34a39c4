using System.CommandLine;
using System.Globalization;
using System.Reflection;
using Spectre.Console;
using Tend.Cli.Diag;
using Tend.Core.Diag;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend diag [--output FILE] [--no-logs] [--no-config] [--since 24h]</c>: one redacted archive
/// to hand to whoever helps (docs/operations.md). Every file, its name and the manifest go
/// through one redactor before a byte is written; the archive is 0600 from its first byte.
/// </summary>
internal static class DiagVerb
{
    public static Command Create(GlobalOptions options)
    {
        var output = new Option<string?>("--output", "-o") { Description = "Where to write the archive (default: tend-diag-STACK-YYYYMMDD-HHMMSS.tar.gz here, UTC)", HelpName = "FILE" };
        var noLogs = new Option<bool>("--no-logs") { Description = "Leave out the components' logs and the daemon's log" };
        var noConfig = new Option<bool>("--no-config") { Description = "Leave out the stack file, env files and config files" };
        var since = new Option<string>("--since") { Description = "How far back events and monitor samples go (default 24h)", HelpName = "DURATION", DefaultValueFactory = _ => "24h" };
        var command = new Command("diag", "Write a redacted diagnostic bundle (.tar.gz, 0600) with a checksum manifest") { output, noLogs, noConfig, since };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(output), parse.GetValue(noLogs), parse.GetValue(noConfig), parse.GetValue(since) ?? "24h", token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, string? output, bool noLogs, bool noConfig, string sinceText, CancellationToken cancellationToken)
    {
        if (!TryParseSince(sinceText, out var since))
        {
            return cli.UsageError($"--since must be a duration from 1s to {MaxSince.TotalDays:0}d such as 2h, 90m or 7d, not '{sinceText}'");
        }

        if (output is { Length: 0 } || (output is not null && Directory.Exists(Path.GetFullPath(output, cli.WorkingDirectory))))
        {
            return cli.UsageError($"--output must name a file, not '{output}'", "give a file name such as diag.tar.gz");
        }

        // The stack's own `redact` patterns decide what is masked: a file that does not load cannot say them, so nothing is written.
        if (!cli.TryLoadStack([], out var stack, out var exitCode))
        {
            return exitCode;
        }

        var request = new DiagRequest(output, noLogs, noConfig, since);
        var now = cli.Time.GetUtcNow();
        var path = Path.GetFullPath(output ?? DefaultName(stack.Name, now), cli.WorkingDirectory);
        if (!Directory.Exists(Path.GetDirectoryName(path)))
        {
            return cli.UsageError($"cannot write {cli.Display(path)}: its directory does not exist");
        }

        await using var connection = new DaemonConnection(stack);
        var state = await StackState.ReadAsync(connection, cancellationToken);
        var daemonPid = int.TryParse(Daemon.Hosting.DaemonHost.ReadPid(connection.Paths.PidFile), NumberStyles.None, CultureInfo.InvariantCulture, out var pid) && state.Live ? pid : (int?)null;
        var componentPids = state.Snapshot?.Components.Select(c => c.Pid).OfType<int>() ?? [];
        var redactor = new BundleRedactor(DiagSecrets.Collect(stack, daemonPid, componentPids), stack.Redact);

        var draft = new BundleDraft();
        await StateSources.AddAsync(draft, stack, connection, state, now, now - request.Since, cli.Time, cancellationToken);
        await CheckSources.AddAsync(draft, cli, stack, cancellationToken);
        if (request.NoConfig)
        {
            draft.LeaveOut("config/: left out (--no-config)");
        }
        else
        {
            FileSources.AddConfig(draft, stack);
        }

        if (request.NoLogs)
        {
            draft.LeaveOut("logs/ and daemon.log: left out (--no-logs)");
        }
        else
        {
            await FileSources.AddLogsAsync(draft, stack, connection.Paths, cancellationToken);
        }

        SystemFacts.Add(draft, stack, connection.Paths.StateDirectory, Version);
        await ToolVersions.AddAsync(draft, stack, cli.Time, cancellationToken);
        ProcessSources.Add(draft, stack.Path, daemonPid);

        var root = Path.GetFileName(path) is var name && name.EndsWith(".tar.gz", StringComparison.Ordinal) ? name[..^".tar.gz".Length] : "tend-diag";
        BundleResult result;
        try
        {
            result = await BundleWriter.WriteAsync(path, root, draft, redactor, (files, leftOut) => new BundleManifest(
                "tend", Version, redactor.Redact(stack.Name), redactor.Redact(Environment.MachineName), now.ToString("O", CultureInfo.InvariantCulture),
                Quantities.FormatDuration(request.Since), files, redactor.Tally.Counts.ToDictionary(r => redactor.RedactUncounted(r.Key), r => r.Value, StringComparer.Ordinal), leftOut), now, cancellationToken);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return cli.Failure($"cannot write {cli.Display(path)}: {e.Message}", "choose another place with --output");
        }

        var console = cli.Terminal.Out;
        console.MarkupLine($"[bold]{Markup.Escape(cli.Display(result.Path))}[/]  {Quantities.FormatSize(result.Bytes)}, {result.Files} files, mode 0600");
        var counts = result.Redactions.Where(r => r.Value > 0).Select(r => $"{r.Key} {r.Value}").ToList();
        console.MarkupLine(counts.Count == 0
            ? "[grey]redacted: nothing found to mask[/]"
            : $"redacted {result.Redactions.Values.Sum()} values: {Markup.Escape(string.Join(", ", counts))}");
        if (result.Redactions.Where(r => r.Value == 0).Select(r => r.Key).ToList() is { Count: > 0 } idle)
        {
            console.MarkupLine($"[grey]found nothing to mask: {Markup.Escape(string.Join(", ", idle))}[/]");
        }

        console.MarkupLine($"[grey]Look inside before you send it: tar -tzvf {Markup.Escape(ShellWords.Quote(cli.Display(result.Path)))}; manifest.json lists every file with its SHA-256[/]");
        return ExitCodes.Ok;
    }

    /// <summary>Ten years: more than any event file is kept, and far from where a date would overflow.</summary>
    private static readonly TimeSpan MaxSince = TimeSpan.FromDays(3650);

    private static bool TryParseSince(string text, out TimeSpan since)
    {
        try
        {
            return Quantities.TryParseDuration(text, out since) && since > TimeSpan.Zero && since <= MaxSince;
        }
        catch (OverflowException)
        {
            // "99999999999d": a number of days no TimeSpan holds.
            since = TimeSpan.Zero;
            return false;
        }
    }

    private static string Version { get; } =
        typeof(DiagVerb).Assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion ?? "unknown";

    /// <summary>tend-diag-STACK-YYYYMMDD-HHMMSS.tar.gz, in UTC (a support engineer compares it with event times, which are UTC); the stack's name cut to safe characters.</summary>
    private static string DefaultName(string stack, DateTimeOffset now)
    {
        var safe = new string([.. stack.Select(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-' ? c : '-')]);
        return string.Create(CultureInfo.InvariantCulture, $"tend-diag-{(safe.Length == 0 ? "stack" : safe)}-{now.UtcDateTime:yyyyMMdd-HHmmss}.tar.gz");
    }
}
