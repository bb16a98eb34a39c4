using System.Collections;
using System.Reflection;
using Tend.Core.Config;
using Tend.Core.Model;
using Tend.Core.Tests.Support;
using Tend.Core.Text;

// The walk over the model is reflection, which the tests, run under the JIT, may use freely.
#pragma warning disable IL2075, IL3050

namespace Tend.Core.Tests;

/// <summary>
/// Issue 7: a reload restarts what changed, so every setting of a component, however deep, must
/// count. Equality of the stack model is the records' own, by value; these specs change every
/// field reachable from a component, one at a time, and require the change to be seen.
/// </summary>
public sealed class ComponentChangeSpecs : IDisposable
{
    private readonly TempDirectory _directory = new();

    /// <summary>A stack that sets (nearly) every setting, so that every field has a value to change.</summary>
    private const string Rich = """
        [components.db]
        kind = "external"
        health = { postgres = "postgresql://app@127.0.0.1:5432/app", password_env = "PGPASSWORD", interval = "2s", retries = 4, start_period = "30s", timeout = "3s" }

        [components.api]
        description = "the API"
        command = ["./api", "--port", "8080"]
        cwd = "."
        env = { MODE = "dev" }
        env_file = ["api.env"]
        env_inherit = ["PATH", "HOME"]
        requires = { db = "healthy" }
        config = { path = "api.toml", sample = "api.sample.toml", format = "toml" }
        preflight = [
          { port-free = 8080, name = "api port", optional = true },
          { http = "http://127.0.0.1:9/", status = [200, "3xx"], body = "ok", insecure = true, slow = "1s", headers = { X = "y" } },
          { exec = ["./check", "--all"], exit_code = 3, output = "fine", cwd = ".", env = { A = "b" } },
          { command = "python3", min_version = "3.9", version_args = ["-V"] },
          { disk-space = ".", warn_below = "20%", fail_below = "1GB" },
          { alembic = "alembic.ini", database = "db", version_table = "versions", schema = "meta" },
        ]
        health = { http = "http://127.0.0.1:8080/health", interval = "1s" }
        restart = { policy = "always", backoff = "2s..30s", reset_after = "1m", budget = "3/1m", on_unhealthy = false }
        stop = { signal = "INT", grace = "5s" }
        logs = { max_size = "1MB", keep = 3 }

        [components.api.commands]
        "schema show" = { argv = ["./api", "schema"], description = "show it", blocking = true, next = ["tend logs api"], preflight = "none" }

        [components.agent]
        kind = "rounds"
        command = ["./agent"]
        [components.agent.rounds]
        delay = "1s"
        failure_delay = "2s"
        timeout = "1h"
        max_rounds = 5
        sentinel = ".done"
        stop_file = "stop"
        result = '"type":"result"'
        grace_after_result = "20s"
        grace_ignore = ["helper"]
        short_crash = "5s"
        crash_loop_after = 4
        back_off_max = "10m"
        reset_jitter = "1s..5s"
        phases = ["think"]
        [components.agent.prompt]
        files = ["prompt.md"]
        separator = "\n---\n"
        arg = ["-p", "{prompt}"]
        [components.agent.phase.think]
        args = ["--think"]
        env = { PHASE = "think" }
        prompt = ["prompt.md"]
        timeout = "30m"
        [components.agent.hooks]
        on_start = ["./setup"]
        pre_round = ["./prepare"]
        timeout = "1m"
        [[components.agent.classify]]
        bucket = "rate_limit"
        match = "429"
        json = { type = "error" }
        action = "alert"
        back_off = "2m"
        """;

    public ComponentChangeSpecs()
    {
        _directory.Write("api.env", "X=1\n");
        _directory.Write("prompt.md", "go\n");
        _directory.Write("alembic.ini", "[alembic]\nscript_location = migrations\n");
    }

    public void Dispose() => _directory.Dispose();

    private StackFile Load(string toml)
    {
        var path = _directory.Write("tend.toml", toml);
        var result = StackFileLoader.Load(path, name => name == "PGPASSWORD" ? "secret" : null);
        result.Errors.ShouldBeEmpty();
        return result.Stack!;
    }

    [Fact]
    public void The_same_definition_loaded_twice_is_equal()
    {
        var first = Load(Rich);
        var second = Load(Rich);

        foreach (var component in first.Components)
        {
            var twin = second.Find(component.Name)!;
            twin.ShouldBe(component);
            ComponentChange.Between(component, twin).ShouldBeNull();
        }
    }

    [Fact]
    public void Every_preset_loaded_twice_is_equal()
    {
        foreach (var preset in Directory.GetDirectories(RepoPaths.Examples))
        {
            var path = Path.Combine(preset, "tend.toml");
            var first = StackFileLoader.Load(path, _ => null).Stack.ShouldNotBeNull(path);
            var second = StackFileLoader.Load(path, _ => null).Stack!;
            foreach (var component in first.Components)
            {
                ComponentChange.Between(component, second.Find(component.Name)!).ShouldBeNull($"{path}: {component.Name}");
            }
        }
    }

    [Fact]
    public void Moving_a_definition_in_the_file_is_no_change()
    {
        var before = Load(Rich).Find("api")!;
        var after = Load("\n\n# moved down\n" + Rich).Find("api")!;

        after.Location.ShouldNotBe(before.Location);
        ComponentChange.Between(before, after).ShouldBeNull();
    }

