using Tend.Core.Alembic;

namespace Tend.Core.Tests.Alembic;

public sealed class ScriptLocatorSpecs : IDisposable
{
    private readonly string _dir = Directory.CreateTempSubdirectory("tend-alembic-").FullName;

    public void Dispose() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        var path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    private static async Task<ScriptLocationResult> Find(string path) =>
        await ScriptLocator.FindAsync(path, TestContext.Current.CancellationToken);

    [Fact]
    public async Task Script_location_with_here_resolves_against_the_ini_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "db", "migrations", "versions"));
        var ini = Write("alembic.ini", "[alembic]\nscript_location = %(here)s/db/migrations\nsqlalchemy.url = driver://x\n\n[loggers]\nkeys = root\n");

        var found = await Find(ini);

        found.Problem.ShouldBeNull();
        found.Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "db", "migrations", "versions")]);
    }

    [Fact]
    public async Task A_relative_script_location_resolves_against_the_ini_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "migrations", "versions"));
        var ini = Write("alembic.ini", "[alembic]\nScript_Location: migrations\n");

        (await Find(ini)).Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "migrations", "versions")]);
    }

    [Fact]
    public async Task Version_locations_replace_the_versions_directory_and_skip_missing_ones()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "migrations"));
        Directory.CreateDirectory(Path.Combine(_dir, "a"));
        Directory.CreateDirectory(Path.Combine(_dir, "b"));
        var ini = Write("alembic.ini", """
            [DEFAULT]
            root = %(here)s
            [alembic]
            script_location = %(root)s/migrations
            version_locations = %(here)s/a %(here)s/missing
                %(root)s/b
            version_path_separator = space
            """);

        var found = await Find(ini);

        found.Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "a"), Path.Combine(_dir, "b")]);
    }

    [Fact]
    public async Task The_1_8_templates_commented_separator_line_still_means_os()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "migrations"));
        Directory.CreateDirectory(Path.Combine(_dir, "a"));
        Directory.CreateDirectory(Path.Combine(_dir, "b"));
        var ini = Write("alembic.ini", "[alembic]\nscript_location = migrations\nversion_locations = %(here)s/a:%(here)s/b\nversion_path_separator = os  # Use os.pathsep.\n");

        (await Find(ini)).Location!.VersionDirectories.Count.ShouldBe(2);
    }

    [Fact]
    public async Task A_directory_with_versions_is_a_script_directory_and_a_plain_one_is_the_versions_directory()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "migrations", "versions"));

        (await Find(Path.Combine(_dir, "migrations"))).Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "migrations", "versions")]);
        (await Find(Path.Combine(_dir, "migrations", "versions"))).Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "migrations", "versions")]);
    }

    [Fact]
    public async Task A_project_directory_with_alembic_ini_uses_the_ini()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "alembic", "versions"));
        Write("alembic.ini", "[alembic]\nscript_location = %(here)s/alembic\n");

        (await Find(_dir)).Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "alembic", "versions")]);
    }

    [Fact]
    public async Task A_missing_path_is_not_found()
    {
        var found = await Find(Path.Combine(_dir, "nope", "alembic.ini"));

        found.Problem!.ErrorClass.ShouldBe("not_found");
        found.Problem.Summary.ShouldContain("nope");
    }

    [Fact]
    public async Task A_script_location_that_does_not_exist_is_not_found_and_names_the_ini()
    {
        var ini = Write("alembic.ini", "[alembic]\nscript_location = %(here)s/gone\n");

        var found = await Find(ini);

        found.Problem!.ErrorClass.ShouldBe("not_found");
        found.Problem.Facts[0].ShouldBe($"{ini} sets script_location = {_dir}/gone");
    }

    [Theory]
    [InlineData("[other]\nscript_location = x\n", "no [alembic] section")]
    [InlineData("[alembic]\nsqlalchemy.url = x\n", "no script_location")]
    [InlineData("[alembic]\nscript_location = %(nowhere)s/x\n", "%(nowhere)s")]
    [InlineData("[alembic]\nscript_location = 50%\n", "'%' must be followed")]
    [InlineData("script_location = x\n", "before the first [section]")]
    [InlineData("[alembic]\na = 1\na = 2\n", "appears twice")]
    public async Task An_ini_tend_cannot_read_fails_as_parse_with_the_reason(string text, string reason)
    {
        var ini = Write("alembic.ini", text);

        var found = await Find(ini);

        found.Problem!.ErrorClass.ShouldBe("parse");
        found.Problem.Facts[0].ShouldContain(reason);
    }

    private static async Task<ScriptLocationResult> Find(string path, ScriptOptions options) =>
        await ScriptLocator.FindAsync(path, options, TestContext.Current.CancellationToken);

    [Fact]
    public async Task A_package_location_is_found_in_the_src_layout_of_a_checkout_as_backend_ai_has_it()
    {
        // lablup/backend.ai: alembic.ini at the root, script_location = ai.backend.manager.models:alembic, the code under src/.
        Directory.CreateDirectory(Path.Combine(_dir, "src", "ai", "backend", "manager", "models", "alembic", "versions"));
        var ini = Write("alembic.ini", "[alembic]\nscript_location = ai.backend.manager.models:alembic\n");

        var found = await Find(ini);

        found.Problem.ShouldBeNull();
        found.Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "src", "ai", "backend", "manager", "models", "alembic", "versions")]);
    }

    [Fact]
    public async Task A_package_location_is_found_on_the_python_path_first_and_says_where_it_looked_when_it_is_nowhere()
    {
        var sitePackages = Path.Combine(_dir, "venv", "lib", "site-packages");
        Directory.CreateDirectory(Path.Combine(sitePackages, "shop", "db", "versions"));
        var ini = Write("conf/alembic.ini", "[alembic]\nscript_location = shop:db\n");

        var found = await Find(ini, new ScriptOptions(PythonPath: [sitePackages]));
        var missing = await Find(ini);

        found.Location!.VersionDirectories.ShouldBe([Path.Combine(sitePackages, "shop", "db", "versions")]);
        missing.Problem.ShouldNotBeNull();
        missing.Problem.Facts.ShouldContain($"not at {Path.Combine(_dir, "conf", "src", "shop", "db")}");
        missing.Problem.Facts.ShouldContain(f => f.Contains("python = ", StringComparison.Ordinal) && f.Contains("scripts = ", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_real_interpreters_sys_path_is_asked()
    {
        var path = await PythonPath.AskAsync("python3", _dir, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken);

        path.ShouldContain(p => p.Contains("python3", StringComparison.Ordinal), "sys.path of Debian's python3 names its lib directory");
        (await PythonPath.AskAsync(null, _dir, TimeSpan.FromSeconds(10), TestContext.Current.CancellationToken)).ShouldBeEmpty("no interpreter named and no virtualenv beside");
    }

    [Fact]
    public async Task The_scripts_option_overrides_the_location_the_ini_gives()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "elsewhere", "versions"));
        var ini = Write("alembic.ini", "[alembic]\nscript_location = nowhere:here\n");

        var found = await Find(ini, new ScriptOptions(Scripts: Path.Combine(_dir, "elsewhere")));

        found.Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "elsewhere", "versions")]);
    }

    [Fact]
    public async Task A_section_picks_one_database_of_a_multi_database_ini_as_alembic_n_does_and_a_missing_one_lists_those_there_are()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "tenant", "versions"));
        var ini = Write("alembic.ini", "[core]\nscript_location = core\n\n[tenant]\nscript_location = tenant\n");

        var tenant = await Find(ini, new ScriptOptions(Section: "tenant"));
        var none = await Find(ini, new ScriptOptions(Section: "billing"));
        var defaulted = await Find(ini);

        tenant.Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "tenant", "versions")]);
        none.Problem!.Facts.ShouldContain(f => f.Contains("no [billing] section", StringComparison.Ordinal) && f.Contains("core") && f.Contains("tenant"));
        defaulted.Problem!.Facts.ShouldContain(f => f.Contains("no [alembic] section", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Tool_alembic_in_pyproject_toml_is_read_as_alembic_1_16_does()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "migrations", "versions"));
        Directory.CreateDirectory(Path.Combine(_dir, "more"));
        var pyproject = Write("pyproject.toml", "[project]\nname = \"shop\"\n\n[tool.alembic]\nscript_location = \"%(here)s/migrations\"\nversion_locations = [\"%(here)s/migrations/versions\", \"%(here)s/more\"]\n");
        var iniWithout = Write("alembic.ini", "[alembic]\nsqlalchemy.url = driver://x\n");

        var fromToml = await Find(pyproject);
        var fromIni = await Find(iniWithout);
        var fromDirectory = await Find(_dir);

        fromToml.Problem.ShouldBeNull();
        fromToml.Location!.VersionDirectories.ShouldBe([Path.Combine(_dir, "migrations", "versions"), Path.Combine(_dir, "more")]);
        fromIni.Location!.VersionDirectories.ShouldBe(fromToml.Location.VersionDirectories, "an ini without script_location takes pyproject's");
        fromDirectory.Location.ShouldNotBeNull();
    }

    [Fact]
    public async Task An_unevaluable_label_does_not_stop_the_count_unless_something_names_it_and_then_it_is_named()
    {
        Write("versions/a1.py", "revision = 'a1'\ndown_revision = None\n");
        Write("versions/b2.py", "from x import cli\nrevision = 'b2'\ndown_revision = 'a1'\nbranch_labels = (cli.EXPAND_BRANCH,)\n");

        var read = await AlembicScriptsReader.ReadAsync(_dir, TestContext.Current.CancellationToken);

        read.Problem.ShouldBeNull();
        read.Scripts!.Graph.Heads.ShouldBe(["b2"]);
        read.Scripts.Skipped.ShouldHaveSingleItem().ShouldContain("b2.py:4: branch_labels");

        Write("versions/c3.py", "revision = 'c3'\ndown_revision = 'b2'\ndepends_on = ('expand',)\n");
        var named = await AlembicScriptsReader.ReadAsync(_dir, TestContext.Current.CancellationToken);

        named.Problem.ShouldNotBeNull();
        named.Problem.Facts.ShouldContain(f => f.StartsWith("not evaluated without Python: ", StringComparison.Ordinal) && f.Contains("b2.py:4"));
    }
}
