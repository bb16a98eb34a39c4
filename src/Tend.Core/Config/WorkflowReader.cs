using System.Globalization;
using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// Reads a workflow from its tree of positioned values: a <c>[workflows.NAME]</c> table of the
/// stack file, or a YAML file folded into the same nodes (<see cref="YamlTree"/>), so that both
/// formats share one reader, one set of keys and one wording of every problem.
/// </summary>
internal static class WorkflowReader
{
    public static readonly IReadOnlyList<string> OnFailWords = ["stop", "continue", "pause_for_review"];

    public static readonly IReadOnlyList<string> BackoffWords = ["linear", "exponential"];

    public static readonly IReadOnlyList<string> ConditionWords = ["succeeded", "any"];

    /// <summary>Every <c>[workflows.NAME]</c> of the stack file.</summary>
    public static ValueList<Workflow> ReadAll(TableReader top, string source, string directory)
    {
        if (top.Subtable("workflows") is not { } table)
        {
            return [];
        }

        var workflows = new List<Workflow>();
        foreach (var entry in table.Table.Entries)
        {
            table.Allow(entry.Key);
            if (entry.Value is not TomlTableNode body)
            {
                table.TypeError(entry.Value, table.Describe(entry.Key), "a table");
                continue;
            }

            if (Read(entry.Key, new TableReader(body, table.Describe(entry.Key), top.Context), WorkflowFormat.Toml, source, directory) is { } workflow)
            {
                workflows.Add(workflow);
            }
        }

        table.Finish();
        return [.. workflows];
    }

    /// <summary>One workflow; null when it is too broken to stand (the problems say why).</summary>
    /// <param name="name">The table's name; for YAML, the file's name, used when it has no <c>name</c>.</param>
    public static Workflow? Read(string name, TableReader reader, WorkflowFormat format, string source, string directory)
    {
        var errorsBefore = reader.Problems.Items.Count(p => p.IsError);
        if (format == WorkflowFormat.Yaml)
        {
            name = reader.String("name") ?? name;
        }

        var description = reader.String("description");
        var inputs = reader.StringMap("inputs") ?? ValueDictionary.Empty;
        var policy = ReadPolicy(reader, format);
        var steps = ReadSteps(reader, format);
        reader.Finish();
        if (steps is null || reader.Problems.Items.Count(p => p.IsError) > errorsBefore)
        {
            return null;
        }

        return new Workflow(name, format, source, directory, steps, policy) { Location = reader.Location, Description = description, Inputs = inputs };
    }

    private static WorkflowPolicy ReadPolicy(TableReader reader, WorkflowFormat format)
    {
        if (reader.Subtable("policy") is not { } table)
        {
            return WorkflowPolicy.Default;
        }

        var maxTokens = table.Integer("max_tokens", 0);
        var maxCost = ReadDecimal(table, "max_cost");
        var timeout = table.Duration("timeout");
        var parallel = table.Integer("parallel", int.MinValue, int.MaxValue);
        var cache = table.Boolean("cache");
        if (format == WorkflowFormat.Yaml)
        {
            // The orchestrator's own words for the same settings.
            cache = table.Boolean("enable_caching") ?? cache;
            timeout = Minutes(table, "timeout_minutes") ?? timeout;
            if (table.Boolean("parallel_execution") is false)
            {
                parallel ??= 1;
            }

            // Accepted so the orchestrator's files load; tend prefers nothing (docs/workflows.md).
            table.Boolean("prefer_deterministic");
        }

        table.Finish();
        return new WorkflowPolicy(maxTokens, maxCost, timeout, (int)(parallel ?? WorkflowPolicy.DefaultParallel), cache ?? false);
    }

