using Tend.Core.Events;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// The values of a stack that Tend must never show (docs/secrets.md): what its processes and
/// checks get from <c>env</c>, env files and <c>${VAR}</c> under a secret-looking name, in the
/// shape of a credential, or named in <c>secrets</c>; the password of every URL in an argv, an
/// environment value or a check; and what each check's <c>password_env</c> names.
/// </summary>
public static class StackSecrets
{
    /// <param name="environment">Tend's own environment, where password_env is read.</param>
    public static SecretValues Of(StackFile stack, Func<string, string?> environment)
    {
        ArgumentNullException.ThrowIfNull(stack);
        ArgumentNullException.ThrowIfNull(environment);
        var found = new List<string>();
        var marked = stack.Components.SelectMany(c => c.Secrets).ToHashSet(StringComparer.Ordinal);
        foreach (var (name, value) in stack.Interpolated)
        {
            Consider(name, value, marked.Contains(name), found);
        }

        foreach (var component in stack.Components)
        {
            // Tend's own variables (the component's and stack's names, the file's path) are not secrets, whatever their shape.
            foreach (var (name, value) in ChildEnvironment.For(component, stack).Where(e => !e.Key.StartsWith("TEND_", StringComparison.Ordinal)))
            {
                Consider(name, value, component.Secrets.Contains(name), found);
            }

            foreach (var argv in Argvs(component))
            {
                found.AddRange(argv.SelectMany(SecretRule.UrlPasswords));
            }

            foreach (var check in component.Preflight.Append(component.Health?.Check).OfType<CheckSpec>())
            {
                found.AddRange(check.Secrets(environment));
            }
        }

        return SecretValues.Of(found);
    }

    private static void Consider(string name, string value, bool marked, List<string> found)
    {
        found.AddRange(SecretRule.UrlPasswords(value));
        if (marked || (!SecretRule.IsPlaceholder(value) && (SecretRule.LooksSecretName(name) || SecretRule.LooksLikeCredential(value))))
        {
            found.Add(value);
        }
    }

    private static IEnumerable<IReadOnlyList<string>> Argvs(Component component)
    {
        if (component.Command is { } command)
        {
            yield return command;
        }

        foreach (var named in component.Commands)
        {
            yield return named.Argv;
        }

        if (component.Rounds?.Hooks is { } hooks)
        {
            foreach (var hook in new[] { hooks.OnStart, hooks.PreRound }.OfType<IReadOnlyList<string>>())
            {
                yield return hook;
            }
        }
    }
}
