using System.Text.RegularExpressions;
using Tend.Core.Tests.Support;
using Tend.Core.Workflows.Conditions;

namespace Tend.Core.Tests.Workflows.Conditions;

/// <summary>The conditions of examples/triage parse, in both formats.</summary>
public sealed partial class TriageExampleSpecs
{
    private static readonly string Example = Path.Combine(RepoPaths.Examples, "triage");

    [GeneratedRegex("""^\s*when\s*[=:]\s*"(?<when>.*)"\s*$""", RegexOptions.Multiline)]
    private static partial Regex When();

    [Theory]
    [InlineData("tend.toml")]
    [InlineData(".ai/workflows/triage.yaml")]
    public void Every_condition_of_the_example_parses(string file)
    {
        var conditions = When().Matches(File.ReadAllText(Path.Combine(Example, file))).Select(m => m.Groups["when"].Value).ToList();
        conditions.ShouldNotBeEmpty();
        foreach (var condition in conditions)
        {
            WhenExpression.Parse(condition).Error.ShouldBeNull(condition);
        }
    }
}
