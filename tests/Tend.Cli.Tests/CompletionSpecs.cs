using System.Diagnostics;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>`tend completion bash|zsh|fish`, typed into the real shells: verbs, components of the stack where the user stands, named commands, presets.</summary>
public sealed class CompletionSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    public CompletionSpecs() => _directory.Write("tend.toml", """
        [components.store]
        command = ["sleep", "600"]
        [components.store.commands]
        stats = { argv = ["true"] }
        serve = { argv = ["true"] }

        [components.seed]
        kind = "job"
        command = ["true"]

        [components.web]
        command = ["sleep", "600"]
        """);

    public void Dispose() => _directory.Dispose();

    /// <summary>Runs a shell script with the built tend first on PATH, where the stack file is.</summary>
    private async Task<string> ShellAsync(string shell, string script)
    {
        var info = new ProcessStartInfo(shell, ["-c", script])
        {
            WorkingDirectory = _directory.Path,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        info.Environment["PATH"] = $"{Path.GetDirectoryName(TendBinary.Binary)}:{Environment.GetEnvironmentVariable("PATH")}";
        using var process = Process.Start(info) ?? throw new InvalidOperationException($"{shell} did not start");
        var output = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var error = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        process.ExitCode.ShouldBe(0, await error);
        return await output;
    }

    private static string[] Lines(string output) => output.Split('\n', StringSplitOptions.RemoveEmptyEntries);

    private Task<string> BashAsync(params string[] words) => ShellAsync("bash", $$"""
        eval "$(tend completion bash)"
        COMP_WORDS=({{string.Join(' ', words.Select(w => $"'{w}'"))}}); COMP_CWORD={{words.Length - 1}}
        _tend_complete
        printf '%s\n' "${COMPREPLY[@]}"
        """);

    [Fact(Timeout = 60_000)]
    public async Task Bash_completes_verbs_components_named_commands_options_and_presets()
    {
        Lines(await BashAsync("tend", "lo")).ShouldBe(["logs"]);
        Lines(await BashAsync("tend", "logs", "s")).ShouldBe(["seed", "store"], ignoreOrder: true);
        Lines(await BashAsync("tend", "run", "store", "")).ShouldBe(["serve", "stats"], ignoreOrder: true);
        Lines(await BashAsync("tend", "up", "--ti")).ShouldBe(["--timeout"]);
        Lines(await BashAsync("tend", "init", "--preset", "")).ShouldBe(["agent", "aistack", "backend.ai", "quickstart", "triage"], ignoreOrder: true);
        Lines(await BashAsync("tend", "stop", "")).ShouldBe(["seed", "store", "web"], ignoreOrder: true, "no option before a dash is typed");
    }

    [Fact(Timeout = 60_000)]
    public async Task Fish_completes_through_its_own_complete_command()
    {
        var output = await ShellAsync("fish", """
            tend completion fish | source
            complete -C 'tend logs s'
            echo ---
            complete -C 'tend run store '
            """);

        var parts = output.Split("---\n");
        Lines(parts[0]).ShouldBe(["seed", "store"], ignoreOrder: true);
        Lines(parts[1]).ShouldBe(["serve", "stats"], ignoreOrder: true);
    }

    [Fact(Timeout = 60_000)]
    public async Task Zsh_completes_from_the_words_and_the_cursor_it_gives()
    {
        // compadd and compdef are zsh's completion system's own: stood in for, so the script's call into tend is what is tested.
        var output = await ShellAsync("zsh", """
            compdef() { : }
            compadd() { [[ $1 == -a ]] && print -l -- ${(P)2} }
            eval "$(tend completion zsh)"
            words=(tend why w); CURRENT=3
            _tend_complete
            """);

        Lines(output).ShouldBe(["web"]);
    }

    [Fact(Timeout = 60_000)]
    public async Task An_unknown_shell_is_refused_with_the_ones_there_are()
    {
        var result = await TendBinary.RunAsync(_directory.Path, "completion", "tcsh");

        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("bash");
    }
}
