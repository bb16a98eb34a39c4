using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>Output redirected to a file that other programs write too (`./script > log 2>&1`, a CI log): every line where it was written, none overwritten.</summary>
public sealed class RedirectedOutputSpecs
{
    [Fact(Timeout = 60_000)]
    public async Task Tends_output_in_a_file_shared_with_the_shell_keeps_its_place_between_the_shells_lines()
    {
        using var directory = new TempDirectory();
        directory.Write("tend.toml", """
            [components.api]
            command = ["sleep", "1"]
            """);
        var tend = Tend.Core.Text.ShellWords.Quote(TendBinary.Binary);

        var run = await TypedCommand.RunAsync($"{{ echo before; {tend} validate; {tend} ls; {tend} status --json; echo after; }} > out.txt 2>&1", directory.Path);

        run.ExitCode.ShouldBe(0, run.Output);
        var lines = File.ReadAllLines(Path.Combine(directory.Path, "out.txt"));
        lines.First().ShouldBe("before");
        lines.Last().ShouldBe("after");
        var text = string.Join('\n', lines);
        text.ShouldContain("tend.toml is valid");
        text.ShouldContain("api");
        text.IndexOf("tend.toml is valid", StringComparison.Ordinal).ShouldBeLessThan(text.IndexOf("\"stack\"", StringComparison.Ordinal), "validate before status, as run");
    }
}
