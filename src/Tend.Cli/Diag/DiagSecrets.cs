using System.Globalization;
using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;

namespace Tend.Cli.Diag;

/// <summary>
/// The values a bundle masks wherever they appear: the stack's known secrets (docs/secrets.md),
/// with <c>password_env</c> read from this shell and from the daemon's own environment (the one
/// its components inherited: a diag run from another shell must still know them), and the value
/// of every secret-looking variable of this shell, the daemon and the running components, since a
/// component may print what it inherited.
/// </summary>
internal static class DiagSecrets
{
    public static SecretValues Collect(StackFile stack, int? daemonPid, IEnumerable<int> componentPids)
    {
        var environments = new List<IReadOnlyDictionary<string, string>> { Own() };
        var known = StackSecrets.Of(stack, Environment.GetEnvironmentVariable);
        if (daemonPid is { } pid && Of(pid) is { } daemon)
        {
            environments.Add(daemon);
            known = known.With(StackSecrets.Of(stack, name => daemon.GetValueOrDefault(name)));
        }

        environments.AddRange(componentPids.Select(Of).OfType<IReadOnlyDictionary<string, string>>());
        var named = environments
            .SelectMany(e => e)
            .Where(e => !e.Key.StartsWith("TEND_", StringComparison.Ordinal) && !SecretRule.IsPlaceholder(e.Value) && SecretRule.LooksSecretName(e.Key))
            .Select(e => e.Value);
        return known.With(SecretValues.Of(named));
    }

    private static Dictionary<string, string> Own()
    {
        var own = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (System.Collections.DictionaryEntry entry in Environment.GetEnvironmentVariables())
        {
            if (entry.Key is string key && entry.Value is string value)
            {
                own[key] = value;
            }
        }

        return own;
    }

    /// <summary>A process's environment from /proc (our own user's processes only); null when it cannot be read.</summary>
    private static Dictionary<string, string>? Of(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid.ToString(CultureInfo.InvariantCulture)}/environ");
            var result = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var pair in text.Split('\0', StringSplitOptions.RemoveEmptyEntries))
            {
                var equals = pair.IndexOf('=', StringComparison.Ordinal);
                if (equals > 0)
                {
                    result[pair[..equals]] = pair[(equals + 1)..];
                }
            }

            return result;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
