using System.Text.Json;
using System.Text.RegularExpressions;
using Tend.Core.Alembic;

namespace Tend.Core.Tests.Alembic;

/// <summary>
/// The projects under tests/fixtures/alembic and what the real alembic said about them
/// (expected.json, written by generate.py).
/// </summary>
public static partial class AlembicFixtures
{
    public static string Root { get; } = FindRoot();

    public static string HistoryIni => Path.Combine(Root, "history", "alembic.ini");

    public static string TwoHeadsIni => Path.Combine(Root, "two-heads", "alembic.ini");

    public static Expected HistoryExpected => Expected.Load(Path.Combine(Root, "history", "expected.json"));

    public static Expected TwoHeadsExpected => Expected.Load(Path.Combine(Root, "two-heads", "expected.json"));

    public static async Task<RevisionGraph> GraphAsync(string path)
    {
        var read = await AlembicScriptsReader.ReadAsync(path, TestContext.Current.CancellationToken);
        read.Problem.ShouldBeNull();
        return read.Scripts!.Graph;
    }

    /// <summary>The same revisions in the order alembic loaded them, so that its tie-breaks apply.</summary>
    public static RevisionGraph InOrder(RevisionGraph graph, IReadOnlyList<string> order)
    {
        var rebuilt = RevisionGraph.Build([.. order.Select(id => graph[id])]);
        rebuilt.Problem.ShouldBeNull();
        return rebuilt.Graph!;
    }

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            var candidate = Path.Combine(dir.FullName, "tests", "fixtures", "alembic");
            if (Directory.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException($"tests/fixtures/alembic not found above {AppContext.BaseDirectory}");
    }

    /// <summary>One `alembic upgrade` run: the version table's rows before it, and the revisions it ran, in order.</summary>
    public sealed record Upgrade(string Command, IReadOnlyList<string> From, IReadOnlyList<(string Down, string To)> Ran);

    /// <summary>One line of `alembic history`.</summary>
    public sealed record HistoryLine(string Revision, IReadOnlyList<string> Down, IReadOnlyList<string> DependsOn, IReadOnlyList<string> Flags, string Message);

    public sealed record Expected(
        IReadOnlyList<string> LoadOrder,
        IReadOnlyList<string> Heads,
        IReadOnlyList<HistoryLine> History,
        IReadOnlyList<Upgrade> Upgrades)
    {
        public static Expected Load(string path)
        {
            using var json = JsonDocument.Parse(File.ReadAllText(path));
            var root = json.RootElement;
            return new Expected(
                Strings(root.GetProperty("load_order")),
                [.. Strings(root.GetProperty("heads")).Select(line => line.Split(' ')[0])],
                [.. Strings(root.GetProperty("history")).Select(ParseHistory)],
                [.. root.GetProperty("upgrades").EnumerateArray().Select(u => new Upgrade(
                    u.GetProperty("command").GetString()!,
                    Strings(u.GetProperty("from")),
                    [.. Strings(u.GetProperty("running")).Select(ParseRunning)]))]);
        }

        private static List<string> Strings(JsonElement array) => [.. array.EnumerateArray().Select(e => e.GetString()!)];

        private static HistoryLine ParseHistory(string line)
        {
            var m = HistoryPattern().Match(line);
            m.Success.ShouldBeTrue($"cannot read history line: {line}");
            var down = m.Groups["down"].Value;
            return new HistoryLine(
                m.Groups["rev"].Value,
                down == "<base>" ? [] : down.Split(", "),
                m.Groups["deps"].Success ? m.Groups["deps"].Value.Split(", ") : [],
                [.. FlagPattern().Matches(m.Groups["flags"].Value).Select(f => f.Groups[1].Value)],
                m.Groups["doc"].Value);
        }

        private static (string Down, string To) ParseRunning(string line)
        {
            var m = RunningPattern().Match(line);
            m.Success.ShouldBeTrue($"cannot read upgrade line: {line}");
            return (m.Groups["down"].Value.Trim(), m.Groups["to"].Value);
        }
    }

    [GeneratedRegex(@"^(?<down>.+?)(?: \((?<deps>[^)]*)\))? -> (?<rev>\S+)(?<flags>(?: \([^)]*\))*), (?<doc>.*)$")]
    private static partial Regex HistoryPattern();

    [GeneratedRegex(@" \(([^)]*)\)")]
    private static partial Regex FlagPattern();

    [GeneratedRegex(@"Running upgrade (?<down>.*?) -> (?<to>[^,\s]+)")]
    private static partial Regex RunningPattern();
}
