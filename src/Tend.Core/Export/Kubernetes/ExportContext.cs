using Tend.Core.Model;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Export.Kubernetes;

/// <summary>What the mappers of one export share: the stack, the options, and what they found to report.</summary>
internal sealed class ExportContext(StackFile stack, KubernetesExportOptions options)
{
    public const string JobWaiter = "tend-job-waiter";

    private readonly List<ExportNote> _notes = [];
    private readonly SortedDictionary<string, SortedSet<string>> _secrets = new(StringComparer.Ordinal);

    public StackFile Stack { get; } = stack;

    public KubernetesExportOptions Options { get; } = options;

    public IReadOnlyList<ExportNote> Notes => _notes;

    public IReadOnlyList<SecretReference> Secrets => [.. _secrets.Select(s => new SecretReference(s.Key, [.. s.Value]))];

    /// <summary>Whether some pod waits on a Job with kubectl, and so needs the waiter's ServiceAccount and Role.</summary>
    public bool NeedsJobWaiter { get; set; }

    public void Unmapped(Component component, string setting, string text) => _notes.Add(new(component.Name, setting, NoteKind.Unmapped, text));

    public void Approximated(Component component, string setting, string text) => _notes.Add(new(component.Name, setting, NoteKind.Approximated, text));

    /// <summary>A key of a Secret the manifests refer to; the report tells the user to create it.</summary>
    public string RequireSecret(Component component, string key)
    {
        var name = SecretName(component);
        if (!_secrets.TryGetValue(name, out var keys))
        {
            _secrets[name] = keys = new SortedSet<string>(StringComparer.Ordinal);
        }

        keys.Add(key);
        return name;
    }

    public static string SecretName(Component component) => KubeName.Of(component.Name) + "-secrets";

    public YamlMappingNode Metadata(Component component, string name, params (string Key, YamlNode? Value)[] extra) =>
        YamlNodes.Map([("name", YamlNodes.Str(name)), ("namespace", YamlNodes.Str(Options.Namespace)), ("labels", Labels(component)), .. extra]);

    public YamlMappingNode Labels(Component component) => YamlNodes.Map(
        ("app.kubernetes.io/name", YamlNodes.Str(KubeName.Of(component.Name))),
        ("app.kubernetes.io/part-of", YamlNodes.Str(KubeName.Of(Stack.Name))),
        ("app.kubernetes.io/managed-by", YamlNodes.Str("tend")));

    /// <summary>The labels a Deployment selects its pods by, and a Service its endpoints.</summary>
    public YamlMappingNode Selector(Component component) => YamlNodes.Map(
        ("app.kubernetes.io/name", YamlNodes.Str(KubeName.Of(component.Name))),
        ("app.kubernetes.io/part-of", YamlNodes.Str(KubeName.Of(Stack.Name))));
}
