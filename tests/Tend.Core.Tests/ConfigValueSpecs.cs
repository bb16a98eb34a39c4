using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Tests;

public sealed class ConfigValueSpecs
{
    [Theory]
    [InlineData("500ms", 500)]
    [InlineData("2s", 2000)]
    [InlineData("1m30s", 90_000)]
    [InlineData("1.5s", 1500)]
    [InlineData("1h", 3_600_000)]
    public void Durations_read_as_people_write_them(string text, double milliseconds)
    {
        Quantities.TryParseDuration(text, out var duration).ShouldBeTrue();
        duration.TotalMilliseconds.ShouldBe(milliseconds);
    }

    [Theory]
    [InlineData("2 seconds")]
    [InlineData("s")]
    [InlineData("10")]
    [InlineData("")]
    public void Durations_without_units_or_with_words_are_refused(string text) =>
        Quantities.TryParseDuration(text, out _).ShouldBeFalse();

    [Theory]
    [InlineData("512", 512)]
    [InlineData("10kB", 10_000)]
    [InlineData("1.5GB", 1_500_000_000)]
    [InlineData("2GiB", 2L * 1024 * 1024 * 1024)]
    public void Sizes_take_decimal_and_binary_units(string text, long bytes)
    {
        Quantities.TryParseSize(text, out var parsed).ShouldBeTrue();
        parsed.ShouldBe(bytes);
    }

    [Theory]
    [InlineData("kidn", "kind")]
    [InlineData("requries", "requires")]
    [InlineData("helth", "health")]
    public void A_misspelt_key_gets_the_closest_known_one(string given, string expected) =>
        DidYouMean.Suggest(given, ["kind", "requires", "health", "command", "description"]).ShouldBe(expected);

    [Fact]
    public void A_word_unlike_any_known_one_gets_no_suggestion() =>
        DidYouMean.Suggest("banana", ["kind", "requires", "health"]).ShouldBeNull();

    [Fact]
    public void Interpolation_follows_docker_compose()
    {
        var values = new Dictionary<string, string> { ["SET"] = "value", ["EMPTY"] = "" };
        var interpolation = new Interpolation(values.GetValueOrDefault);
        var problems = new ConfigProblems();
        var at = new SourceLocation("t.toml", 1, 1);

        interpolation.Apply("a ${SET} b", at, problems).ShouldBe("a value b");
        interpolation.Apply("${EMPTY:-fallback}", at, problems).ShouldBe("fallback");
        interpolation.Apply("${EMPTY-fallback}", at, problems).ShouldBe("");
        interpolation.Apply("${UNSET-fallback}", at, problems).ShouldBe("fallback");
        interpolation.Apply("cost: $$5", at, problems).ShouldBe("cost: $5");
        interpolation.Apply("$PLAIN stays", at, problems).ShouldBe("$PLAIN stays");
        problems.Items.ShouldBeEmpty();

        interpolation.Apply("${UNSET}", at, problems).ShouldBe("");
        problems.Items.ShouldHaveSingleItem().Severity.ShouldBe(ProblemSeverity.Warning);

        interpolation.Apply("${UNSET:?needed for the API}", at, problems);
        problems.Items[^1].IsError.ShouldBeTrue();
        problems.Items[^1].Message.ShouldContain("needed for the API");
    }

    [Fact]
    public void Env_files_read_quotes_comments_and_export()
    {
        var problems = new ConfigProblems();
        var values = EnvFile.Parse("""
            # a comment
            export A=1
            B = 'single $literal'
            C="double\nline"
            D=plain # trailing comment
            not a line
            """, ".env", problems);

        values["A"].ShouldBe("1");
        values["B"].ShouldBe("single $literal");
        values["C"].ShouldBe("double\nline");
        values["D"].ShouldBe("plain");
        problems.Items.ShouldHaveSingleItem().Location.Line.ShouldBe(6);
    }

    [Fact]
    public void Interpolation_sees_the_shell_before_the_dot_env_file()
    {
        using var directory = new Support.TempDirectory();
        directory.Write(".env", "PORT=7000\nHOST=from-file\n");
        var path = directory.Write("tend.toml", """
            [components.api]
            command = ["./api", "${HOST}", "${PORT}"]
            """);

        var result = StackFileLoader.Load(path, name => name == "PORT" ? "9000" : null);

        result.Stack!.Find("api")!.Command.ShouldBe(["./api", "from-file", "9000"]);
    }
}
