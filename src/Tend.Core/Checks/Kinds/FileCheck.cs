using System.Text.Json;
using Tend.Core.Model;
using Tomlyn.Parsing;
using Tomlyn.Syntax;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Tend.Core.Checks.Kinds;

/// <summary>
/// A file exists, is readable, and (when asked) parses as TOML, JSON or YAML. A missing file with
/// a sample names the sample, so the diagnosis can say "copy the sample".
/// </summary>
public sealed record FileCheck(string Path, string? Format, string? Sample) : CheckSpec
{
    public static readonly IReadOnlyList<string> Formats = ["toml", "json", "yaml", "auto"];

    public static readonly CheckKind Definition = new("file", "a file exists, is readable and parses", TimeSpan.FromSeconds(5), CheckValueForms.String, [CheckOption.Choice("parse", Formats), CheckOption.String("sample")], Create);

    public override string Kind => "file";

    public override string Target => Path;

    private static FileCheck Create(CheckArguments arguments) => new((string)arguments.Value, arguments.String("parse"), arguments.String("sample"));

    /// <summary>The format a path's extension implies, for <c>parse = "auto"</c> and component configs.</summary>
    public static string? FormatOf(string path) => System.IO.Path.GetExtension(path).ToLowerInvariant() switch
    {
        ".toml" => "toml",
        ".json" => "json",
        ".yaml" or ".yml" => "yaml",
        _ => null,
    };

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var full = context.Resolve(Path);
        var sample = Sample is null ? null : context.Resolve(Sample);
        var data = new (string, string?)[] { ("path", context.Shown(Path)), ("full_path", full), ("sample", Sample is null ? null : context.Shown(Sample)) };
        if (Directory.Exists(full))
        {
            return CheckOutcome.Fail("is_directory", $"{Path} is a directory, not a file", $"{full} is a directory").WithData(data);
        }

        if (!File.Exists(full))
        {
            var facts = new List<string> { $"{full} does not exist" };
            if (sample is not null)
            {
                facts.Add(File.Exists(sample) ? $"the sample {Sample} exists" : $"the sample {Sample} does not exist either");
            }

            var errorClass = sample is not null && File.Exists(sample) ? "missing_with_sample" : "not_found";
            return new CheckOutcome(CheckStatus.Fail, $"{Path} not found") { ErrorClass = errorClass, Facts = facts }.WithData(data);
        }

        string text;
        try
        {
            text = await File.ReadAllTextAsync(full, cancellationToken);
        }
        catch (UnauthorizedAccessException e)
        {
            return CheckOutcome.Fail("permission", $"{Path} is not readable", $"{full}: {e.Message}").WithData(data);
        }
        catch (IOException e)
        {
            return CheckOutcome.Fail("io_error", $"cannot read {Path}", $"{full}: {e.Message}").WithData(data);
        }

        var format = Format == "auto" ? FormatOf(full) : Format;
        if (format is null)
        {
            return CheckOutcome.Pass($"{Path} exists", $"{full} is readable ({text.Length} characters)").WithData(data);
        }

        var error = format switch
        {
            "toml" => TomlError(text, full),
            "json" => JsonError(text),
            "yaml" => YamlError(text),
            _ => throw new InvalidOperationException($"unknown format {format}"),
        };
        return error is null
            ? CheckOutcome.Pass($"{Path} is valid {format.ToUpperInvariant()}", $"{full} parses as {format.ToUpperInvariant()}").WithData(data)
            : CheckOutcome.Fail("parse", $"{Path} is not valid {format.ToUpperInvariant()}: {error}", $"{full}:{error}").WithData([.. data, ("format", format)]);
    }

    private static string? TomlError(string text, string path)
    {
        DocumentSyntax document;
        try
        {
            document = SyntaxParser.Parse(text, path, validate: true);
        }
        catch (Tomlyn.TomlException e)
        {
            // Tomlyn throws (with no position) on values nested deeper than it allows.
            return $"1:1: {e.Message}";
        }

        var first = document.Diagnostics.FirstOrDefault(d => d.Kind == DiagnosticMessageKind.Error);
        return first is null ? null : $"{first.Span.Start.Line + 1}:{first.Span.Start.Column + 1}: {first.Message}";
    }

    private static string? JsonError(string text)
    {
        try
        {
            using var _ = JsonDocument.Parse(text, new JsonDocumentOptions { AllowTrailingCommas = false, CommentHandling = JsonCommentHandling.Skip });
            return null;
        }
        catch (JsonException e)
        {
            return $"{(e.LineNumber ?? 0) + 1}:{(e.BytePositionInLine ?? 0) + 1}: {e.Message.Split(" LineNumber", 2)[0]}";
        }
    }

    private static string? YamlError(string text)
    {
        try
        {
            new YamlStream().Load(new StringReader(text));
            return null;
        }
        catch (YamlException e)
        {
            return $"{e.Start.Line}:{e.Start.Column}: {e.Message}";
        }
        catch (InvalidOperationException e)
        {
            // YamlDotNet's scanner throws this on some malformed flow sequences instead of a YamlException.
            return $"?:?: {e.Message}";
        }
    }
}
