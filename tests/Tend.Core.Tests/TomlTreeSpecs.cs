using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Tests;

public sealed class TomlTreeSpecs
{
    [Fact]
    public void Tables_headers_and_dotted_keys_fold_into_one_tree_with_positions()
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse("""
            [stack]
            name = "demo"

            [components.api]
            kind = "service"
            health.http = "http://x/"

            [components.api.commands]
            "schema show" = { argv = ["a", "b"] }

            [[diagnose]]
            check = "tcp"
            [[diagnose]]
            check = "http"
            """, "tend.toml", problems);

        problems.Items.ShouldBeEmpty();
        root.ShouldNotBeNull();
        root.TryGet("components", out var components).ShouldBeTrue();
        var api = ((TomlTableNode)components.Value).Entries.Single();
        api.Key.ShouldBe("api");
        api.KeyLocation.ShouldBe(new SourceLocation("tend.toml", 4, 13));
        var apiTable = (TomlTableNode)api.Value;
        apiTable.TryGet("health", out var health).ShouldBeTrue();
        ((TomlTableNode)health.Value).TryGet("http", out var http).ShouldBeTrue();
        http.Value.Location.ShouldBe(new SourceLocation("tend.toml", 6, 15));
        apiTable.TryGet("commands", out var commands).ShouldBeTrue();
        var schema = ((TomlTableNode)commands.Value).Entries.Single();
        schema.Key.ShouldBe("schema show");
        root.TryGet("diagnose", out var diagnose).ShouldBeTrue();
        ((TomlArrayNode)diagnose.Value).Items.Count.ShouldBe(2);
    }

    [Fact]
    public void Malformed_toml_is_an_error_at_its_line_and_column()
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse("[stack]\nname = \"demo\nkind = 1\n", "bad.toml", problems);

        root.ShouldBeNull();
        problems.HasErrors.ShouldBeTrue();
        problems.Items[0].Location.File.ShouldBe("bad.toml");
        problems.Items[0].Location.Line.ShouldBe(2);
    }

    [Fact]
    public void A_duplicate_key_is_an_error()
    {
        var problems = new ConfigProblems();
        TomlTreeBuilder.Parse("a = 1\na = 2\n", "dup.toml", problems).ShouldBeNull();
        problems.Items.ShouldHaveSingleItem().Location.Line.ShouldBe(2);
    }
}
