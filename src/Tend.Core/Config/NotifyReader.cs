using Tend.Core.Config.Toml;
using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>
/// Reads <c>[[notify]]</c>: <c>webhook = "https://..."</c> (with <c>secret_env</c> naming the
/// variable that holds the HMAC key) or <c>exec = [argv]</c>, and <c>min_severity</c>.
/// </summary>
internal static class NotifyReader
{
    private static readonly string[] Severities = ["info", "warning", "critical"];

    public static List<NotifierSpec> Read(TableReader top)
    {
        if (top.Entry("notify") is not { } entry)
        {
            return [];
        }

        if (entry.Value is not TomlArrayNode array || array.Items.Any(i => i is not TomlTableNode))
        {
            top.TypeError(entry.Value, "notify", "an array of tables: [[notify]]");
            return [];
        }

        var result = new List<NotifierSpec>();
        for (var i = 0; i < array.Items.Count; i++)
        {
            if (ReadOne(new TableReader((TomlTableNode)array.Items[i], $"notify[{i}]", top.Context), i) is { } notifier)
            {
                if (result.Any(n => n.Name == notifier.Name))
                {
                    top.Problems.Error(notifier.Location, $"notify[{i}]: a second notifier named \"{notifier.Name}\"", "give each a name of its own with name = \"...\"");
                    continue;
                }

                result.Add(notifier);
            }
        }

        return result;
    }

    private static NotifierSpec? ReadOne(TableReader table, int index)
    {
        var name = table.String("name");
        var url = table.String("webhook");
        var argv = table.Argv("exec");
        var secretEnv = table.String("secret_env");
        var minSeverity = table.Choice("min_severity", Severities) switch
        {
            "warning" => AlertSeverity.Warning,
            "critical" => AlertSeverity.Critical,
            _ => AlertSeverity.Info,
        };
        var timeout = table.Duration("timeout") ?? NotifierSpec.DefaultTimeout;
        var attempts = (int?)table.Integer("attempts", 1, 20) ?? NotifierSpec.DefaultAttempts;
        table.Finish();

        if ((url is null) == (argv is null))
        {
            table.Problems.Error(table.Location, $"{table.Path}: give `webhook = \"https://...\"` or `exec = [argv]` (one of them)");
            return null;
        }

        if (url is not null && (!Uri.TryCreate(url, UriKind.Absolute, out var uri) || uri.Scheme is not ("http" or "https")))
        {
            table.Problems.Error(table.Entry("webhook")!.Value.Location, $"{table.Describe("webhook")} must be an http:// or https:// URL, not \"{url}\"");
            return null;
        }

        if (secretEnv is not null && argv is not null)
        {
            table.Problems.Error(table.Entry("secret_env")!.KeyLocation, $"{table.Describe("secret_env")} signs webhooks; an exec notifier gets the alert on stdin and takes no secret");
            return null;
        }

        if (secretEnv is not null && !System.Text.RegularExpressions.Regex.IsMatch(secretEnv, "^[A-Za-z_][A-Za-z0-9_]*$"))
        {
            table.Problems.Error(table.Entry("secret_env")!.Value.Location, $"{table.Describe("secret_env")} is the NAME of an environment variable (its value is the key), not \"{secretEnv}\"", "e.g. secret_env = \"TEND_WEBHOOK_SECRET\"");
            return null;
        }

        if (timeout <= TimeSpan.Zero)
        {
            table.Problems.Error(table.Entry("timeout")!.Value.Location, $"{table.Describe("timeout")} must be longer than 0s");
            return null;
        }

        var kind = url is not null ? NotifierKind.Webhook : NotifierKind.Exec;
        return new NotifierSpec(name ?? $"{(kind == NotifierKind.Webhook ? "webhook" : "exec")}-{index + 1}", kind, url, secretEnv, argv, minSeverity, timeout, attempts) { Location = table.Location };
    }
}