    [Fact]
    public void A_change_to_any_field_reachable_from_a_component_is_seen_and_named()
    {
        var stack = Load(Rich);
        var seen = 0;
        foreach (var component in stack.Components)
        {
            // A component of another name is another component, not a change of this one.
            foreach (var (path, mutated) in Mutations(component, component.Name).Where(m => m.Path != $"{component.Name}.Name"))
            {
                var changed = (Component)mutated;
                changed.ShouldNotBe(component, path);
                var change = ComponentChange.Between(component, changed).ShouldNotBeNull(path);
                change.Settings.ShouldNotContain("definition", $"{path} is not named by ComponentChange.Between");
                seen++;
            }
        }

        // Enough paths that the walk clearly went deep (rounds, phases, checks, rules).
        seen.ShouldBeGreaterThan(120);
    }

    [Fact]
    public void Only_description_and_commands_are_taken_over_without_a_restart()
    {
        var api = Load(Rich).Find("api")!;

        ComponentChange.Between(api, api with { Description = "new words" })!.NeedsRestart.ShouldBeFalse();
        ComponentChange.Between(api, api with { Commands = [] })!.NeedsRestart.ShouldBeFalse();
        ComponentChange.Between(api, api with { Image = "registry.example/api:2" })!.NeedsRestart.ShouldBeFalse("only the Kubernetes export reads the image");
        ComponentChange.Between(api, api with { Command = ["./api", "--port", "8081"] })!.NeedsRestart.ShouldBeTrue();
        ComponentChange.Between(api, api with { Health = api.Health! with { Retries = 9 } })!.Settings.ShouldBe(["health"]);
    }

    [Fact]
    public void The_stack_changes_say_what_was_added_removed_and_changed()
    {
        var before = Load(Rich);
        var after = before with { Components = [.. before.Components.Where(c => c.Name != "agent").Select(c => c.Name == "api" ? c with { Stop = c.Stop with { Grace = TimeSpan.FromSeconds(1) } } : c), before.Find("db")! with { Name = "cache" }] };

        var changes = StackChanges.Between(before, after);

        changes.Added.ShouldBe(["cache"]);
        changes.Removed.ShouldBe(["agent"]);
        changes.Describe().ShouldBe(["cache: added", "api: stop changed", "agent: removed"]);
    }

    /// <summary>Every copy of <paramref name="value"/> with one field changed somewhere beneath it, with the path to that field.</summary>
    private static IEnumerable<(string Path, object Mutated)> Mutations(object value, string path)
    {
        var type = value.GetType();
        if (Leaf(value) is { } changed)
        {
            yield return (path, changed);
            yield break;
        }

        if (type.IsGenericType && type.GetGenericTypeDefinition() == typeof(ValueList<>))
        {
            var items = ((IEnumerable)value).Cast<object>().ToList();
            var itemType = type.GetGenericArguments()[0];
            if (items.Count > 0)
            {
                yield return ($"{path}[-last]", MakeList(itemType, items.Take(items.Count - 1)));
                foreach (var (inner, mutated) in Mutations(items[0], $"{path}[0]"))
                {
                    yield return (inner, MakeList(itemType, [mutated, .. items.Skip(1)]));
                }
            }
            else if (itemType == typeof(string))
            {
                yield return ($"{path}[+]", MakeList(itemType, ["added"]));
            }

            yield break;
        }

        if (value is ValueDictionary map)
        {
            yield return ($"{path}{{+}}", new ValueDictionary([.. map, new("ADDED", "1")]));
            yield break;
        }

        // A record (class or struct): each settable property in turn.
        foreach (var property in type.GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (property.SetMethod is null || property.Name == nameof(Located.Location) || property.GetIndexParameters().Length > 0)
            {
                continue;
            }

            var current = property.GetValue(value);
            var fieldPath = $"{path}.{property.Name}";
            var replacements = current is null ? Leaf(null, property.PropertyType) is { } fresh ? [(fieldPath, fresh)] : [] : Mutations(current, fieldPath);
            foreach (var (inner, mutated) in replacements)
            {
                var copy = Clone(value);
                property.SetValue(copy, mutated);
                yield return (inner, copy);
            }
        }
    }

    /// <summary>A different value for a field that is not a record or collection; null for those.</summary>
    private static object? Leaf(object? value, Type? declared = null)
    {
        var type = Nullable.GetUnderlyingType(declared ?? value!.GetType()) ?? declared ?? value!.GetType();
        return value switch
        {
            null when type == typeof(string) => "set",
            null when type == typeof(TimeSpan) => TimeSpan.FromSeconds(7),
            null when type == typeof(int) => 7,
            null when type == typeof(bool) => true,
            null when type.IsEnum => Enum.GetValues(type).GetValue(0),
            null => null,
            string text => text + "x",
            int number => number + 1,
            long number => number + 1,
            double number => number + 1,
            bool flag => !flag,
            TimeSpan span => span + TimeSpan.FromSeconds(1),
            Enum e => Enum.GetValues(type).Cast<object>().First(v => !v.Equals(e)),
            Pattern pattern => Patterns.Create(pattern + "x"),
            System.Text.RegularExpressions.Regex regex => Patterns.Create(regex + "x"),
            Uri uri => new Uri(uri + "x"),
            Version version => new Version(version.Major + 1, 0),
            ValueTuple<int, int> pair => (pair.Item1 + 1, pair.Item2),
            _ => null,
        };
    }

    private static object MakeList(Type itemType, IEnumerable<object> items)
    {
        var array = Array.CreateInstance(itemType, items.Count());
        var i = 0;
        foreach (var item in items)
        {
            array.SetValue(item, i++);
        }

        return typeof(ValueList).GetMethod(nameof(ValueList.ToValueList))!.MakeGenericMethod(itemType).Invoke(null, [array])!;
    }

    private static object Clone(object value) =>
        typeof(object).GetMethod("MemberwiseClone", BindingFlags.NonPublic | BindingFlags.Instance)!.Invoke(value, null)!;
}
