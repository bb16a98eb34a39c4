using Tend.Core.Model;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

internal static class ComponentNames
{
    /// <summary>Rejects names that are not components, with the closest one as a hint; null when all are known.</summary>
    public static int? FindUnknown(CliContext cli, StackFile stack, IReadOnlyList<string> names)
    {
        var known = stack.Components.Select(c => c.Name).ToList();
        foreach (var name in names)
        {
            if (!known.Contains(name))
            {
                return cli.UsageError($"'{name}' is not a component of {stack.Name}", DidYouMean.Hint(name, known) ?? $"components: {string.Join(", ", known)}");
            }
        }

        return null;
    }
}
