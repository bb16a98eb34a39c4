using Tend.Core.Config;
using Tend.Core.Model;

namespace Tend.Core.Tests;

/// <summary>`restart = "on-failure"`, compose's form, is the policy alone with the rest by default.</summary>
public sealed class RestartShortFormSpecs
{
    private static StackLoadResult Load(string restart) => StackFileLoader.Parse($$"""
        [components.api]
        command = ["./api"]
        restart = {{restart}}
        """, "/tmp/tend.toml", "tend.toml", _ => null, new ConfigProblems());

    [Theory]
    [InlineData("\"no\"", RestartMode.No)]
    [InlineData("\"on-failure\"", RestartMode.OnFailure)]
    [InlineData("\"always\"", RestartMode.Always)]
    [InlineData("\"unless-stopped\"", RestartMode.Always)]
    public void A_policy_name_alone_is_the_policy_with_default_back_off_and_budget(string restart, RestartMode mode)
    {
        var loaded = Load(restart);

        loaded.Errors.ShouldBeEmpty();
        var policy = loaded.Stack!.Find("api")!.Restart;
        policy.ShouldBe(RestartPolicy.DefaultFor(ComponentKind.Service) with { Mode = mode });
    }

    [Theory]
    [InlineData("\"sometimes\"", "must be one of \"no\", \"on-failure\", \"always\", \"unless-stopped\", not \"sometimes\"")]
    [InlineData("5", "must be a policy (\"no\", \"on-failure\", \"always\") or a table such as { policy = \"on-failure\", backoff = \"1s..60s\" }, not an integer")]
    public void Anything_else_is_one_located_error(string restart, string message)
    {
        var error = Load(restart).Errors.ShouldHaveSingleItem();

        error.Message.ShouldEndWith(message);
        error.Location.ToString().ShouldBe("tend.toml:3:11");
    }
}
