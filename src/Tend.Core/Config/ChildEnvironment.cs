using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// The environment a component's processes get: tend's own (all of it, or what
/// <c>env_inherit</c> lets through), then its env files, then its <c>env</c> table.
/// </summary>
public static class ChildEnvironment
{
    /// <summary>
    /// What to set in the child. When the component inherits everything, the launcher adds tend's
    /// own environment beneath it; otherwise this is the whole environment, to be started from
    /// nothing (<see cref="Processes.LaunchRequest.ReplaceEnvironment"/>).
    /// </summary>
    public static IReadOnlyDictionary<string, string> For(Component component, StackFile stack)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        if (!component.EnvInherit.All)
        {
            foreach (var name in component.EnvInherit.Names)
            {
                if (Environment.GetEnvironmentVariable(name) is { } value)
                {
                    values[name] = value;
                }
            }
        }

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
