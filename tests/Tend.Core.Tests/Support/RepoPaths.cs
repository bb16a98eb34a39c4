namespace Tend.Core.Tests.Support;

/// <summary>Finds files of the repository from the test's output directory.</summary>
public static class RepoPaths
{
    public static string Root { get; } = FindRoot();

    public static string Fixtures => Path.Combine(Root, "tests", "fixtures");

    public static string Examples => Path.Combine(Root, "examples");

    private static string FindRoot()
    {
        for (var directory = new DirectoryInfo(AppContext.BaseDirectory); directory is not null; directory = directory.Parent)
        {
            if (File.Exists(Path.Combine(directory.FullName, "Tend.sln")))
            {
                return directory.FullName;
            }
        }

        throw new InvalidOperationException("cannot find the repository root (Tend.sln) above " + AppContext.BaseDirectory);
    }
}
