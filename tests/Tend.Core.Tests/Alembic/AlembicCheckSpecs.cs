using Tend.Core.Checks.Kinds;
using Tend.Core.Config;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Core.Tests.Support;

namespace Tend.Core.Tests.Alembic;

/// <summary>The alembic check end to end: the fixture's scripts against a real PostgreSQL.</summary>
public sealed class AlembicCheckSpecs
{
    private static CancellationToken Cancel => TestContext.Current.CancellationToken;

    private static CheckContext Context(IReadOnlyDictionary<string, CheckSpec>? components = null, Func<string, string?>? environment = null) => new()
    {
        BaseDirectory = AlembicFixtures.Root,
        ComponentHealth = components ?? new Dictionary<string, CheckSpec>(),
        Environment = environment ?? (_ => null),
    };

    private static AlembicCheck Bind(string toml)
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse(toml, "tend.toml", problems);
        var reader = new TableReader(root!, "components.api.preflight", new ReadContext(problems, Interpolation.None, AlembicFixtures.Root));
        var spec = CheckReader.Read(reader);
        problems.Items.ShouldBeEmpty(string.Join("; ", problems.Items.Select(p => p.Message)));
        return spec.ShouldBeOfType<AlembicCheck>();
    }

    private static AlembicCheck History(string database) => Bind($"alembic = \"history/alembic.ini\"\ndatabase = \"{database}\"\n");

    private static IReadOnlyList<string> Short(IEnumerable<string> ids) => [.. ids.Select(Tend.Core.Alembic.AlembicRevision.Short)];

    [Fact(Timeout = 60_000)]
    public async Task A_database_without_a_version_table_is_fresh()
    {
        await using var db = await ScratchDatabase.CreateAsync(Cancel);

        var outcome = await History(db.Url).RunAsync(Context(), Cancel);

        outcome.ErrorClass.ShouldBe("no_version_table");
        outcome.Data["pending_count"].ShouldBe("321");
        outcome.Data["database"].ShouldBe(db.Name);
    }

    [Fact(Timeout = 60_000)]
    public async Task The_database_behind_head_lists_pending_migrations_in_order()
    {
        var upgrade = AlembicFixtures.HistoryExpected.Upgrades.First(u => u.From.Count == 1 && u.Ran.Count is > 100 and < 250);
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.StampAsync(Cancel, upgrade.From[0]);

        var outcome = await History(db.Url).RunAsync(Context(), Cancel);

        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.ErrorClass.ShouldBe("pending");
        outcome.Data["pending_count"].ShouldBe(upgrade.Ran.Count.ToString(System.Globalization.CultureInfo.InvariantCulture));
        outcome.Data["pending"].ShouldBe(string.Join(" → ", Short(upgrade.Ran.Select(r => r.To))));
    }

    [Fact(Timeout = 60_000)]
    public async Task Two_applied_branch_tips_leave_only_what_comes_after_them()
    {
        var upgrade = AlembicFixtures.HistoryExpected.Upgrades.First(u => u.From.Count == 2);
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.StampAsync(Cancel, [.. upgrade.From]);

        var outcome = await History(db.Url).RunAsync(Context(), Cancel);

        outcome.ErrorClass.ShouldBe("pending");
        outcome.Data["pending"].ShouldBe(string.Join(" → ", Short(upgrade.Ran.Select(r => r.To))));
    }

    [Fact(Timeout = 60_000)]
    public async Task The_database_at_head_passes()
    {
        var head = AlembicFixtures.HistoryExpected.Heads.ShouldHaveSingleItem();
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.StampAsync(Cancel, head);

        var outcome = await History(db.Url).RunAsync(Context(), Cancel);

        outcome.Status.ShouldBe(CheckStatus.Pass, outcome.Summary);
        outcome.Summary.ShouldBe($"up to date, at head {head}");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_revision_no_script_defines_is_unknown()
    {
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.StampAsync(Cancel, "feedfacecafe");

        var outcome = await History(db.Url).RunAsync(Context(), Cancel);

        outcome.ErrorClass.ShouldBe("unknown_revision");
        outcome.Data["current"].ShouldBe("feedfacecafe");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_database_that_does_not_exist_is_postgres_db_missing()
    {
        var url = new UriBuilder(TestServers.PostgresUrl) { Path = "/tend_no_such_database" }.Uri.ToString();

        var outcome = await History(url).RunAsync(Context(), Cancel);

        outcome.ErrorClass.ShouldBe("db_missing");
        outcome.Data["database"].ShouldBe("tend_no_such_database");
    }

    [Fact(Timeout = 60_000)]
    public async Task A_component_name_reaches_the_database_through_its_postgres_health_check()
    {
        var head = AlembicFixtures.HistoryExpected.Heads[0];
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.StampAsync(Cancel, head);
        PostgresTarget.TryParse(db.Url, null, out var target, out _).ShouldBeTrue();
        var components = new Dictionary<string, CheckSpec> { ["postgres"] = new PostgresCheck(target) };
        var check = History("postgres");

        var outcome = await check.RunAsync(Context(components), Cancel);

        check.NeedsComponents.ShouldBe(["postgres"]);
        outcome.Status.ShouldBe(CheckStatus.Pass, outcome.Summary);
    }

    [Fact(Timeout = 60_000)]
    public async Task A_component_without_a_postgres_check_cannot_be_the_database()
    {
        var components = new Dictionary<string, CheckSpec> { ["redis"] = Bind("alembic = \"two-heads\"\ndatabase = \"postgresql://x@127.0.0.1/db\"\n") };

        (await History("redis").RunAsync(Context(components), Cancel)).ErrorClass.ShouldBe("not_postgres");
        (await History("nobody").RunAsync(Context(), Cancel)).ErrorClass.ShouldBe("unknown_component");
    }

    [Fact(Timeout = 60_000)]
    public async Task Version_table_and_schema_options_name_where_alembic_keeps_its_version()
    {
        var head = AlembicFixtures.HistoryExpected.Heads[0];
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.ExecuteAsync($"CREATE SCHEMA meta; CREATE TABLE meta.versions (version_num VARCHAR(32) PRIMARY KEY); INSERT INTO meta.versions VALUES ('{head}');", Cancel);
        var withoutPassword = new UriBuilder(db.Url) { Password = "" }.Uri.ToString();
        var check = Bind($"alembic = \"history/alembic.ini\"\ndatabase = \"{withoutPassword}\"\npassword_env = \"APP_DB_PASSWORD\"\nversion_table = \"versions\"\nschema = \"meta\"\n");

        var outcome = await check.RunAsync(Context(environment: v => v == "APP_DB_PASSWORD" ? TestServers.PostgresPassword : null), Cancel);
        var unqualified = await History(db.Url).RunAsync(Context(), Cancel);

        outcome.Status.ShouldBe(CheckStatus.Pass, outcome.Summary);
        unqualified.ErrorClass.ShouldBe("no_version_table");
    }

    [Fact(Timeout = 60_000)]
    public async Task Unmerged_heads_in_the_scripts_fail_while_a_branch_is_pending()
    {
        var expected = AlembicFixtures.TwoHeadsExpected;
        await using var db = await ScratchDatabase.CreateAsync(Cancel);
        await db.StampAsync(Cancel, expected.Heads[0]);

        var outcome = await Bind($"alembic = \"two-heads/alembic.ini\"\ndatabase = \"{db.Url}\"\n").RunAsync(Context(), Cancel);

        outcome.ErrorClass.ShouldBe("multiple_heads");
        outcome.Status.ShouldBe(CheckStatus.Fail);
        outcome.Data["heads"].Split(", ").ShouldBe(expected.Heads, ignoreOrder: true);
        outcome.Data["pending"].ShouldBe(expected.Heads[1]);
    }

    [Fact(Timeout = 60_000)]
    public async Task Broken_scripts_fail_before_the_database_is_asked()
    {
        var check = History("postgresql://nobody@127.0.0.1:1/none") with { Scripts = "no/such/alembic.ini" };

        var outcome = await check.RunAsync(Context(), Cancel);

        outcome.ErrorClass.ShouldBe("not_found");
        outcome.Data["scripts"].ShouldEndWith("no/such/alembic.ini");
    }

    [Theory]
    [InlineData("database = \"api\"\npassword_env = \"X\"", "password_env applies only when database is a URL")]
    [InlineData("database = \"mysql://x@h/db\"", "database")]
    [InlineData("database = \"api\"\nversion_table = \"\"", "version_table must not be empty")]
    [InlineData("", "missing required key 'database'")]
    public void Options_that_cannot_work_are_config_errors(string options, string message)
    {
        var problems = new ConfigProblems();
        var root = TomlTreeBuilder.Parse($"alembic = \"history\"\n{options}\n", "tend.toml", problems);
        CheckReader.Read(new TableReader(root!, "pre", new ReadContext(problems, Interpolation.None, "/")));

        problems.HasErrors.ShouldBeTrue();
        problems.Items.ShouldContain(p => p.Message.Contains(message, StringComparison.Ordinal));
    }
}
