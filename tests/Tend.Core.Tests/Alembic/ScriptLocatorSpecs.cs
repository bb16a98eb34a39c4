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
}
