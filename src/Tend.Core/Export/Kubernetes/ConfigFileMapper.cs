using Tend.Core.Model;
using YamlDotNet.RepresentationModel;
using static Tend.Core.Export.Kubernetes.YamlNodes;

namespace Tend.Core.Export.Kubernetes;

/// <summary>
/// A component's <c>config</c> file as a ConfigMap mounted where its command looks for it. A
/// relative path is relative to the stack's directory on the host; in the container it is made
/// relative to <see cref="WorkingDirectory"/>, which the container is then given.
/// </summary>
internal static class ConfigFileMapper
{
    public const string WorkingDirectory = "/app";

    public sealed record Mount(YamlMappingNode ConfigMap, YamlNode Volume, YamlNode VolumeMount, string? WorkingDirectory);

    public static Mount? For(Component component, ExportContext context)
    {
        if (component.Config is not { } config)
        {
            return null;
        }

        var host = Path.GetFullPath(config.Path, context.Stack.Directory);
        var source = File.Exists(host) ? host : config.Sample is { } sample && File.Exists(Path.GetFullPath(sample, context.Stack.Directory)) ? Path.GetFullPath(sample, context.Stack.Directory) : null;
        if (source is null)
        {
            context.Unmapped(component, "config", $"{config.Path} does not exist{(config.Sample is null ? "" : $", nor its sample {config.Sample}")}: no ConfigMap; create the file and export again");
            return null;
        }

        if (source != host)
        {
            context.Approximated(component, "config", $"{config.Path} does not exist yet: its ConfigMap holds the sample {config.Sample}, as tend would copy it");
        }

        var name = KubeName.Of(component.Name) + "-config";
        var key = KeyOf(Path.GetFileName(config.Path));
        var relative = !Path.IsPathRooted(config.Path);
        var mountPath = relative ? WorkingDirectory + "/" + config.Path.Replace('\\', '/').TrimStart('.', '/') : config.Path;
        if (relative)
        {
            context.Approximated(component, "config", $"{config.Path} is relative to the stack's directory: the container runs in {WorkingDirectory} (workingDir) with the file at {mountPath}");
        }

        var configMap = YamlNodes.Map(
            ("apiVersion", Str("v1")),
            ("kind", Str("ConfigMap")),
            ("metadata", context.Metadata(component, name)),
            ("data", YamlNodes.Map((key, Str(File.ReadAllText(source).ReplaceLineEndings("\n"))))));
        var volume = YamlNodes.Map(("name", Str("config")), ("configMap", YamlNodes.Map(("name", Str(name)))));
        var mount = YamlNodes.Map(("name", Str("config")), ("mountPath", Str(mountPath)), ("subPath", Str(key)), ("readOnly", Bool(true)));
        return new(configMap, volume, mount, relative ? WorkingDirectory : null);
    }

    /// <summary>A ConfigMap key: letters, digits, '-', '_' and '.'.</summary>
    private static string KeyOf(string fileName)
    {
        var key = new string([.. fileName.Select(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_' or '.' ? c : '_')]);
        return key.Length == 0 ? "config" : key;
    }
}
