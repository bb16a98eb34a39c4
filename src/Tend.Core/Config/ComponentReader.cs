using Tend.Core.Checks.Kinds;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Core.Config;

/// <summary>Reads one <c>[components.NAME]</c> table into a <see cref="Component"/>.</summary>
internal static class ComponentReader
{
    public static readonly IReadOnlyList<string> Kinds = ["service", "job", "external", "rounds"];

    public static readonly IReadOnlyList<string> Conditions = ["started", "healthy", "completed"];

    public static readonly IReadOnlyList<string> PreflightModes = ["all", "requires", "none"];

    /// <summary>A requirement as written; the short form leaves the condition to the loader.</summary>
    public sealed record RequirementDraft(string Component, RequirementCondition? Condition, SourceLocation Location);

    public sealed record ComponentDraft(Component Component, IReadOnlyList<RequirementDraft> Requires);

    public static ComponentDraft Read(string name, TableReader reader)
    {
        var context = reader.Context;
        var kindName = reader.Choice("kind", Kinds);
        var description = reader.String("description");
        var command = reader.Argv("command");
        var cwd = reader.String("cwd");
        var env = reader.StringMap("env") ?? ValueDictionary.Empty;
        var envFiles = reader.StringOrList("env_file") ?? [];
        var envInherit = ReadEnvInherit(reader);
        var secrets = reader.StringOrList("secrets") ?? [];
        var requires = ReadRequires(reader);
        var config = ReadConfig(reader);
        var preflight = ReadPreflight(reader);
        var health = ReadHealth(reader);
        var commands = ReadCommands(reader);
        var minUptime = reader.Duration("min_uptime");
        var once = reader.Boolean("once");
        var maxMemory = ReadMaxMemory(reader);
        var update = UpdateReader.Read(reader);
        var backup = BackupReader.Read(name, reader);
        var image = ImageReference.Read(reader);
        var kindGuess = kindName switch { "job" => ComponentKind.Job, "rounds" => ComponentKind.Rounds, _ => ComponentKind.Service };
        var restart = kindGuess == ComponentKind.Rounds ? RestartPolicy.DefaultFor(kindGuess) : SupervisionReader.ReadRestart(reader, kindGuess);
        var stop = SupervisionReader.ReadStop(reader);
        var logs = SupervisionReader.ReadLogs(reader, kindGuess == ComponentKind.Rounds ? LogPolicy.DefaultForRounds : LogPolicy.Default);
        var rounds = kindGuess == ComponentKind.Rounds ? RoundsReader.Read(name, reader) : null;
        var misplaced = kindGuess == ComponentKind.Rounds ? [] : RoundsReader.PresentSections(reader).ToList();
        reader.Allow([.. misplaced, .. kindGuess == ComponentKind.Rounds ? ["restart"] : Array.Empty<string>()]);
        reader.Finish();

        var kind = kindName switch
        {
            "job" => ComponentKind.Job,
            "external" => ComponentKind.External,
            "service" => ComponentKind.Service,
            "rounds" => ComponentKind.Rounds,
            _ => command is null && reader.Has("kind") is false ? ComponentKind.External : ComponentKind.Service,
        };

        if (kind == ComponentKind.External && command is not null)
        {
            reader.Problems.Error(reader.Entry("command")!.Value.Location, $"components.{name} is external: tend never starts it, so it takes no command", "make it kind = \"service\", or move the command under [components." + name + ".commands]");
        }

        if (kind != ComponentKind.External && command is null && reader.Has("kind"))
        {
            reader.Problems.Error(reader.Location, $"components.{name} ({kindName}) needs a command (an argv array)", "e.g. command = [\"python3\", \"app.py\"]");
        }

        if (kind == ComponentKind.Job && health is not null)
        {
            reader.Problems.Error(reader.Entry("health")!.KeyLocation, $"components.{name} is a job: jobs complete rather than stay healthy, so it takes no health probe", "others wait for it with requires = { " + name + " = \"completed\" }");
        }

        if (misplaced.Count > 0)
        {
            reader.Problems.Error(reader.Entry(misplaced[0])!.KeyLocation, $"components.{name} is not kind = \"rounds\": {string.Join(", ", misplaced)} belong to rounds components", "add kind = \"rounds\" to run the command again and again in rounds");
        }

        if (kind == ComponentKind.Rounds && health is not null)
        {
            reader.Problems.Error(reader.Entry("health")!.KeyLocation, $"components.{name} runs in rounds: each round ends, so it takes no health probe", "others wait for it with requires = { " + name + " = \"started\" } or \"completed\"");
        }

        if (minUptime is not null && kind != ComponentKind.Service)
        {
            reader.Problems.Error(reader.Entry("min_uptime")!.KeyLocation, $"components.{name} is {KindWord(kind)}: min_uptime is how long a service must stay up to count as up", kind == ComponentKind.Job ? "a job is up when it completes" : null);
        }

        if (once is not null && kind != ComponentKind.Job)
        {
            reader.Problems.Error(reader.Entry("once")!.KeyLocation, $"components.{name} is {KindWord(kind)}: once = true keeps a job's completion across `tend up`s", "only jobs run to completion");
        }

        if (update is not null && kind is ComponentKind.External or ComponentKind.Rounds)
        {
            reader.Problems.Error(reader.Entry("update")!.KeyLocation, $"components.{name} is {KindWord(kind)}: tend update gates a new version on a service's health or a job's completion", kind == ComponentKind.External ? "update it where it runs" : "a rounds component takes its new version at its next round; change it with a pre_round hook");
        }

        if (image is not null && kind == ComponentKind.External)
        {
            reader.Problems.Error(reader.Entry("image")!.KeyLocation, $"components.{name} is external: it is referenced, not run, so it takes no image", "tend export kubernetes points to it with an ExternalName Service instead");
        }

        if (maxMemory is not null && kind == ComponentKind.External)
        {
            reader.Problems.Error(reader.Entry("max_memory")!.KeyLocation, $"components.{name} is external: tend does not run it, so it cannot restart it above max_memory");
        }

        if (kind == ComponentKind.Rounds && reader.Table.TryGet("restart", out var restartEntry))
        {
            reader.Problems.Error(restartEntry.KeyLocation, $"components.{name} runs in rounds: the next round is its restart, paced by [components.{name}.rounds]", "use rounds.delay, rounds.failure_delay and rounds.crash_loop_after");
        }

        var workingDirectory = cwd is null ? context.BaseDirectory : Path.GetFullPath(cwd, context.BaseDirectory);
        if (cwd is not null && !Directory.Exists(workingDirectory))
        {
            reader.Problems.Error(reader.Entry("cwd")!.Value.Location, $"components.{name}.cwd {workingDirectory} does not exist");
        }

        var envFilePaths = envFiles.Select(f => Path.GetFullPath(f, context.BaseDirectory)).ToList();
        foreach (var path in envFilePaths)
        {
            if (!File.Exists(path))
            {
                reader.Problems.Error(reader.Entry("env_file")!.Value.Location, $"components.{name}.env_file {path} does not exist");
            }
        }

        if (kind == ComponentKind.External && (reader.Table.TryGet("restart", out _) || reader.Table.TryGet("stop", out _) || reader.Table.TryGet("logs", out _)))
        {
            reader.Problems.Error(reader.Location, $"components.{name} is external: tend never runs it, so restart, stop and logs do not apply");
        }

        var component = new Component(name, kind, description, command, workingDirectory, env, [.. envFilePaths], [], config, [.. preflight], health, [.. commands])
        {
            Location = reader.Table.Location,
            Restart = restart,
            Stop = stop,
            EnvInherit = envInherit,
            Logs = logs,
            Rounds = rounds,
            MinUptime = minUptime ?? Component.DefaultMinUptime,
            Once = once ?? false,
            Secrets = secrets,
            MaxMemory = maxMemory,
            Update = update,
            Backup = backup,
            Image = kind == ComponentKind.External ? null : image,
        };
        return new ComponentDraft(component, requires);
    }

