using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>The environment a component's processes get: tend's own, then its env files, then its <c>env</c> table.</summary>
public static class ChildEnvironment
{
    public static IReadOnlyDictionary<string, string> For(Component component, StackFile stack)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new ConfigProblems();
        foreach (var file in component.EnvFiles)
        {
            if (EnvFile.Load(file, component.Location, problems) is { } fromFile)
            {
                foreach (var (key, value) in fromFile)
                {
                    values[key] = value;
                }
            }
        }

        foreach (var (key, value) in component.Environment)
        {
            values[key] = value;
        }

        values["TEND_COMPONENT"] = component.Name;
        values["TEND_STACK"] = stack.Name;
        values["TEND_STACK_FILE"] = stack.Path;
        return values;
    }
}
