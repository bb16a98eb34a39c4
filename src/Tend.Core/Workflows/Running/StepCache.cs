using System.Security.Cryptography;
using System.Text;
using Tend.Core.Model;
using Tend.Core.Workflows.Records;

namespace Tend.Core.Workflows.Running;

/// <summary>An earlier run's success that stands for a step: the run that really ran it, and the artifacts it left.</summary>
public sealed record CacheHit(string Run, IReadOnlyList<ArtifactRecord> Artifacts);

/// <summary>
/// <c>policy.cache</c>: a step whose key (what its run depends on, hashed: <see cref="Key"/>) equals
/// the key of a succeeded earlier run of it, whose artifacts are still there with the content they
/// had then, does not run again. The key and the artifacts' hashes are in run.json; nothing else is
/// stored, so a cached step's artifacts are those it left in the workflow's directory (docs/workflows.md, "Caching").
/// </summary>
public static class StepCache
{
    /// <summary>The key's version: a change of what goes into it changes this, so no old key matches.</summary>
    private const string Version = "tend-step-cache/1";

    /// <summary>How many earlier runs are looked at, newest first: the cache reads their run.json.</summary>
    public const int RunsLooked = 50;

    /// <summary>The variables of tend that differ from run to run (or attempt to attempt) and say nothing of what the step does.</summary>
    private static readonly HashSet<string> PerRun = new(StringComparer.Ordinal) { "TEND_RUN", "TEND_ATTEMPT", "TEND_RUN_DIR", "TEND_STEP_REPORT" };

