using System.Reflection;
using Tend.Core.Config.Toml;
using Tend.Core.Knowledge;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>The knowledge base's rules: the built-in ones (<c>Knowledge/rules.toml</c>, read once) after a stack file's own.</summary>
public static class RuleBook
{
    private static readonly Lazy<IReadOnlyList<DiagnoseRule>> BuiltInRules = new(LoadBuiltIn);

    public static IReadOnlyList<DiagnoseRule> BuiltIn => BuiltInRules.Value;

    /// <summary>A diagnostician that tries <paramref name="userRules"/> (a stack file's) first, then the built-in rules.</summary>
    public static Diagnostician With(IReadOnlyList<DiagnoseRule> userRules) => new([.. userRules, .. BuiltInRules.Value]);

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
