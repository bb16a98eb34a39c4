using System.Reflection;
using Tend.Core.Config;
using Tend.Core.Config.Toml;

namespace Tend.Core.Knowledge;

/// <summary>Finds the first rule that explains a failure: the stack file's own rules, then the built-in ones.</summary>
public sealed class Diagnostician(IReadOnlyList<DiagnoseRule> rules)
{
    private static readonly Lazy<IReadOnlyList<DiagnoseRule>> BuiltIn = new(LoadBuiltIn);

    public IReadOnlyList<DiagnoseRule> Rules { get; } = rules;

    public static IReadOnlyList<DiagnoseRule> BuiltInRules => BuiltIn.Value;

    public static Diagnostician With(IReadOnlyList<DiagnoseRule> userRules) => new([.. userRules, .. BuiltIn.Value]);

    public Diagnosis? Explain(DiagnosisSubject subject) =>
        Rules.FirstOrDefault(r => r.Matches(subject))?.Apply(subject);

    private static IReadOnlyList<DiagnoseRule> LoadBuiltIn()
    {
        using var stream = Assembly.GetExecutingAssembly().GetManifestResourceStream("Tend.Core.Knowledge.rules.toml")
            ?? throw new InvalidOperationException("the built-in rules are missing from the assembly");
        using var reader = new StreamReader(stream);
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse(reader.ReadToEnd(), "built-in rules.toml", problems);
        var rules = root is null ? [] : DiagnoseRuleReader.Read(root, new ReadContext(problems, Interpolation.None, "."), "builtin-");
        if (problems.HasErrors)
        {
            throw new InvalidOperationException("the built-in rules do not load: " + string.Join("; ", problems.Items));
        }

        return rules;
    }
}
