namespace Tend.Core.Export.Kubernetes;

/// <summary>What <c>tend export kubernetes</c> is told besides the stack file.</summary>
/// <param name="Namespace">The namespace every object is written into.</param>
/// <param name="Images">Images by component name (the <c>--image-map</c> file); they win over a component's <c>image</c>. The keys <c>tend</c> and <c>kubectl</c> name the images of the wait containers.</param>
/// <param name="TendImage">An image holding the tend binary, for the init containers that run <c>tend wait</c>; wins over <c>Images["tend"]</c>.</param>
public sealed record KubernetesExportOptions(string Namespace, IReadOnlyDictionary<string, string> Images, string? TendImage)
{
    public const string DefaultNamespace = "default";

    /// <summary>The image-map key of the image with tend in it.</summary>
    public const string TendKey = "tend";

    /// <summary>The image-map key of the image with kubectl in it (waits on Jobs).</summary>
    public const string KubectlKey = "kubectl";

    public string? WaitImage => TendImage ?? Images.GetValueOrDefault(TendKey);

    public string? KubectlImage => Images.GetValueOrDefault(KubectlKey);
}
