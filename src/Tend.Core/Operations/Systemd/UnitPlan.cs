using Tend.Core.Events;
using Tend.Core.Model;

namespace Tend.Core.Operations.Systemd;

/// <summary>The unit of a stack's daemon, and what it leaves out on purpose (secrets never go into a unit file).</summary>
/// <param name="SecretsLeftOut">Variables the stack file interpolates whose values are secrets: the unit does not carry them.</param>
public sealed record UnitPlan(UnitFile Unit, IReadOnlyList<string> SecretsLeftOut)
{
    /// <summary>Added to the longest stop grace: the daemon's own stop (TERM to each group, the sweep of what is left) takes a moment too.</summary>
    public static readonly TimeSpan StopMargin = TimeSpan.FromSeconds(15);

    /// <param name="executable">The running tend binary (Environment.ProcessPath), absolute.</param>
    /// <param name="environment">The caller's environment: PATH, and the variables the stack file interpolated.</param>
    /// <param name="user">User= for a system unit (from SUDO_USER); null for a user unit.</param>
    public static UnitPlan For(StackFile stack, UnitMode mode, string executable, Func<string, string?> environment, string? user)
    {
        var variables = new List<KeyValuePair<string, string>>();
        var secrets = new List<string>();
        if (environment("PATH") is { Length: > 0 } path)
        {
            // Components are started by name through PATH, as where tend install was typed; systemd's default PATH is shorter.
            variables.Add(new("PATH", path));
        }

        foreach (var (name, value) in stack.Interpolated.OrderBy(v => v.Key, StringComparer.Ordinal))
        {
            if (name == "PATH")
            {
                continue;
            }

            if (SecretRule.LooksSecretName(name) || SecretRule.LooksLikeCredential(value))
            {
                // A unit file is readable by every user of the machine (and shown by systemctl cat).
                secrets.Add(name);
                continue;
            }

            variables.Add(new(name, value));
        }

        var longest = stack.Components.Select(c => c.Stop.Grace).DefaultIfEmpty(StopPolicy.Default.Grace).Max();
        var unit = new UnitFile(stack.Name, stack.Path, executable, stack.Directory, mode, longest + StopMargin, variables)
        {
            User = mode == UnitMode.System ? user : null,
        };
        return new UnitPlan(unit, secrets);
    }
}
