using System.Globalization;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Rounds;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>
/// Reads a rounds component's <c>[[components.NAME.classify]]</c> rules: a <c>bucket</c>, and
/// <c>match</c> (a regex on the line), <c>json</c> (fields of a JSON line) or both, with an
/// optional <c>reset_at</c>, <c>action</c> and <c>back_off</c>.
/// </summary>
internal static class ClassifyRulesReader
{
    public static IReadOnlyList<ClassifyRule> Read(TableReader component)
    {
        var rules = new List<ClassifyRule>();
        if (component.Entry("classify") is not { } entry)
        {
            return rules;
        }

        var what = component.Describe("classify");
        if (entry.Value is not TomlArrayNode array)
        {
            component.Problems.Error(entry.Value.Location, $"{what} must be an array of tables: write each rule under its own [[{what}]] header");
            return rules;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            if (array.Items[i] is not TomlTableNode table)
            {
                component.TypeError(array.Items[i], $"{what}[{i}]", "a table");
                continue;
            }

            if (ReadRule(new TableReader(table, $"{what}[{i}]", component.Context)) is { } rule)
            {
                rules.Add(rule);
            }
        }

        return rules;
    }

    private static ClassifyRule? ReadRule(TableReader reader)
    {
        var bucketName = reader.Choice("bucket", RoundBuckets.Names, required: true);
        var hasMatch = reader.Has("match");
        var match = ReadMatch(reader);
        var hasJson = reader.Has("json");
        var json = ReadJson(reader);
        var resetAt = ReadResetAt(reader, hasJson);
        var actionName = reader.Choice("action", RoundActions.Names);
        var backOff = ReadBackOff(reader);
        reader.Finish();

        if (!hasMatch && !hasJson)
        {
            reader.Problems.Error(reader.Location, $"{reader.Path} needs match (a regex on the line), json (fields of a JSON line), or both", "e.g. match = \"(?i)rate limit\" or json = { type = \"result\", api_error_status = 429 }");
            return null;
        }

        if (bucketName is null || !RoundBuckets.TryParse(bucketName, out var bucket) || (hasMatch && match is null) || (hasJson && json is null))
        {
            return null;
        }

        if (bucket == RoundBucket.RateLimitReset && resetAt is null && match?.GetGroupNames().Contains(ClassifyRule.ResetGroup) is not true)
        {
            reader.Problems.Warning(reader.Location, $"{reader.Path} is rate_limit_reset but reads no reset time, so it always backs off as rate_limit", "add reset_at = \"JSON.PATH\" with json, or a (?<reset>...) group to match");
        }

        var action = actionName is not null && RoundActions.TryParse(actionName, out var chosen) ? chosen : RoundBuckets.DefaultAction(bucket);
        return new ClassifyRule(bucket, match, [.. json ?? []], resetAt, action, backOff ?? RoundBuckets.DefaultBackOff(bucket), reader.Path) { Location = reader.Location };
    }

    private static Pattern? ReadMatch(TableReader reader)
    {
        if (reader.Entry("match") is not { } entry || reader.AsString(entry.Value, reader.Describe("match")) is not { } pattern)
        {
            return null;
        }

        return RoundsReader.Compile(reader, entry.Value, reader.Describe("match"), pattern);
    }

    /// <summary>
    /// <c>json = { type = "result", api_error_status = 429 }</c>. A dotted key
    /// (<c>rate_limit_info.status = "rejected"</c>) makes a nested TOML table, so nested tables
    /// are paths too, just as a quoted <c>"rate_limit_info.status"</c> is.
    /// </summary>
    private static List<JsonCondition>? ReadJson(TableReader reader)
    {
        if (reader.Entry("json") is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlTableNode table)
        {
            reader.TypeError(entry.Value, reader.Describe("json"), "a table of JSON paths and values, such as { type = \"result\" }");
            return null;
        }

        var conditions = new List<JsonCondition>();
        var valid = AddConditions(reader, table, "", conditions);
        if (valid && conditions.Count == 0)
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("json")} must name at least one field");
            return null;
        }

        return valid ? conditions : null;
    }

    private static bool AddConditions(TableReader reader, TomlTableNode table, string prefix, List<JsonCondition> conditions)
    {
        var valid = true;
        foreach (var item in table.Entries)
        {
            var path = prefix + item.Key;
            if (!JsonPath.IsValid(path))
            {
                reader.Problems.Error(item.KeyLocation, $"{reader.Describe("json")}: \"{path}\" is not a path: a field name is empty", "write fields as a.b.c, array items as a.0.b");
                valid = false;
                continue;
            }

            var expected = item.Value switch
            {
                TomlStringNode s => reader.Context.Interpolate(s),
                TomlIntegerNode n => n.Value.ToString(CultureInfo.InvariantCulture),
                TomlBooleanNode b => b.Value ? "true" : "false",
                _ => null,
            };
            if (item.Value is TomlTableNode nested)
            {
                valid &= AddConditions(reader, nested, path + ".", conditions);
            }
            else if (expected is null)
            {
                reader.Problems.Error(item.Value.Location, $"{reader.Describe("json")}.{path} must be a string, an integer or true/false, not a {item.Value.TypeName}", "write any other value as a string of its JSON text, e.g. \"1.5\" or \"null\"");
                valid = false;
            }
            else
            {
                conditions.Add(new JsonCondition(path, expected));
            }
        }

        return valid;
    }

    /// <summary>A JSON path, so it needs a JSON line; a regex carries its reset time in a named group instead.</summary>
    private static string? ReadResetAt(TableReader reader, bool hasJson)
    {
        if (reader.Entry("reset_at") is not { } entry || reader.AsString(entry.Value, reader.Describe("reset_at")) is not { } path)
        {
            return null;
        }

        if (!hasJson)
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("reset_at")} is a JSON path and needs json conditions to read it from", "with match alone, capture the time in a (?<reset>...) group");
            return null;
        }

        if (!JsonPath.IsValid(path))
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("reset_at")}: \"{path}\" is not a path: a field name is empty", "e.g. reset_at = \"rate_limit_info.resetsAt\"");
            return null;
        }

        return path;
    }

    private static TimeSpan? ReadBackOff(TableReader reader)
    {
        if (reader.Duration("back_off") is not { } backOff)
        {
            return null;
        }

        if (backOff > TimeSpan.Zero)
        {
            return backOff;
        }

        // Zero would rerun a failing agent at once, in a tight loop against the same limit.
        reader.Problems.Error(reader.Entry("back_off")!.Value.Location, $"{reader.Describe("back_off")} must be longer than zero");
        return null;
    }
}
