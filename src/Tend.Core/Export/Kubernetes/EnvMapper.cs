using Tend.Core.Config;
using Tend.Core.Events;
using Tend.Core.Model;
using YamlDotNet.RepresentationModel;
using static Tend.Core.Export.Kubernetes.YamlNodes;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// A component's environment (its env files, then its <c>env</c> table) split in two: plain
/// values into a ConfigMap the container takes whole (<c>envFrom</c>), and secrets, by tend's own
/// rule (docs/secrets.md: the <c>secrets</c> list, secret-looking names even with a placeholder
/// value, credential-shaped values, passwords in URLs), as <c>secretKeyRef</c>s to a Secret the user creates. A secret's value
/// never reaches the manifests; it is returned so the export can prove that.
/// </summary>
internal static class EnvMapper
{
    public sealed record Environment(YamlMappingNode? ConfigMap, IReadOnlyList<YamlNode> EnvFrom, IReadOnlyList<YamlNode> Env, IReadOnlyList<string> SecretValues);

    public static Environment For(Component component, ExportContext context)
    {
        var values = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var problems = new ConfigProblems();
        foreach (var file in component.EnvFiles)
        {
            foreach (var (key, value) in EnvFile.Load(file, component.Location, problems) ?? new Dictionary<string, string>())
            {
                values[key] = value;
            }
        }

        foreach (var (key, value) in component.Environment)
        {
            values[key] = value;
        }

        if (!component.EnvInherit.All || component.EnvInherit.Names.Count > 0)
        {
            context.Unmapped(component, "env_inherit", "a container starts from its image's environment, not tend's: what env_inherit passes from tend is not passed");
        }

        var plain = new List<(string, YamlNode?)>();
        var env = new List<YamlNode>();
        var secrets = new List<string>();
        foreach (var (key, value) in values)
        {
            if (IsSecret(component, key, value))
            {
                secrets.Add(value);
                secrets.AddRange(SecretRule.UrlPasswords(value));
                var secret = context.RequireSecret(component, key);
                env.Add(YamlNodes.Map(("name", Str(key)), ("valueFrom", YamlNodes.Map(("secretKeyRef", YamlNodes.Map(("name", Str(secret)), ("key", Str(key))))))));
            }
            else
            {
                plain.Add((key, Str(value)));
            }
        }

        if (plain.Count == 0)
        {
            return new(null, [], env, secrets);
        }

        var name = KubeName.Of(component.Name) + "-env";
        var configMap = YamlNodes.Map(
            ("apiVersion", Str("v1")),
            ("kind", Str("ConfigMap")),
            ("metadata", context.Metadata(component, name)),
            ("data", YamlNodes.Map([.. plain])));
        return new(configMap, [YamlNodes.Map(("configMapRef", YamlNodes.Map(("name", Str(name)))))], env, secrets);
    }

    private static bool IsSecret(Component component, string name, string value) =>
        component.Secrets.Contains(name)
        || SecretRule.UrlPasswords(value).Any()
        || SecretRule.LooksSecretName(name)
        || SecretRule.LooksLikeCredential(value);
}