    /// <summary><c>max_memory = "512MB"</c>: restarted above it (the monitor's max_memory rule), like pm2's max_memory_restart.</summary>
    private static long? ReadMaxMemory(TableReader reader)
    {
        if (reader.String("max_memory") is not { } text)
        {
            return null;
        }

        if (Quantities.TryParseSize(text, out var bytes) && bytes >= 1_000_000)
        {
            return bytes;
        }

        reader.Problems.Error(reader.Entry("max_memory")!.Value.Location, $"{reader.Describe("max_memory")} must be a size of at least 1MB, such as \"512MB\", not \"{text}\"");
        return null;
    }

    /// <summary><c>env_inherit = true | false | ["PATH", "HOME"]</c>.</summary>
    private static EnvInherit ReadEnvInherit(TableReader reader)
    {
        if (reader.Entry("env_inherit") is not { } entry)
        {
            return EnvInherit.Everything;
        }

        if (entry.Value is TomlBooleanNode flag)
        {
            return flag.Value ? EnvInherit.Everything : new EnvInherit(false, []);
        }

        if (entry.Value is not TomlArrayNode)
        {
            reader.TypeError(entry.Value, reader.Describe("env_inherit"), "true, false or a list of variable names");
            return EnvInherit.Everything;
        }

        var names = reader.AsStringList(entry.Value, reader.Describe("env_inherit")) ?? [];
        foreach (var name in names.Where(n => n.Length == 0 || n.Contains('=', StringComparison.Ordinal)))
        {
            reader.Problems.Error(entry.Value.Location, $"{reader.Describe("env_inherit")} names variables, and \"{name}\" is not a name", "e.g. env_inherit = [\"PATH\", \"HOME\"]");
        }

        return new EnvInherit(false, [.. names.Distinct(StringComparer.Ordinal)]);
    }

