using Tend.Core.Checks.Kinds;
using Tend.Core.Checks.Waiting;

namespace Tend.Core.Tests.Checks.Waiting;

/// <summary>`tend wait` reads a typed check with the stack file's own code: the same value makes the same check.</summary>
public sealed class CheckWordSpecs
{
    [Theory]
    [InlineData("postgres://app@127.0.0.1:5433/shop", "postgres", "127.0.0.1:5433/shop")]
    [InlineData("postgresql://app@db.internal/shop", "postgres", "db.internal:5432/shop")]
    [InlineData("redis://127.0.0.1:6380", "redis", "127.0.0.1:6380")]
    [InlineData("http://127.0.0.1:8080/healthz", "http", "http://127.0.0.1:8080/healthz")]
    [InlineData("https://example.org/", "http", "https://example.org/")]
    [InlineData("tcp://127.0.0.1:5432", "tcp", "127.0.0.1:5432")]
    [InlineData("tcp://db:5432/", "tcp", "db:5432")]
    [InlineData("etcd://127.0.0.1:2379", "etcd", "127.0.0.1:2379")]
    [InlineData("tcp=127.0.0.1:5432", "tcp", "127.0.0.1:5432")]
    [InlineData("dir-writable=/tmp", "dir-writable", "/tmp")]
    [InlineData("postgres=postgresql://app@127.0.0.1:5433/shop?sslmode=disable", "postgres", "127.0.0.1:5433/shop")]
    [InlineData("http=http://127.0.0.1:8080/healthz?full=1", "http", "http://127.0.0.1:8080/healthz?full=1")]
    public void A_url_or_kind_and_value_makes_the_check_of_that_kind(string word, string kind, string target)
    {
        var reading = CheckWord.Read(word);

        reading.Problem.ShouldBeNull();
        reading.Spec!.Kind.ShouldBe(kind);
        reading.Spec.Target.ShouldBe(target);
    }

    [Fact]
    public void A_word_that_is_refused_is_echoed_without_its_password()
    {
        var reading = CheckWord.Read("postgress://app:sekret@127.0.0.1:5432/shop");

        reading.Succeeded.ShouldBeFalse();
        $"{reading.Problem} {reading.Hint}".ShouldNotContain("sekret");
        reading.Hint.ShouldNotBeNull().ShouldContain("did you mean postgres://");
    }

    [Fact]
    public void The_kinds_default_timeout_applies_as_in_a_stack_file()
    {
        CheckWord.Read("tcp://127.0.0.1:1").Spec!.Timeout.ShouldBe(TcpCheck.Definition.DefaultTimeout);
        CheckWord.Read("postgres://a@h/d").Spec!.Timeout.ShouldBe(PostgresCheck.Definition.DefaultTimeout);
    }

    [Fact]
    public void Rediss_turns_tls_on()
    {
        var check = CheckWord.Read("rediss://cache.example:6380").Spec.ShouldBeOfType<RedisCheck>();

        check.Tls.ShouldBeTrue();
        CheckWord.Read("redis://cache.example:6380").Spec.ShouldBeOfType<RedisCheck>().Tls.ShouldBeFalse();
    }

    [Fact]
    public void A_port_alone_is_a_number_to_port_free()
    {
        var check = CheckWord.Read("port-free=8080").Spec.ShouldBeOfType<PortFreeCheck>();

        check.Endpoint.Port.ShouldBe(8080);
        check.AnyAddress.ShouldBeTrue();
    }

    [Fact]
    public void A_command_line_for_exec_runs_through_sh_and_a_single_word_is_the_program()
    {
        CheckWord.Read("exec=pg_isready -q -h 127.0.0.1").Spec.ShouldBeOfType<ExecCheck>().Argv.ShouldBe(["sh", "-c", "pg_isready -q -h 127.0.0.1"]);
        CheckWord.Read("exec=true").Spec.ShouldBeOfType<ExecCheck>().Argv.ShouldBe(["true"]);
    }

    [Fact]
    public void File_words_name_a_path()
    {
        CheckWord.Read("file:conf/app.toml").Spec.ShouldBeOfType<FileCheck>().Path.ShouldBe("conf/app.toml");
        CheckWord.Read("file:///etc/hosts").Spec.ShouldBeOfType<FileCheck>().Path.ShouldBe("/etc/hosts");
    }

    [Fact]
    public void A_misspelt_scheme_gets_a_suggestion()
    {
        var reading = CheckWord.Read("postgress://app@127.0.0.1/shop");

        reading.Succeeded.ShouldBeFalse();
        reading.Problem.ShouldBe("'postgress://app@127.0.0.1/shop' is not a check");
        reading.Hint.ShouldBe("did you mean postgres://app@127.0.0.1/shop?");
    }

    [Fact]
    public void An_unknown_kind_lists_the_kinds_or_suggests_one()
    {
        CheckWord.Read("tpc=127.0.0.1:1").Hint.ShouldBe("did you mean 'tcp'?");
        CheckWord.Read("nosuch=1").Hint!.ShouldStartWith("the kinds: tcp, http, postgres");
    }

    [Theory]
    [InlineData("tcp://nohost")]
    [InlineData("tcp=")]
    [InlineData("http=not a url")]
    [InlineData("just words")]
    public void A_value_the_kind_refuses_is_a_problem_with_an_example(string word)
    {
        var reading = CheckWord.Read(word);

        reading.Succeeded.ShouldBeFalse();
        reading.Problem.ShouldNotBeNullOrEmpty();
        reading.Hint.ShouldNotBeNullOrEmpty();
    }
}
