using Tend.Core.Model;
using System.Text.Json;
using Tend.Core.Workflows.Schemas;
using Tend.Core.Persistence;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>What a step left of the artifacts it emits: their sizes, and every way they fall short.</summary>
public sealed record ArtifactVerdict(IReadOnlyList<ArtifactRecord> Artifacts, IReadOnlyList<string> Problems)
{
    public bool Passed => Problems.Count == 0;
}

/// <summary>
/// Checks a step's <c>emits</c> after it exited 0: each file present and not empty and, with a
/// schema, JSON valid under it; a problem names the file and the JSON pointer
/// (<c>artifacts/lint.json: /0/line: expected integer</c>).
/// </summary>
public static class ArtifactCheck
{
    public static ArtifactVerdict Check(string directory, IReadOnlyList<ArtifactSpec> emits)
    {
        ArgumentNullException.ThrowIfNull(emits);
        var artifacts = new List<ArtifactRecord>();
        var problems = new List<string>();
        foreach (var spec in emits)
        {
            var path = Path.Combine(directory, spec.Path);
            var info = new FileInfo(path);
            if (!info.Exists)
            {
                problems.Add($"{spec.Path}: missing (the step exited 0 but did not write it)");
                continue;
            }

            artifacts.Add(new ArtifactRecord(spec.Path, info.Length));
            if (info.Length == 0)
            {
                problems.Add($"{spec.Path}: empty");
                continue;
            }

            if (spec.Schema is { } schemaPath)
            {
                problems.AddRange(Validate(spec.Path, path, Path.Combine(directory, schemaPath), schemaPath));
            }
        }

        return new ArtifactVerdict(artifacts, problems);
    }

    /// <summary>After a failed step: its empty artifacts and the <c>*.tmp</c> files beside them go, so no later step reads half a result.</summary>
    public static void CleanAfterFailure(string directory, IReadOnlyList<ArtifactSpec> emits)
    {
        ArgumentNullException.ThrowIfNull(emits);
        foreach (var spec in emits)
        {
            var path = Path.Combine(directory, spec.Path);
            if (File.Exists(path) && new FileInfo(path).Length == 0)
            {
                FileCleanup.TryDelete(path);
            }

            FileCleanup.TryDelete(path + ".tmp");
            if (Path.GetDirectoryName(path) is { } folder && Directory.Exists(folder))
            {
                foreach (var temp in Directory.EnumerateFiles(folder, Path.GetFileNameWithoutExtension(path) + "*.tmp"))
                {
                    FileCleanup.TryDelete(temp);
                }
            }
        }
    }

    private static List<string> Validate(string shown, string path, string schemaFile, string schemaShown)
    {
        SchemaValidator schema;
        try
        {
            var (validator, problem) = SchemaValidator.Read(File.ReadAllText(schemaFile));
            if (validator is null)
            {
                return [$"{shown}: its schema {schemaShown} cannot be used: {problem}"];
            }

            schema = validator;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"{shown}: its schema {schemaShown} cannot be read: {e.Message}"];
        }

        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            return [$"{shown}: not JSON: {e.Message}"];
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [$"{shown}: cannot be read: {e.Message}"];
        }

        using (document)
        {
            var problems = schema.Validate(document.RootElement).Select(e => $"{shown}: {Pointer(e.Pointer)}: {e.Message}").Distinct().ToList();
            if (problems.Count == 0)
            {
                return [];
            }

            return problems.Count > 0 ? problems : [$"{shown}: does not match {schemaShown}"];
        }
    }

    private static string Pointer(string pointer) => pointer.Length == 0 ? "/" : pointer;
}
