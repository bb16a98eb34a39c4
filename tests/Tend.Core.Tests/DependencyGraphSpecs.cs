using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Tests;

public sealed class DependencyGraphSpecs
{
    private static StackFile Load(string toml)
    {
        var result = StackFileLoader.Parse(toml, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());
        result.Errors.ShouldBeEmpty();
        return result.Stack!;
    }

    private const string Diamond = """
        [components.db]
        kind = "external"
        health = { tcp = "127.0.0.1:5432" }
        [components.cache]
        kind = "external"
        health = { tcp = "127.0.0.1:6379" }
        [components.migrate]
        kind = "job"
        command = ["./migrate"]
        requires = ["db"]
        [components.api]
        command = ["./api"]
        requires = ["db", "cache", "migrate"]
        health = { tcp = "127.0.0.1:8080" }
        [components.web]
        command = ["./web"]
        requires = ["api"]
        [components.docs]
        command = ["./docs"]
        """;

    [Fact]
    public void Levels_start_each_component_after_everything_it_requires()
    {
        var stack = Load(Diamond);
        var graph = new DependencyGraph(stack.Components);

        var levels = graph.Levels().Select(l => l.Select(c => c.Name).ToArray()).ToArray();

        levels.Length.ShouldBe(4);
        levels[0].ShouldBe(["db", "cache", "docs"]);
        levels[1].ShouldBe(["migrate"]);
        levels[2].ShouldBe(["api"]);
        levels[3].ShouldBe(["web"]);
    }

    [Fact]
    public void The_closure_of_a_component_holds_what_it_requires_transitively_and_nothing_else()
    {
        var graph = new DependencyGraph(Load(Diamond).Components);

        graph.Closure(["web"]).Select(c => c.Name).ShouldBe(["db", "cache", "migrate", "api", "web"]);
        graph.Closure(["migrate"]).Select(c => c.Name).ShouldBe(["db", "migrate"]);
    }

    [Fact]
    public void The_short_requires_form_infers_the_condition_from_the_required_component()
    {
        var api = Load(Diamond).Find("api")!;

        api.Requires.Select(r => (r.Component, r.Condition)).ShouldBe(
        [
            ("db", RequirementCondition.Healthy),
            ("cache", RequirementCondition.Healthy),
            ("migrate", RequirementCondition.Completed),
        ]);
    }

    [Fact]
    public void A_cycle_is_found_with_every_name_along_it()
    {
        var edges = new Dictionary<string, IReadOnlyList<string>>
        {
            ["a"] = ["b"],
            ["b"] = ["c"],
            ["c"] = ["a"],
            ["d"] = ["a"],
        };

        DependencyGraph.FindCycle(edges).ShouldBe(["a", "b", "c", "a"]);
    }

    [Fact]
    public void A_graph_without_cycles_has_none()
    {
        var edges = new Dictionary<string, IReadOnlyList<string>> { ["a"] = ["b"], ["b"] = [], ["c"] = ["a", "b"] };

        DependencyGraph.FindCycle(edges).ShouldBeNull();
    }
}
