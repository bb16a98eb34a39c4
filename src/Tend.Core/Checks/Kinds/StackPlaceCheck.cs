using Tend.Core.Model;

namespace Tend.Core.Checks.Kinds;

/// <summary>
/// The stack stands where it expects to (<c>[stack] expects</c>): its marker file is there. Not a
/// kind a stack file names in a pre-flight: planned first whenever the stack has an expectation,
/// and every other check waits on it, so that a preset run outside its project says that once
/// instead of failing each of its checks for the same reason.
/// </summary>
public sealed record StackPlaceCheck(StackExpectation Expectation) : CheckSpec
{
    public const string KindName = "stack-place";

    public override string Kind => KindName;

    public override string Target => Expectation.File;

    public override Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var full = context.Resolve(Expectation.File);
        var data = new (string, string?)[] { ("what", Expectation.What), ("file", Expectation.File), ("directory", context.BaseDirectory), ("hint", Expectation.Hint) };
        return Task.FromResult(File.Exists(full) || Directory.Exists(full)
            ? CheckOutcome.Pass($"{Expectation.File} is here: {Expectation.What}").WithData(data)
            : CheckOutcome.Fail("not_here", $"not {Expectation.What}: no {Expectation.File} in {context.BaseDirectory}", $"{full} does not exist").WithData(data));
    }
}
