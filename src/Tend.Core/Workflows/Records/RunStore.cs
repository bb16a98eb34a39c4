using System.Globalization;
using System.Text.Json;
using Tend.Core.Persistence;
using Tend.Core.Processes;
using Tend.Core.Workflows.Running;

namespace Tend.Core.Workflows.Records;

/// <summary>Where a run's files are, inside <c>STATE/workflows/NAME/RUN/</c>.</summary>
public sealed record RunDirectory(string Path)
{
    public string RunFile => System.IO.Path.Combine(Path, "run.json");

    public string StepsDirectory => System.IO.Path.Combine(Path, "steps");

    public string ReviewDirectory => System.IO.Path.Combine(Path, "review");

    public string Id => System.IO.Path.GetFileName(Path);

    public static string LogName(string stepId) => $"steps/{stepId}.log";

    public string LogFile(string stepId) => System.IO.Path.Combine(Path, "steps", $"{stepId}.log");

    public string ReportFile(string stepId, int attempt) => System.IO.Path.Combine(Path, "steps", $"{stepId}.{attempt}.report.json");

    public string ReviewFile(string stepId) => System.IO.Path.Combine(ReviewDirectory, $"{stepId}.json");
}

/// <summary>A run found by id or prefix, or why none was.</summary>
public sealed record RunLookup(RunDirectory? Found, string? Problem, IReadOnlyList<string> Candidates);

/// <summary>The runs of a state directory: <c>STATE/workflows/NAME/RUN/run.json</c>.</summary>
public sealed class RunStore(string stateDirectory)
{
    public string Root { get; } = Path.Combine(stateDirectory, "workflows");

    /// <summary>
    /// A new run's directory. Its id sorts by start time to the millisecond (the tail is the
    /// milliseconds and one random digit: two runs in one second once sorted the wrong way, and
    /// "the latest run" and the cache's "earlier runs" follow this order); a run of the same
    /// millisecond gets another digit.
    /// </summary>
    public RunDirectory Create(string workflow, DateTimeOffset now)
    {
        var utc = now.UtcDateTime;
        while (true)
        {
            var id = $"{utc.ToString("yyyyMMdd-HHmmss", CultureInfo.InvariantCulture)}-{utc.Millisecond:000}{Random.Shared.Next(16):x}";
            var directory = new RunDirectory(Path.Combine(Root, workflow, id));
            if (!Directory.Exists(directory.Path))
            {
                Directory.CreateDirectory(directory.StepsDirectory);
                return directory;
            }
        }
    }

    public static void Write(RunDirectory directory, RunRecord record) =>
        AtomicFile.WriteAllText(directory.RunFile, JsonSerializer.Serialize(record, RunRecordJson.Default.RunRecord), durable: false);

    /// <summary>The record as written; a run still <c>running</c> whose runner is gone reads as <see cref="RunOutcome.Interrupted"/>.</summary>
    public static RunRecord? Read(RunDirectory directory)
    {
        RunRecord? record;
        try
        {
            record = JsonSerializer.Deserialize(File.ReadAllText(directory.RunFile), RunRecordJson.Default.RunRecord);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }

        if (record is { Outcome: RunOutcome.Running } && !RunnerAlive(record.RunnerPid))
        {
            return record.Interrupted($"its runner (pid {record.RunnerPid}) is gone");
        }

        return record;
    }

    // Signal 0 asks whether the process exists without touching it; a zombie (dead, its parent has
    // not reaped it yet: a daemon SIGKILLed whose parent is gone) exists and runs nothing.
    private static bool RunnerAlive(int pid) => pid == Environment.ProcessId || (Signals.Send(pid, 0) && !Zombie(pid));

    private static bool Zombie(int pid)
    {
        try
        {
            // The state follows the command's closing parenthesis: "1234 (tend) Z ...".
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            var close = stat.LastIndexOf(')');
            return close > 0 && close + 2 < stat.Length && stat[close + 2] is 'Z' or 'X';
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false;
        }
    }

    /// <summary>Every run, newest first; of one workflow when <paramref name="workflow"/> is given.</summary>
    public IReadOnlyList<RunDirectory> List(string? workflow = null)
    {
        if (!Directory.Exists(Root))
        {
            return [];
        }

        var workflows = workflow is null ? Directory.GetDirectories(Root) : [Path.Combine(Root, workflow)];
        return [.. workflows.Where(Directory.Exists)
            .SelectMany(Directory.GetDirectories)
            .Where(d => File.Exists(Path.Combine(d, "run.json")))
            .Select(d => new RunDirectory(d))
            .OrderByDescending(d => d.Id, StringComparer.Ordinal)];
    }

    /// <summary>The run whose id is <paramref name="idOrPrefix"/> or starts with it, when only one does.</summary>
    public RunLookup Find(string idOrPrefix)
    {
        var all = List();
        if (all.FirstOrDefault(d => d.Id == idOrPrefix) is { } exact)
        {
            return new RunLookup(exact, null, []);
        }

        var matches = all.Where(d => d.Id.StartsWith(idOrPrefix, StringComparison.Ordinal)).ToList();
        return matches.Count switch
        {
            1 => new RunLookup(matches[0], null, []),
            0 => new RunLookup(null, $"no workflow run '{idOrPrefix}' in {Root}", [.. all.Take(5).Select(d => d.Id)]),
            _ => new RunLookup(null, $"'{idOrPrefix}' matches {matches.Count} runs", [.. matches.Take(5).Select(d => d.Id)]),
        };
    }

    /// <summary>Writes an approve or reject for the runner of <paramref name="directory"/> to find.</summary>
    public static void WriteDecision(RunDirectory directory, ReviewDecision decision)
    {
        Directory.CreateDirectory(directory.ReviewDirectory);
        AtomicFile.WriteAllText(directory.ReviewFile(decision.Step), JsonSerializer.Serialize(decision, RunRecordJson.Default.ReviewDecision), durable: false);
    }

    public static ReviewDecision? ReadDecision(RunDirectory directory, string stepId)
    {
        try
        {
            return JsonSerializer.Deserialize(File.ReadAllText(directory.ReviewFile(stepId)), RunRecordJson.Default.ReviewDecision);
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
