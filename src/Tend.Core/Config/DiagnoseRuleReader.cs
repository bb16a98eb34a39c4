using Tend.Core.Checks;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>Reads <c>[[diagnose]]</c> tables, from the built-in rules or from a stack file.</summary>
public static class DiagnoseRuleReader
{
    /// <summary>What a rule's <c>check</c> may name besides check kinds: a command run by <c>tend run</c>.</summary>
    public static readonly IReadOnlyList<string> ExtraSubjects = ["run", Checks.Kinds.LaunchToolsCheck.KindName, Checks.Kinds.StackPlaceCheck.KindName, "*"];

    public static IReadOnlyList<DiagnoseRule> Read(TomlTableNode root, ReadContext context, string idPrefix)
    {
        var rules = new List<DiagnoseRule>();
        if (!root.TryGet("diagnose", out var entry))
        {
            return rules;
        }

        if (entry.Value is not TomlArrayNode { IsTableArray: true } array)
        {
            context.Problems.Error(entry.KeyLocation, "diagnose must be an array of tables: write each rule under its own [[diagnose]] header");
            return rules;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            var reader = new TableReader((TomlTableNode)array.Items[i], $"diagnose[{i}]", context);
            if (Read(reader, $"{idPrefix}{i + 1}") is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static DiagnoseRule? Read(TableReader reader, string fallbackId)
    {
        var id = reader.String("id") ?? fallbackId;
        var check = reader.String("check");
        var errorClass = reader.String("error");
        var component = reader.String("component");
        var match = reader.Pattern("match");
        var exitCode = reader.Integer("exit_code", 0, 255);
        var cause = reader.String("cause", required: true);
        var actions = reader.Entry("actions", required: true) is { } actionsEntry ? reader.AsStringList(actionsEntry.Value, reader.Describe("actions")) : null;
        reader.Finish();

        if (check is not null && CheckKinds.Find(check) is null && !ExtraSubjects.Contains(check))
        {
            var known = CheckKinds.Keys.Concat(ExtraSubjects).ToList();
            reader.Problems.Error(reader.Entry("check")!.Value.Location, $"{reader.Describe("check")} \"{check}\" is not a check kind", DidYouMean.Hint(check, known) ?? $"one of {string.Join(", ", known)}");
            return null;
        }

        if (cause is null || actions is null)
        {
            return null;
        }

        return new DiagnoseRule(id, check, errorClass, component, match, exitCode is null ? null : (int)exitCode, cause, actions) { Location = reader.Location };
    }
}
