using Tend.Core.Tests.Support;
using static Tend.Daemon.Tests.Support.StackBuilder;

namespace Tend.Daemon.Tests.Hosting;

/// <summary>
/// Issue 8: <c>state_dir</c> pointing at an existing directory got <c>chmod 0700</c>: a shared
/// 1777 directory, or the project itself with <c>state_dir = "."</c>. Tend makes a private
/// directory of its own instead, and the CLI and the daemon find the same one.
/// </summary>
public sealed class StateDirectorySpecs : IDisposable
{
    private const UnixFileMode Private = UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute;
    private const UnixFileMode Shared = Private | UnixFileMode.GroupRead | UnixFileMode.GroupWrite | UnixFileMode.GroupExecute
        | UnixFileMode.OtherRead | UnixFileMode.OtherWrite | UnixFileMode.OtherExecute | UnixFileMode.StickyBit;

    private readonly TempDirectory _directory = new();

    public void Dispose() => _directory.Dispose();

    private static Core.Model.StackFile StackIn(string directory, string header) =>
        Load(directory, header + "[components.api]\ncommand = " + DummyArgv("sleep", "1") + "\n");

    [Fact]
    public void A_shared_directory_named_by_state_dir_keeps_its_mode_and_the_state_goes_into_a_private_one_inside()
    {
        var shared = Path.Combine(_directory.Path, "shared");
        Directory.CreateDirectory(shared);
        File.SetUnixFileMode(shared, Shared);
        var stack = StackIn(_directory.Path, $"[stack]\nstate_dir = \"{shared}\"\n");

        var paths = DaemonPaths.For(stack);
        paths.Create().ShouldBeNull();

        File.GetUnixFileMode(shared).ShouldBe(Shared);
        paths.StateDirectory.ShouldBe(Path.Combine(shared, ".tend"));
        File.GetUnixFileMode(paths.StateDirectory).ShouldBe(Private);
        DaemonPaths.For(stack).ShouldBe(paths, "the next tend finds the same directory");
    }

    [Fact]
    public void State_dir_dot_leaves_the_project_directory_as_it_was()
    {
        var project = Path.Combine(_directory.Path, "project");
        Directory.CreateDirectory(project);
        File.SetUnixFileMode(project, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var before = File.GetUnixFileMode(project);
        var stack = StackIn(project, "[stack]\nstate_dir = \".\"\n");

        var paths = DaemonPaths.For(stack);
        paths.Create().ShouldBeNull();

        File.GetUnixFileMode(project).ShouldBe(before);
        paths.StateDirectory.ShouldBe(Path.Combine(project, ".tend"));
        File.GetUnixFileMode(paths.StateDirectory).ShouldBe(Private);
    }

    [Fact]
    public void A_state_dir_that_does_not_exist_yet_is_created_private_and_used_as_it_is()
    {
        var fresh = Path.Combine(_directory.Path, "state", "backend");
        var stack = StackIn(_directory.Path, $"[stack]\nstate_dir = \"{fresh}\"\n");

        var paths = DaemonPaths.For(stack);
        paths.Create().ShouldBeNull();

        paths.StateDirectory.ShouldBe(fresh);
        File.GetUnixFileMode(fresh).ShouldBe(Private);
        DaemonPaths.For(stack).StateDirectory.ShouldBe(fresh, "once created it is private, so the next tend uses it as it is");
    }

    [Fact]
    public void The_default_dot_tend_is_tends_own_and_made_private_even_when_it_exists_open()
    {
        var own = Path.Combine(_directory.Path, ".tend");
        Directory.CreateDirectory(own);
        File.SetUnixFileMode(own, Private | UnixFileMode.GroupRead | UnixFileMode.GroupExecute | UnixFileMode.OtherRead | UnixFileMode.OtherExecute);
        var stack = StackIn(_directory.Path, "");

        var paths = DaemonPaths.For(stack);
        paths.Create().ShouldBeNull();

        paths.StateDirectory.ShouldBe(own);
        File.GetUnixFileMode(own).ShouldBe(Private);
    }
}