    private static ValueList<WorkflowStep>? ReadSteps(TableReader reader, WorkflowFormat format)
    {
        if (reader.Entry("steps", required: true) is not { } entry)
        {
            return null;
        }

        if (entry.Value is not TomlArrayNode array)
        {
            reader.TypeError(entry.Value, reader.Describe("steps"), format == WorkflowFormat.Toml ? "an array of tables ([[...steps]])" : "a list of steps");
            return null;
        }

        if (array.Items.Count == 0)
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("steps")} is empty: a workflow needs at least one step");
            return null;
        }

        var steps = new List<WorkflowStep>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            var what = $"{reader.Describe("steps")}[{i}]";
            if (array.Items[i] is not TomlTableNode body)
            {
                reader.TypeError(array.Items[i], what, "a table of step keys");
                continue;
            }

            if (ReadStep(new TableReader(body, what, reader.Context), format) is { } step)
            {
                steps.Add(step);
            }
        }

        return [.. steps];
    }

    private static WorkflowStep? ReadStep(TableReader reader, WorkflowFormat format)
    {
        var id = ReadId(reader);
        var name = reader.String("name");
        var run = ReadRun(reader);
        var with = reader.StringMap("with") ?? ValueDictionary.Empty;
        var dependsOn = ReadDependsOn(reader);
        var whenEntry = reader.Entry("when");
        var when = whenEntry is null ? null : reader.AsString(whenEntry.Value, reader.Describe("when"));
        var retry = ReadRetry(reader);
        var timeout = reader.Duration("timeout");
        if (format == WorkflowFormat.Yaml)
        {
            timeout = Minutes(reader, "timeout_minutes") ?? timeout;
        }

        var onFail = reader.Choice("on_fail", OnFailWords) switch
        {
            "continue" => OnFail.Continue,
            "pause_for_review" => OnFail.PauseForReview,
            _ => OnFail.Stop,
        };
        var emits = ReadEmits(reader);
        var cache = reader.Boolean("cache") ?? true;
        reader.Finish();
        if (id is null || run is null || dependsOn is null || retry is null || emits is null)
        {
            return null;
        }

        return new WorkflowStep(id, name, run, with, dependsOn, when, retry, timeout, onFail, emits)
        {
            Location = reader.Location,
            WhenLocation = whenEntry is { Value: TomlStringNode text } ? YamlTree.ContentStart(text) : SourceLocation.None,
            Cache = cache,
        };
    }

    private static string? ReadId(TableReader reader)
    {
        if (reader.Entry("id", required: true) is not { } entry)
        {
            return null;
        }

        if (entry.Value is TomlIntegerNode or TomlFloatNode)
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("id")} must be a string, not a number", "quote it, as in id: \"1.001\" (unquoted, 1.010 would read as 1.01)");
            return null;
        }

        var id = reader.AsString(entry.Value, reader.Describe("id"));
        if (id is { Length: 0 })
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("id")} must not be empty");
            return null;
        }

        return id;
    }

    /// <summary><c>run</c> or <c>actor</c>, exactly one of them.</summary>
    private static StepRun? ReadRun(TableReader reader)
    {
        var runEntry = reader.Entry("run");
        var actorEntry = reader.Entry("actor");
        if (runEntry is not null && actorEntry is not null)
        {
            reader.Problems.Error(actorEntry.KeyLocation, $"{reader.Path} has both run and actor: a step runs one thing", "keep run (a command of its own) or actor (a name of the [actors] table)");
            return null;
        }

        if (runEntry is not null)
        {
            return StepRunReader.Read(runEntry.Value, reader.Describe("run"), reader);
        }

        if (actorEntry is not null)
        {
            var actor = reader.AsString(actorEntry.Value, reader.Describe("actor"));
            return actor is null ? null : new StepRun.Actor(actor, null) { Location = actorEntry.Value.Location };
        }

        reader.Problems.Error(reader.Location, $"{reader.Path} has neither run nor actor: it would run nothing", "add run = [\"COMMAND\", \"ARG\"] (or \"COMPONENT COMMAND\"), or actor = \"NAME\" of the [actors] table");
        return null;
    }

    private static ValueList<StepDependency>? ReadDependsOn(TableReader reader)
    {
        if (reader.Entry("depends_on") is not { } entry)
        {
            return [];
        }

        var what = reader.Describe("depends_on");
        var dependencies = new List<StepDependency>();
        switch (entry.Value)
        {
            case TomlStringNode single:
                return [new StepDependency(reader.AsString(single, what)!, DependencyCondition.Succeeded) { Location = single.Location }];
            case TomlArrayNode array:
                foreach (var item in array.Items)
                {
                    if (reader.AsString(item, what + " item") is { } id)
                    {
                        dependencies.Add(new StepDependency(id, DependencyCondition.Succeeded) { Location = item.Location });
                    }
                }

                return dependencies.Count == array.Items.Count ? [.. dependencies] : null;
            case TomlTableNode table:
                foreach (var item in table.Entries)
                {
                    var condition = reader.AsString(item.Value, $"{what}.{item.Key}");
                    if (condition is not null && !ConditionWords.Contains(condition))
                    {
                        reader.Problems.Error(item.Value.Location, $"{what}.{item.Key} must be \"succeeded\" or \"any\", not \"{condition}\"", Text.DidYouMean.Hint(condition, ConditionWords));
                        return null;
                    }

                    if (condition is null)
                    {
                        return null;
                    }

                    dependencies.Add(new StepDependency(item.Key, condition == "any" ? DependencyCondition.Any : DependencyCondition.Succeeded) { Location = item.KeyLocation });
                }

                return [.. dependencies];
            default:
                reader.TypeError(entry.Value, what, "a list of step ids, or a table { ID = \"succeeded\" | \"any\" }");
                return null;
        }
    }

    private static RetryPolicy? ReadRetry(TableReader reader)
    {
        if (reader.Subtable("retry") is not { } table)
        {
            return reader.Has("retry") ? null : RetryPolicy.None;
        }

        var max = table.Integer("max", int.MinValue, int.MaxValue);
        var backoff = table.Choice("backoff", BackoffWords);
        var delay = table.Duration("delay");
        var codes = new List<int>();
        var classes = new List<string>();
        var ok = true;
        if (table.Entry("on") is { } on)
        {
            if (on.Value is not TomlArrayNode array)
            {
                table.TypeError(on.Value, table.Describe("on"), "an array of exit codes and classifier buckets ([75, \"transient\"])");
                ok = false;
            }
            else
            {
                foreach (var item in array.Items)
                {
                    switch (item)
                    {
                        case TomlIntegerNode { Value: >= 0 and <= 255 } code:
                            codes.Add((int)code.Value);
                            break;
                        case TomlStringNode bucket:
                            classes.Add(table.AsString(bucket, table.Describe("on"))!);
                            break;
                        default:
                            table.Problems.Error(item.Location, $"{table.Describe("on")} takes exit codes (0 to 255) and classifier buckets (\"transient\"), not {(item is TomlIntegerNode i ? i.Value.ToString(CultureInfo.InvariantCulture) : "a " + item.TypeName)}");
                            ok = false;
                            break;
                    }
                }
            }
        }

        table.Finish();
        if (!ok || (table.Has("backoff") && backoff is null) || (table.Has("max") && max is null) || (table.Has("delay") && delay is null))
        {
            return null;
        }

        var none = RetryPolicy.None;
        return new RetryPolicy((int)(max ?? 0), backoff == "linear" ? Backoff.Linear : backoff is null ? none.Backoff : Backoff.Exponential, delay ?? none.Delay, [.. codes], [.. classes]);
    }

    private static ValueList<ArtifactSpec>? ReadEmits(TableReader reader)
    {
        if (reader.Entry("emits") is not { } entry)
        {
            return [];
        }

        var what = reader.Describe("emits");
        if (entry.Value is not TomlArrayNode array)
        {
            reader.TypeError(entry.Value, what, "an array of paths or { path, schema } tables");
            return null;
        }

        var artifacts = new List<ArtifactSpec>();
        foreach (var item in array.Items)
        {
            if (item is TomlStringNode path)
            {
                artifacts.Add(new ArtifactSpec(reader.AsString(path, what)!, null) { Location = path.Location });
            }
            else if (item is TomlTableNode table)
            {
                var spec = new TableReader(table, what + " item", reader.Context);
                var artifactPath = spec.String("path", required: true);
                var schema = spec.String("schema");
                spec.Finish();
                if (artifactPath is not null)
                {
                    artifacts.Add(new ArtifactSpec(artifactPath, schema) { Location = table.Location });
                }
            }
            else
            {
                reader.TypeError(item, what + " item", "a path or a { path, schema } table");
            }
        }

        return artifacts.Count == array.Items.Count ? [.. artifacts] : null;
    }

    private static decimal? ReadDecimal(TableReader table, string key) => table.Entry(key) switch
    {
        null => null,
        { Value: TomlIntegerNode i } => i.Value,
        { Value: TomlFloatNode f } => (decimal)f.Value,
        { Value: var other } => Reject(table, other, key),
    };

    private static decimal? Reject(TableReader table, TomlNode node, string key)
    {
        table.TypeError(node, table.Describe(key), "a number");
        return null;
    }

    private static TimeSpan? Minutes(TableReader table, string key) => table.Entry(key) switch
    {
        null => null,
        { Value: TomlIntegerNode { Value: >= 0 } i } => TimeSpan.FromMinutes(i.Value),
        { Value: TomlFloatNode { Value: >= 0 } f } => TimeSpan.FromMinutes(f.Value),
        { Value: var other } => RejectMinutes(table, other, key),
    };

    private static TimeSpan? RejectMinutes(TableReader table, TomlNode node, string key)
    {
        table.Problems.Error(node.Location, $"{table.Describe(key)} must be a number of minutes (0 or more)");
        return null;
    }
}
