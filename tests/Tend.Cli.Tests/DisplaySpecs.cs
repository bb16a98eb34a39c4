using System.Diagnostics;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;
using Tend.Daemon.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>What a user reads: progress redrawn in place on a terminal, tables that fit and line up, states in words.</summary>
public sealed class DisplaySpecs : IAsyncLifetime
{
    private readonly TempDirectory _directory = new();
    private readonly DaemonState _daemon;

    public DisplaySpecs() => _daemon = new DaemonState(_directory.Path);

    public ValueTask InitializeAsync() => ValueTask.CompletedTask;

    public async ValueTask DisposeAsync()
    {
        await _daemon.StopDaemonAsync();
        _directory.Dispose();
    }

    private Task<TendResult> Tend(params string[] args) => TendBinary.RunAsync(_directory.Path, args);

    private const string ThreeInARow = """
        [components.first]
        command = ["sleep", "600"]
        min_uptime = "300ms"

        [components.second]
        command = ["sleep", "600"]
        min_uptime = "300ms"
        requires = { first = "started" }

        [components.third]
        command = ["sleep", "600"]
        min_uptime = "300ms"
        requires = { second = "started" }
        """;

    /// <summary>Runs tend under a pseudo-terminal of the given size (util-linux `script`), as a user at a terminal would.</summary>
    private async Task<string> AtATerminalAsync(string arguments, int columns = 100, string? noColor = null, string term = "xterm-256color")
    {
        var info = new ProcessStartInfo("script", ["-qec", $"stty cols {columns} rows 40; {TendBinary.Binary} {arguments}", "/dev/null"])
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        info.Environment.Remove("NO_COLOR");
        if (noColor is not null)
        {
            info.Environment["NO_COLOR"] = noColor;
        }

        info.Environment["TERM"] = term;
        using var process = Process.Start(info)!;
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return await output;
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_at_a_terminal_rewrites_one_line_per_component_in_place()
    {
        _directory.Write("tend.toml", ThreeInARow);

        var screen = await AtATerminalAsync("up");

        screen.ShouldContain("\u001b[3F\u001b[J", customMessage: "the three lines are rewritten from the first, not appended");
        var last = screen[screen.LastIndexOf("\u001b[J", StringComparison.Ordinal)..];
        foreach (var name in new[] { "first", "second", "third" })
        {
            last.ShouldContain($" {name} ", customMessage: $"the final board has a line for {name}");
        }

        screen.ShouldContain("3 components up in");
    }

    [Fact(Timeout = 120_000)]
    public async Task Up_in_a_pipe_appends_a_line_per_change_with_no_escape_sequence()
    {
        _directory.Write("tend.toml", ThreeInARow);

        var up = await Tend("up");

        up.ExitCode.ShouldBe(0, up.ToString());
        up.Stdout.ShouldNotContain("\u001b");
        up.Stdout.Split('\n').Count(l => l.Contains(" third ", StringComparison.Ordinal)).ShouldBeGreaterThan(1, "each change of third is its own line");
        up.Stdout.ShouldNotContain("waiting: waiting", customMessage: "the state is not said twice");
    }

    [Fact(Timeout = 120_000)]
    public async Task Status_fits_eighty_columns_with_names_of_fifteen_characters_and_says_states_in_words()
    {
        _directory.Write("tend.toml", $$"""
            [components.payments-worker]
            command = ["sleep", "600"]
            min_uptime = "0s"

            [components.broken-exporter]
            command = {{Dummy.TomlArgv("crash-after", "0")}}
            restart = { backoff = "0s", budget = "1/1m" }
            min_uptime = "60s"
            """);

        // min_uptime: a loaded machine that takes over a second to start the dummy must not make its crash look like a run that stayed up.
        (await Tend("up", "--timeout", "20s")).ExitCode.ShouldBe(1);

        var screen = await AtATerminalAsync("status", columns: 80);
        var piped = await Tend("status");

        piped.Stdout.Split('\n').ShouldAllBe(line => line.Length <= 80, piped.Stdout);
        piped.Stdout.ShouldContain("crash loop");
        piped.Stdout.ShouldNotContain("crash_loop");
        screen.ShouldNotContain("…", customMessage: "nothing cut at 80 columns");
        (await Tend("down")).ExitCode.ShouldBe(0);
    }

    [Fact(Timeout = 60_000)]
    public async Task Ls_with_a_dozen_components_keeps_continuation_lines_under_their_component()
    {
        var stack = string.Join("\n", Enumerable.Range(1, 12).Select(i => $$"""
            [components.c{{i}}]
            command = ["sleep", "600"]
            {{(i > 1 ? $"requires = {{ c{i - 1} = \"started\" }}" : "")}}
            """));
        _directory.Write("tend.toml", stack);

        var ls = await Tend("ls");

        var lines = ls.Stdout.Split('\n');
        var kindColumn = lines.Single(l => l.StartsWith("1. ", StringComparison.Ordinal)).IndexOf("service", StringComparison.Ordinal);
        lines.Single(l => l.StartsWith("12.", StringComparison.Ordinal)).IndexOf("service", StringComparison.Ordinal).ShouldBe(kindColumn);
        lines.Where(l => l.Contains("requires", StringComparison.Ordinal)).ShouldAllBe(l => l.IndexOf("requires", StringComparison.Ordinal) == kindColumn, ls.Stdout);
    }

    [Fact(Timeout = 120_000)]
    public async Task No_color_at_a_terminal_means_not_one_escape_sequence_and_an_empty_NO_COLOR_does_not_count()
    {
        _directory.Write("tend.toml", ThreeInARow);
        _directory.Write("broken.toml", "[components.x]\ncommand = 3\n");

        foreach (var verb in new[] { "validate", "ls", "graph", "preflight", "doctor", "up", "status", "peek", "why second", "logs", "events", "-f broken.toml validate", "down" })
        {
            var flagged = await AtATerminalAsync($"{verb} --no-color");
            flagged.ShouldNotContain("\u001b", customMessage: $"tend {verb} --no-color wrote an escape sequence: {flagged}");
        }

        (await AtATerminalAsync("validate", noColor: "1")).ShouldNotContain("\u001b", customMessage: "NO_COLOR=1");
        (await AtATerminalAsync("validate", noColor: "")).ShouldContain("\u001b[", customMessage: "an empty NO_COLOR leaves colour on (no-color.org)");
        (await AtATerminalAsync("validate")).ShouldContain("\u001b[", customMessage: "a terminal gets colour");
        (await AtATerminalAsync("validate", term: "dumb")).ShouldNotContain("\u001b", customMessage: "TERM=dumb: a terminal that cannot show escape sequences");
        (await AtATerminalAsync("status", term: "dumb")).ShouldNotContain("\u001b", customMessage: "TERM=dumb");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_reader_that_goes_away_is_not_an_error_of_tends()
    {
        _directory.Write("tend.toml", ThreeInARow);

        // `true` reads nothing and is gone long before tend writes: every write meets a closed pipe.
        var piped = await TypedCommand.RunAsync($"for verb in validate ls graph status; do {TendBinary.Binary} $verb | true; echo \"$verb ${{PIPESTATUS[0]}}\"; done", _directory.Path, shell: "bash");

        piped.Output.ShouldNotContain("internal error");
        piped.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).ShouldBe(["validate 0", "ls 0", "graph 0", "status 0"]);
    }
}