    private static List<RequirementDraft> ReadRequires(TableReader reader)
    {
        var result = new List<RequirementDraft>();
        if (reader.Entry("requires") is not { } entry)
        {
            return result;
        }

        switch (entry.Value)
        {
            case TomlTableNode table:
                foreach (var item in table.Entries)
                {
                    if (reader.AsString(item.Value, $"{reader.Describe("requires")}.{item.Key}") is not { } condition)
                    {
                        continue;
                    }

                    if (!Conditions.Contains(condition))
                    {
                        reader.Problems.Error(item.Value.Location, $"{reader.Describe("requires")}.{item.Key} must be \"started\", \"healthy\" or \"completed\", not \"{condition}\"", DidYouMean.Hint(condition, Conditions));
                        continue;
                    }

                    result.Add(new RequirementDraft(item.Key, Enum.Parse<RequirementCondition>(condition, ignoreCase: true), item.KeyLocation));
                }

                break;
            case TomlArrayNode array:
                // The short form names components; the condition follows from what they are (see StackFileLoader).
                foreach (var item in array.Items)
                {
                    if (reader.AsString(item, reader.Describe("requires") + " item") is { } other)
                    {
                        result.Add(new RequirementDraft(other, null, item.Location));
                    }
                }

                break;
            default:
                reader.TypeError(entry.Value, reader.Describe("requires"), "a table such as { postgres = \"healthy\" } or an array of names");
                break;
        }

        return result;
    }

    private static ConfigFileSpec? ReadConfig(TableReader reader)
    {
        var entry = reader.Entry("config");
        if (entry is null)
        {
            return null;
        }

        if (entry.Value is TomlStringNode pathOnly)
        {
            var path = reader.Context.Interpolate(pathOnly);
            return new ConfigFileSpec(path, null, FileCheck.FormatOf(path)) { Location = pathOnly.Location };
        }

        if (reader.Subtable("config") is not { } table)
        {
            return null;
        }

        var configPath = table.String("path", required: true);
        var sample = table.String("sample");
        var format = table.Choice("format", ["toml", "json", "yaml", "none"]);
        table.Finish();
        if (configPath is null)
        {
            return null;
        }

        return new ConfigFileSpec(configPath, sample, format == "none" ? null : format ?? FileCheck.FormatOf(configPath)) { Location = entry.KeyLocation };
    }

