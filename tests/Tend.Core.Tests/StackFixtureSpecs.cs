using Tend.Core.Config;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests;

/// <summary>
/// Every stack file under tests/fixtures/stacks: valid ones load, invalid ones fail with the
/// message and place their first line promises (<c># expect: LINE:COL message</c>).
/// </summary>
public sealed class StackFixtureSpecs
{
    public static TheoryData<string> ValidStacks() => Files("valid");

    public static TheoryData<string> InvalidStacks() => Files("invalid");

    [Theory]
    [MemberData(nameof(ValidStacks))]
    public void A_valid_stack_file_loads_without_errors(string name)
    {
        var result = StackFileLoader.Load(Path.Combine(RepoPaths.Fixtures, "stacks", "valid", name), _ => null, name);

        result.Errors.ShouldBeEmpty();
        result.Stack.ShouldNotBeNull();
    }

    [Theory]
    [MemberData(nameof(InvalidStacks))]
    public void An_invalid_stack_file_fails_with_its_expected_message_and_place(string name)
    {
        var path = Path.Combine(RepoPaths.Fixtures, "stacks", "invalid", name);
        var expectation = File.ReadLines(path).First();
        expectation.ShouldStartWith("# expect: ");
        var spec = expectation["# expect: ".Length..];
        var place = spec[..spec.IndexOf(' ', StringComparison.Ordinal)];
        var message = spec[(place.Length + 1)..];

        var result = StackFileLoader.Load(path, _ => null, name);

        result.Stack.ShouldBeNull();
        var shown = result.Errors.Select(e => e.ToString()).ToList();
        shown.ShouldContain(e => e.StartsWith($"{name}:{place}: error: ", StringComparison.Ordinal) && e.Contains(message, StringComparison.Ordinal),
            $"expected an error at {place} containing \"{message}\"; got:\n{string.Join('\n', shown)}");
    }

    [Fact]
    public void Every_example_stack_is_valid()
    {
        foreach (var directory in Directory.GetDirectories(RepoPaths.Examples))
        {
            var result = StackFileLoader.Load(Path.Combine(directory, "tend.toml"), _ => null);
            result.Errors.ShouldBeEmpty(Path.GetFileName(directory));
        }
    }

    private static TheoryData<string> Files(string kind)
    {
        var data = new TheoryData<string>();
        foreach (var file in Directory.GetFiles(Path.Combine(RepoPaths.Fixtures, "stacks", kind), "*.toml").Order(StringComparer.Ordinal))
        {
            data.Add(Path.GetFileName(file));
        }

        return data;
    }
}
