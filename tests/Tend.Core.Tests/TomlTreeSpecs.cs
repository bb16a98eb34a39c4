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

    [Theory]
    [InlineData(65, "[", "]")]
    [InlineData(1000, "[", "]")]
    [InlineData(1000, "{ a = ", " }")]
    public void Nesting_deeper_than_64_levels_is_an_error_at_its_place(int depth, string open, string close)
    {
        var problems = new ConfigProblems();
        var text = $"name = \"deep\"\nx = {string.Concat(Enumerable.Repeat(open, depth))}1{string.Concat(Enumerable.Repeat(close, depth))}\n";

        TomlTreeBuilder.Parse(text, "deep.toml", problems).ShouldBeNull();

        var problem = problems.Items.ShouldHaveSingleItem();
        problem.Location.Line.ShouldBe(2);
        problem.Message.ShouldContain("nested deeper than 64");
    }

    [Theory]
    [InlineData("cwd = \"a\\u0000b\"", 1, 7)]
    [InlineData("command = [\"sleep\", \"1\\u0000\"]", 1, 21)]
    [InlineData("\"a\\u0000b\" = 1", 1, 1)]
    [InlineData("env = { \"A\\u0000\" = \"1\" }", 1, 9)]
    public void A_nul_character_in_a_string_or_key_is_an_error_at_its_place(string toml, int line, int column)
    {
        var problems = new ConfigProblems();

        TomlTreeBuilder.Parse(toml + "\n", "nul.toml", problems);

        var problem = problems.Items.ShouldHaveSingleItem();
        problem.Location.ShouldBe(new SourceLocation("nul.toml", line, column));
        problem.Message.ShouldContain("NUL");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Thirty_thousand_distinct_keys_in_one_table_are_not_duplicates(int seed)
    {
        var random = new Random(seed);
        var keys = new HashSet<string>(StringComparer.Ordinal);
        while (keys.Count < 30_000)
        {
            keys.Add(string.Concat(Enumerable.Range(0, random.Next(3, 12)).Select(_ => (char)('a' + random.Next(26)))));
        }

        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse(string.Concat(keys.Select(k => $"{k} = 1\n")), "many.toml", problems);

        problems.Items.ShouldBeEmpty();
        root.ShouldNotBeNull().Entries.Count.ShouldBe(30_000);
    }

    /// <summary>Tomlyn's validator compares keys by a 32-bit hash and shares one buffer between the paths it stores (docs/upstream/tomlyn-duplicate-keys.md): two keys whose string.GetHashCode collide in this process are its false duplicates.</summary>
    private static (string A, string B) CollidingKeys()
    {
        var seen = new Dictionary<int, string>();
        for (var i = 0; ; i++)
        {
            var key = $"k{i}";
            if (seen.TryGetValue(key.GetHashCode(StringComparison.Ordinal), out var other))
            {
                return (other, key);
            }

            seen[key.GetHashCode(StringComparison.Ordinal)] = key;
        }
    }

    [Theory]
    [InlineData("[t]\n{0} = 1\n{1} = 2\n")]
    [InlineData("t = {{ {0} = 1, {1} = 2 }}\n")]
    [InlineData("[[t]]\n{0} = 1\n{1} = 2\n")]
    [InlineData("[t]\n{0}.x = 1\n{1}.x = 2\n")]
    public void Two_different_keys_are_never_duplicates_even_when_their_hashes_collide(string template)
    {
        var (a, b) = CollidingKeys();
        var problems = new ConfigProblems();

        var root = TomlTreeBuilder.Parse(string.Format(System.Globalization.CultureInfo.InvariantCulture, template, a, b), "collide.toml", problems);

        problems.Items.ShouldBeEmpty();
        root.ShouldNotBeNull();
    }

    [Theory]
    [InlineData("[t]\na = 1\na = 2\n", 3)]
    [InlineData("t = { a = 1, a = 2 }\n", 1)]
    [InlineData("[t]\n[t]\n", 2)]
    [InlineData("a.b = 1\na = 2\n", 2)]
    [InlineData("a = 1\na.b = 2\n", 2)]
    [InlineData("[a]\nb = 1\n[a.b]\n", 3)]
    public void Real_duplicates_are_still_errors(string toml, int line)
    {
        var problems = new ConfigProblems();

        TomlTreeBuilder.Parse(toml, "dup.toml", problems).ShouldBeNull();

        problems.Items.ShouldHaveSingleItem().Location.Line.ShouldBe(line);
    }

    [Theory]
    [InlineData("a = { b = 1 }\na.c = 2\n")]
    [InlineData("a = { b = 1 }\n[a]\n")]
    [InlineData("[[a]]\n[a]\n")]
    [InlineData("a = [1]\n[[a]]\n")]
    [InlineData("[a.b]\n[a]\nb = 1\n")]
    [InlineData("[a]\nb = 1\n[a]\n")]
    [InlineData("x = 1\n[x.y]\n")]
    public void Redefining_a_table_or_value_is_still_an_error(string toml)
    {
        var problems = new ConfigProblems();

        TomlTreeBuilder.Parse(toml, "redefine.toml", problems).ShouldBeNull();

        problems.HasErrors.ShouldBeTrue();
    }
}