    private static List<CheckSpec> ReadPreflight(TableReader reader)
    {
        var result = new List<CheckSpec>();
        if (reader.Entry("preflight") is not { } entry)
        {
            return result;
        }

        if (entry.Value is not TomlArrayNode array)
        {
            reader.TypeError(entry.Value, reader.Describe("preflight"), "an array of check tables, such as [{ tcp = \"127.0.0.1:5432\" }]");
            return result;
        }

        for (var i = 0; i < array.Items.Count; i++)
        {
            if (array.Items[i] is not TomlTableNode table)
            {
                reader.TypeError(array.Items[i], $"{reader.Describe("preflight")}[{i}]", "a check table");
                continue;
            }

            if (CheckReader.Read(new TableReader(table, $"{reader.Describe("preflight")}[{i}]", reader.Context)) is { } check)
            {
                result.Add(check);
            }
        }

        return result;
    }

    private static HealthProbe? ReadHealth(TableReader reader)
    {
        if (reader.Subtable("health") is not { } table)
        {
            return null;
        }

        var interval = table.Duration("interval") ?? TimeSpan.FromSeconds(5);
        var retries = table.Integer("retries", 1, 100) ?? 3;
        // Time to pass the first time, on top of retries × interval: a readiness probe polls fast,
        // so without it a service slower to start than three intervals would be restarted.
        var startPeriod = table.Duration("start_period") ?? TimeSpan.FromSeconds(60);
        var check = CheckReader.Read(table, ["interval", "retries", "start_period"]);
        return check is null ? null : new HealthProbe(check, interval, (int)retries, startPeriod);
    }

    private static List<ComponentCommand> ReadCommands(TableReader reader)
    {
        var result = new List<ComponentCommand>();
        if (reader.Subtable("commands") is not { } commands)
        {
            return result;
        }

        foreach (var entry in commands.Table.Entries)
        {
            commands.Allow(entry.Key);
            var what = commands.Describe(entry.Key.Contains(' ', StringComparison.Ordinal) ? $"\"{entry.Key}\"" : entry.Key);
            if (entry.Key.Trim().Length == 0)
            {
                reader.Problems.Error(entry.KeyLocation, $"{commands.Path} has a command with an empty name");
                continue;
            }

            if (entry.Value is TomlArrayNode)
            {
                // Short form: "name" = ["argv", ...]
                if (commands.AsStringList(entry.Value, what) is { Count: > 0 } shortArgv)
                {
                    result.Add(new ComponentCommand(entry.Key, shortArgv, null, false, [], CommandPreflight.Requires) { Location = entry.KeyLocation });
                }

                continue;
            }

            if (entry.Value is not TomlTableNode table)
            {
                commands.TypeError(entry.Value, what, "a table such as { argv = [...], description = \"...\" } or an argv array");
                continue;
            }

            var command = new TableReader(table, what, reader.Context);
            var argv = command.Argv("argv", required: true);
            var description = command.String("description");
            var blocking = command.Boolean("blocking") ?? false;
            var next = command.StringOrList("next") ?? [];
            var preflight = command.Choice("preflight", PreflightModes);
            command.Finish();
            if (argv is not null)
            {
                // A blocking command usually starts the server, so it gets the full start checks by default.
                var mode = preflight switch
                {
                    "all" => CommandPreflight.All,
                    "requires" => CommandPreflight.Requires,
                    "none" => CommandPreflight.None,
                    _ => blocking ? CommandPreflight.All : CommandPreflight.Requires,
                };
                result.Add(new ComponentCommand(entry.Key.Trim(), argv, description, blocking, next, mode) { Location = entry.KeyLocation });
            }
        }

        return result;
    }

    private static string KindWord(ComponentKind kind) => kind switch
    {
        ComponentKind.Job => "a job",
        ComponentKind.External => "external",
        ComponentKind.Rounds => "a rounds component",
        _ => "a service",
    };
}