    /// <summary>
    /// What the step's run depends on, hashed (SHA-256, hex): its command as it will run (argv with
    /// placeholders filled and globs expanded, working directory, the environment tend gives it but
    /// the per-run TEND_* variables), the content of every file an input names (each match of a glob
    /// input, or the file a plain input names when one exists), its <c>emits</c> with their schemas'
    /// content, and the content of what the steps it depends on emitted. Null when its command does not resolve.
    /// </summary>
    /// <param name="upstream">The artifacts of the steps it depends on, as this run recorded them.</param>
    public static string? Key(Workflow workflow, WorkflowStep step, StackFile? stack, IReadOnlyDictionary<string, string> inputs, IReadOnlyDictionary<string, string> variables, IEnumerable<(string Step, ArtifactRecord Artifact)> upstream)
    {
        ArgumentNullException.ThrowIfNull(workflow);
        ArgumentNullException.ThrowIfNull(step);
        ArgumentNullException.ThrowIfNull(variables);
        ArgumentNullException.ThrowIfNull(upstream);
        var (command, _) = StepCommand.Resolve(workflow, step, stack, inputs, variables);
        if (command is null)
        {
            return null;
        }

        var text = new StringBuilder(Version).Append('\n');
        void Line(string kind, params string[] parts)
        {
            text.Append(kind);
            foreach (var part in parts)
            {
                // Length-prefixed: no value can pass for two.
                text.Append(' ').Append(part.Length).Append(':').Append(part);
            }

            text.Append('\n');
        }

        Line("workflow", workflow.Name);
        Line("step", step.Id);
        Line("argv", [.. command.Argv]);
        Line("cwd", command.WorkingDirectory);
        Line("replace_env", command.ReplaceEnvironment ? "yes" : "no");
        foreach (var (name, value) in command.Environment.Where(e => !PerRun.Contains(e.Key)).OrderBy(e => e.Key, StringComparer.Ordinal))
        {
            Line("env", name, value);
        }

        // Its own artifacts are what it makes, not what it reads: they exist after its first run only.
        var own = step.Emits.Select(e => Normalize(e.Path)).ToHashSet(StringComparer.Ordinal);
        foreach (var path in InputFiles(workflow.Directory, StepCommand.Values(step, inputs).Values).Where(p => !own.Contains(Normalize(p))))
        {
            Line("input", path, FileHash(Path.Combine(workflow.Directory, path)) ?? "missing");
        }

        foreach (var emit in step.Emits)
        {
            Line("emits", emit.Path, emit.Schema ?? "", emit.Schema is null ? "" : FileHash(Path.GetFullPath(emit.Schema, workflow.Directory)) ?? "missing");
        }

        foreach (var (from, artifact) in upstream.OrderBy(u => u.Step, StringComparer.Ordinal).ThenBy(u => u.Artifact.Path, StringComparer.Ordinal))
        {
            Line("upstream", from, artifact.Path, FileHash(Path.GetFullPath(artifact.Path, workflow.Directory)) ?? "missing");
        }

        return Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text.ToString())));
    }

    /// <summary>The newest succeeded run of the step under the same key whose artifacts all still have the content recorded; null for none.</summary>
    /// <param name="runs">The workflow's earlier runs, newest first (the current one is passed over).</param>
    public static CacheHit? Find(IEnumerable<RunRecord> runs, string currentRun, WorkflowStep step, string key, string workflowDirectory)
    {
        ArgumentNullException.ThrowIfNull(runs);
        ArgumentNullException.ThrowIfNull(step);
        foreach (var record in runs.Where(r => r.Run != currentRun).Take(RunsLooked))
        {
            if (record.Find(step.Id) is not { State: StepState.Succeeded, CacheKey: { } recorded } earlier || recorded != key)
            {
                continue;
            }

            if (earlier.Artifacts.All(a => a.Sha256 is { } sha && FileHash(Path.GetFullPath(a.Path, workflowDirectory)) == sha))
            {
                return new CacheHit(earlier.CachedFrom ?? record.Run, earlier.Artifacts);
            }
        }

        return null;
    }

    /// <summary>The other runs of the current run's workflow (its sibling directories), newest first, read as they are needed.</summary>
    public static IEnumerable<RunRecord> EarlierRuns(RunDirectory current)
    {
        ArgumentNullException.ThrowIfNull(current);
        if (Path.GetDirectoryName(current.Path) is not { } workflowRuns || !Directory.Exists(workflowRuns))
        {
            yield break;
        }

        foreach (var directory in Directory.GetDirectories(workflowRuns).Order(StringComparer.Ordinal).Reverse())
        {
            var run = new RunDirectory(directory);
            if (run.Id != current.Id && File.Exists(run.RunFile) && RunStore.Read(run) is { } record)
            {
                yield return record;
            }
        }
    }

    /// <summary>The step's artifacts with their content's hash, recorded at its success so that a later run knows they are unchanged.</summary>
    public static IReadOnlyList<ArtifactRecord> Hashed(IReadOnlyList<ArtifactRecord> artifacts, string workflowDirectory)
    {
        ArgumentNullException.ThrowIfNull(artifacts);
        return [.. artifacts.Select(a => a with { Sha256 = FileHash(Path.GetFullPath(a.Path, workflowDirectory)) })];
    }

    /// <summary>The files the step's input values name: every match of a glob, or the file a value names when it exists; relative to the workflow's directory, sorted.</summary>
    private static SortedSet<string> InputFiles(string directory, IEnumerable<string> values)
    {
        var files = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var value in values)
        {
            if (FileGlob.IsGlob(value))
            {
                files.UnionWith(FileGlob.Expand(directory, value));
            }
            else if (value.Length > 0 && value.IndexOf('\0') < 0 && File.Exists(Path.GetFullPath(value, directory)))
            {
                files.Add(value.Replace('\\', '/'));
            }
        }

        return files;
    }

    private static string Normalize(string path) => path.Replace('\\', '/').TrimStart('.', '/');

    private static string? FileHash(string path)
    {
        try
        {
            using var stream = File.OpenRead(path);
            return Convert.ToHexStringLower(SHA256.HashData(stream));
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or ArgumentException or NotSupportedException)
        {
            return null;
        }
    }
}
