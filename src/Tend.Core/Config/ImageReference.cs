using System.Text.RegularExpressions;

namespace Tend.Core.Config;

/// <summary>
/// A container image reference as Docker and Kubernetes take it (<c>registry:5000/team/app:1.2</c>,
/// <c>app@sha256:…</c>): checked here so that a typo fails at <c>tend validate</c>, not at a pull.
/// </summary>
public static partial class ImageReference
{
    /// <summary>Why <paramref name="text"/> is not an image reference, or null when it is one.</summary>
    public static string? Problem(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (text.Length == 0)
        {
            return "is empty";
        }

        if (text.Any(char.IsWhiteSpace))
        {
            return "has a space in it";
        }

        if (text.Length > 255)
        {
            return "is longer than 255 characters";
        }

        return Shape().IsMatch(text) ? null : "is not an image reference such as \"python:3.12-slim\" or \"ghcr.io/team/app:1.4\"";
    }

    /// <summary><c>image = "..."</c> of a component: the reference, or null (with the error noted) when absent or bad.</summary>
    internal static string? Read(TableReader reader)
    {
        if (reader.String("image") is not { } text)
        {
            return null;
        }

        if (Problem(text) is { } problem)
        {
            reader.Problems.Error(reader.Entry("image")!.Value.Location, $"{reader.Describe("image")} \"{text}\" {problem}", "e.g. image = \"python:3.12-slim\"");
            return null;
        }

        return text;
    }

    // Docker's grammar, simplified: path components of lowercase letters, digits and separators,
    // an optional registry host with port, then an optional :tag and @digest.
    [GeneratedRegex(@"^(?:[a-zA-Z0-9.-]+(?::[0-9]+)?/)?[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*(?:/[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*)*(?::[A-Za-z0-9_][A-Za-z0-9_.-]{0,127})?(?:@[a-z0-9]+:[a-fA-F0-9]{32,})?$")]
    private static partial Regex Shape();
}
