using System.Globalization;
using System.Text;
using Tend.Cli.Tests.Support;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests;

/// <summary>Whatever a stack file holds (nesting a thousand deep, NUL characters, megabytes, bytes that are not UTF-8, random damage), tend validate answers with a located error and exit 2: never an internal error (70), never a stack trace.</summary>
public sealed class HostileInputSpecs : IDisposable
{
    private const string Valid = """
        [components.app]
        command = ["sleep", "1"]

        """;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private async Task<TendResult> ValidateAsync(byte[] content, string name = "tend.toml")
    {
        await File.WriteAllBytesAsync(Path.Combine(_directory.Path, name), content, TestContext.Current.CancellationToken);
        return await TendBinary.RunAsync(_directory.Path, "validate", "-f", name);
    }

    private static void ShouldBeAnswered(TendResult result)
    {
        result.ExitCode.ShouldBeOneOf([0, 2], result.ToString());
        result.Stderr.ShouldNotContain("internal error");
        result.Stderr.ShouldNotContain("   at ");
    }

    private static string Nest(int depth, string open, string inner, string close) =>
        string.Concat(Enumerable.Repeat(open, depth)) + inner + string.Concat(Enumerable.Repeat(close, depth));

    public static TheoryData<string, string, string> Hostile => new()
    {
        { "arrays 1000 deep", Valid + $"x = {Nest(1000, "[", "1", "]")}\n", "tend.toml:3:69: error: invalid TOML: values nested deeper than 64 levels" },
        { "inline tables 1000 deep", Valid + $"x = {Nest(1000, "{ a = ", "1", " }")}\n", "tend.toml:3:" },
        { "both, in the component", Valid + $"env = {Nest(500, "{ a = [", "1", "] }")}\n", "nested deeper than 64 levels" },
        { "arrays 65 deep", Valid + $"x = {Nest(65, "[", "1", "]")}\n", "nested deeper than 64 levels" },
        { "NUL in cwd", Valid + "cwd = \"a\\u0000b\"\n", "tend.toml:3:7: error: a string may not contain a NUL character" },
        { "NUL in an argument", "[components.app]\ncommand = [\"sleep\", \"1\\u0000\"]\n", "tend.toml:2:21: error: a string may not contain a NUL" },
        { "NUL in state_dir", "[stack]\nstate_dir = \"s\\u0000t\"\n" + Valid, "tend.toml:2:13: error: a string may not contain a NUL" },
        { "NUL in a check's path", Valid + "preflight = [{ file = \"/etc/\\u0000passwd\" }]\n", "a string may not contain a NUL" },
        { "NUL in an env value", Valid + "env = { A = \"\\u0000\" }\n", "a string may not contain a NUL" },
        { "NUL in a key", Valid + "\"a\\u0000b\" = 1\n", "tend.toml:3:1: error: a key may not contain a NUL character" },
        { "NUL in a table name", Valid + "[components.\"x\\u0000\"]\ncommand = [\"true\"]\n", "a key may not contain a NUL character" },
        { "a raw NUL byte", Valid + "description = \"a\0b\"\n", "invalid TOML" },
    };

    [Theory(Timeout = 60_000)]
    [MemberData(nameof(Hostile))]
    public async Task A_hostile_stack_file_is_a_located_error(string what, string toml, string expected)
    {
        var result = await ValidateAsync(Encoding.UTF8.GetBytes(toml));

        ShouldBeAnswered(result);
        result.ExitCode.ShouldBe(2, $"{what}: {result}");
        result.Stderr.ShouldContain(expected, Case.Sensitive, $"{what}: {result}");
    }

    [Fact(Timeout = 60_000)]
    public async Task Bytes_that_are_not_utf8_are_a_located_error()
    {
        var result = await ValidateAsync([.. Encoding.UTF8.GetBytes(Valid + "description = \""), 0xff, 0xfe, 0xc3, (byte)'"', (byte)'\n']);

        ShouldBeAnswered(result);
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain("tend.toml:3:");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_nul_in_an_env_file_value_is_a_located_error()
    {
        _directory.Write(".env", "DIR=a\0b\n");

        var result = await ValidateAsync(Encoding.UTF8.GetBytes("[stack]\nstate_dir = \"${DIR}\"\n" + Valid));

        ShouldBeAnswered(result);
        result.ExitCode.ShouldBe(2);
        result.Stderr.ShouldContain(".env:1:6: error: a NUL character");
    }

    [Fact(Timeout = 120_000)]
    public async Task A_20_MB_stack_file_is_answered_in_seconds()
    {
        var text = new StringBuilder(Valid);
        for (var i = 0; text.Length < 20_000_000; i++)
        {
            text.Append(CultureInfo.InvariantCulture, $"[components.c{i}]\ncommand = [\"sleep\", \"{new string('x', 200)}\"]\n");
        }

        var watch = System.Diagnostics.Stopwatch.StartNew();
        var result = await ValidateAsync(Encoding.UTF8.GetBytes(text.ToString()));

        ShouldBeAnswered(result);
        watch.Elapsed.ShouldBeLessThan(TimeSpan.FromSeconds(60));
    }

    [Fact(Timeout = 300_000)]
    public async Task Randomly_damaged_stack_files_are_answered()
    {
        var original = await File.ReadAllBytesAsync(Path.Combine(RepoPaths.Examples, "quickstart", "tend.toml"), TestContext.Current.CancellationToken);
        var random = new Random(8);
        byte[] alphabet = [.. "[]{}\"'=.,#\\\n\0 "u8, 0xff, 0xc3];
        for (var round = 0; round < 40; round++)
        {
            var damaged = (byte[])original.Clone();
            for (var hit = random.Next(1, 6); hit > 0; hit--)
            {
                damaged[random.Next(damaged.Length)] = random.Next(3) == 0 ? (byte)random.Next(256) : alphabet[random.Next(alphabet.Length)];
            }

            ShouldBeAnswered(await ValidateAsync(damaged));
        }
    }
}
