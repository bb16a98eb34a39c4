namespace Tend.Dummy.Commands;

/// <summary><c>env NAME...</c> and <c>cwd</c>: what environment the supervisor gave the child.</summary>
internal static class EnvironmentCommands
{
    public static int Env(string[] names)
    {
        foreach (var name in names)
        {
            Console.Out.WriteLine($"{name}={Environment.GetEnvironmentVariable(name)}");
        }

        return 0;
    }

    public static int Cwd()
    {
        Console.Out.WriteLine(Environment.CurrentDirectory);
        return 0;
    }
}
