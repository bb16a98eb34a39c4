namespace Tend.Core.Export.Kubernetes;

/// <summary>Names as Kubernetes takes them: DNS labels of lowercase letters, digits and dashes, at most 63 long.</summary>
internal static class KubeName
{
    public static string Of(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var chars = name.ToLowerInvariant().Select(c => char.IsAsciiLetterOrDigit(c) ? c : '-').ToArray();
        var label = new string(chars).Trim('-');
        while (label.Contains("--", StringComparison.Ordinal) && label.Length > 63)
        {
            label = label.Replace("--", "-", StringComparison.Ordinal);
        }

        label = label.Length > 63 ? label[..63].TrimEnd('-') : label;
        return label.Length == 0 ? "component" : char.IsAsciiLetter(label[0]) ? label : "c-" + label[..Math.Min(label.Length, 61)];
    }

    /// <summary>A port's name: an IANA service name (at most 15 characters, with a letter).</summary>
    public static string Port(int port) => $"port-{port}";
}
