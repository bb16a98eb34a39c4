using Tend.Daemon.Remote;

namespace Tend.Cli.Tests.Remote;

/// <summary>A next step the host wrote, printed on the client: what works from here names the host, what does not is marked as the host's.</summary>
public sealed class HostedCommandsSpecs
{
    [Theory]
    [InlineData("fix the cause above, then tend start web   (tend logs web -n 100 for more)", "fix the cause above, then tend start --host pi web   (tend logs --host pi web -n 100 for more)")]
    [InlineData("tend status; tend events -c web -f", "tend status --host pi; tend events --host pi -c web -f")]
    [InlineData("then tend doctor again", "then tend why --host pi again")]
    [InlineData("tend up", "on pi: tend up")]
    [InlineData("See what listens: `ss -ltnp 'sport = :1'`", "See what listens: on pi: `ss -ltnp 'sport = :1'`")]
    [InlineData("Run `tend logs db -n 100` to see why", "Run `tend logs --host pi db -n 100` to see why")]
    [InlineData("Run `tend preflight db` there", "Run on pi: `tend preflight db` there")]
    [InlineData("tend: web is external; attend to it", "tend: web is external; attend to it")]
    public void A_step_is_said_as_typed_from_the_client(string step, string typed) => HostedCommands.Rewrite(step, "pi").ShouldBe(typed);
}
