using Microsoft.Extensions.Time.Testing;
using Tend.Daemon.Control.Protocol;
using Tend.Daemon.Remote;

namespace Tend.Cli.Tests.Remote;

/// <summary>The pieces of --host that need no server: the back-off of a dropped link, the ssh command, which verbs change the stack.</summary>
public sealed class LinkSpecs
{
    [Fact]
    public void A_dropped_link_is_retried_after_1s_doubling_to_30s_and_given_up_at_the_tolerance()
    {
        var time = new FakeTimeProvider();
        var retry = new RemoteRetry(TimeSpan.FromSeconds(90), time);
        var waits = new List<double>();
        RetryStep step;
        while (!(step = retry.Failed()).GiveUp)
        {
            waits.Add(step.RetryIn.TotalSeconds);
            time.Advance(step.RetryIn);
        }

        waits.ShouldBe([1, 2, 4, 8, 16, 30, 29]);
        step.DownFor.ShouldBe(TimeSpan.FromSeconds(90));
    }

    [Fact]
    public void The_last_wait_is_cut_so_the_give_up_comes_at_the_tolerance()
    {
        var time = new FakeTimeProvider();
        var retry = new RemoteRetry(TimeSpan.FromSeconds(4), time);

        retry.Failed().RetryIn.ShouldBe(TimeSpan.FromSeconds(1));
        time.Advance(TimeSpan.FromSeconds(1.2));
        retry.Failed().RetryIn.ShouldBe(TimeSpan.FromSeconds(2));
        time.Advance(TimeSpan.FromSeconds(2.1));
        retry.Failed().RetryIn.ShouldBe(TimeSpan.FromSeconds(0.7));
        time.Advance(TimeSpan.FromSeconds(0.7));
        var last = retry.Failed();

        last.GiveUp.ShouldBeTrue();
        last.DownFor.ShouldBe(TimeSpan.FromSeconds(4));
    }

    [Fact]
    public void A_link_that_comes_back_starts_the_next_outage_afresh()
    {
        var time = new FakeTimeProvider();
        var retry = new RemoteRetry(TimeSpan.FromSeconds(10), time);
        retry.Failed();
        time.Advance(TimeSpan.FromSeconds(1));
        retry.Failed();
        time.Advance(TimeSpan.FromSeconds(8));

        retry.Connected();
        time.Advance(TimeSpan.FromSeconds(5));
        var step = retry.Failed();

        step.GiveUp.ShouldBeFalse();
        step.RetryIn.ShouldBe(TimeSpan.FromSeconds(1));
        step.DownFor.ShouldBe(TimeSpan.Zero);
    }

    [Fact]
    public void The_ssh_command_is_batch_mode_ssh_or_TEND_SSH_COMMAND_split_as_a_shell_would()
    {
        SshCommand.For("pi", _ => null).ShouldBe(["ssh", "-T", "-o", "BatchMode=yes", "pi", "tend api --stdio"]);

        var given = new Dictionary<string, string?>
        {
            ["TEND_SSH_COMMAND"] = "ssh -F '/home/me/my config' -o \"ProxyJump=jump host\"",
            ["TEND_REMOTE_COMMAND"] = "/opt/tend/tend api --stdio",
        };
        SshCommand.For("pi", v => given.GetValueOrDefault(v)).ShouldBe(["ssh", "-F", "/home/me/my config", "-o", "ProxyJump=jump host", "-T", "-o", "BatchMode=yes", "pi", "/opt/tend/tend api --stdio"]);
    }

    [Theory]
    [InlineData("-oProxyCommand=x")]
    [InlineData("-p")]
    [InlineData("pi host")]
    [InlineData("")]
    public void A_host_ssh_could_misread_is_refused(string alias) => SshCommand.Problem(alias).ShouldNotBeNull();

    [Theory]
    [InlineData("pi")]
    [InlineData("me@pi.local")]
    public void A_host_is_taken(string alias) => SshCommand.Problem(alias).ShouldBeNull();

    [Fact]
    public void Every_verb_of_the_protocol_is_classified_as_reading_or_changing()
    {
        var verbs = ControlVerbs.All.Select(v => v.Verb).ToList();

        verbs.Where(v => !VerbAccess.Classified.ContainsKey(v)).ShouldBeEmpty("a new verb must say whether a read-only tend api --stdio may carry it out (VerbAccess)");
        VerbAccess.Classified.Keys.Where(k => !verbs.Contains(k)).ShouldBeEmpty("a verb the protocol no longer has");
    }

    [Theory]
    [InlineData("start")]
    [InlineData("stop")]
    [InlineData("restart")]
    [InlineData("up")]
    [InlineData("down")]
    [InlineData("kill")]
    [InlineData("shutdown")]
    [InlineData("update")]
    [InlineData("http")]
    [InlineData("a_verb_of_tomorrow")]
    public void A_change_is_control(string verb) => VerbAccess.Of(verb).ShouldBe(Access.Control);

    [Theory]
    [InlineData("hello")]
    [InlineData("status")]
    [InlineData("events")]
    [InlineData("logs")]
    [InlineData("watch")]
    [InlineData("doctor")]
    [InlineData("log_files")]
    public void A_question_is_read(string verb) => VerbAccess.Of(verb).ShouldBe(Access.Read);
}
