using System.Text.Json;
using System.Text.Json.Serialization;
using Tend.Core.Persistence;

namespace Tend.Core.Updates;

/// <summary>Where an update stands, written before each step so that a daemon killed in the middle knows what to undo.</summary>
public enum UpdatePhase
{
    /// <summary>The new version is being set, or is set and being watched: undo means setting the old one back.</summary>
    Updating,

    /// <summary>The new version failed and the old one is being set back.</summary>
    RollingBack,
}

/// <summary>
/// The plan of one update in progress (STATE/updates/COMP.json): what it moves from and to, and
/// how far it got. Written (atomically) before the first command runs and removed once the update
/// is committed or rolled back; a daemon that starts and finds one sets the old version back,
/// so a killed daemon never leaves a component between two versions.
/// </summary>
public sealed record UpdateJournal(string Component, string From, string? FromDigest, string To, UpdatePhase Phase, DateTimeOffset StartedAt, int DaemonPid)
{
    public static string PathFor(string stateDirectory, string component) => Path.Combine(stateDirectory, "updates", component + ".json");

    public void Save(string stateDirectory)
    {
        var path = PathFor(stateDirectory, Component);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        AtomicFile.WriteAllText(path, JsonSerializer.Serialize(this, UpdateJson.Default.UpdateJournal));
    }

    public static void Remove(string stateDirectory, string component) => FileCleanup.TryDelete(PathFor(stateDirectory, component));

    /// <summary>Every unfinished update left in <paramref name="stateDirectory"/>; a journal that does not read is skipped (and kept for a human).</summary>
    public static IReadOnlyList<UpdateJournal> Unfinished(string stateDirectory)
    {
        var directory = Path.Combine(stateDirectory, "updates");
        if (!Directory.Exists(directory))
        {
            return [];
        }

        var journals = new List<UpdateJournal>();
        foreach (var file in Directory.EnumerateFiles(directory, "*.json"))
        {
            try
            {
                if (JsonSerializer.Deserialize(File.ReadAllText(file), UpdateJson.Default.UpdateJournal) is { } journal)
                {
                    journals.Add(journal);
                }
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or JsonException)
            {
                // Not ours to guess at: it stays for `tend why` and a human.
            }
        }

        return journals;
    }
}

/// <summary>Journals and the update reports: source-generated (AOT-safe), snake_case, nulls left out.</summary>
[JsonSourceGenerationOptions(
    PropertyNamingPolicy = JsonKnownNamingPolicy.SnakeCaseLower,
    DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    UseStringEnumConverter = true)]
[JsonSerializable(typeof(UpdateJournal))]
[JsonSerializable(typeof(VersionsReport))]
public sealed partial class UpdateJson : JsonSerializerContext;
