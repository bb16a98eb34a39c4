using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Tests;

/// <summary>`logs.on_full`: a child waits for a slow disk by default; "drop" keeps it going and drops output, marked.</summary>
public sealed class LogPolicySpecs
{
    private static StackLoadResult Load(string logs) => StackFileLoader.Parse($$"""
        [components.api]
        command = ["./api"]
        logs = {{logs}}
        """, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    [Theory]
    [InlineData("{ keep = 3 }", false)]
    [InlineData("{ on_full = \"block\" }", false)]
    [InlineData("{ on_full = \"drop\", max_size = \"1MB\" }", true)]
    public void On_full_says_whether_output_is_dropped_when_the_disk_falls_behind(string logs, bool drop)
    {
        var loaded = Load(logs);

        loaded.Errors.ShouldBeEmpty();
        loaded.Stack!.Find("api")!.Logs.DropWhenFull.ShouldBe(drop);
    }

    [Fact]
    public void Anything_else_is_a_located_error_with_the_choices()
    {
        var error = Load("{ on_full = \"wait\" }").Errors.ShouldHaveSingleItem();

        error.Message.ShouldBe("components.api.logs.on_full must be one of \"block\", \"drop\", not \"wait\"");
        error.Location.ToString().ShouldBe("tend.toml:3:20");
    }
}
