using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>Reads a component's <c>update = { set, current, versions, passes, window, timeout }</c>.</summary>
internal static class UpdateReader
{
    public static UpdateSpec? Read(TableReader reader)
    {
        if (reader.Subtable("update") is not { } table)
        {
            return null;
        }

        var set = table.Argv("set", required: true);
        var current = table.Argv("current", required: true);
        var versions = table.Argv("versions");
        var passes = table.Integer("passes", 1, 100) ?? UpdateSpec.DefaultPasses;
        var window = table.Duration("window") ?? UpdateSpec.DefaultWindow;
        var timeout = table.Duration("timeout") ?? UpdateSpec.DefaultTimeout;
        table.Finish();
        if (set is null || current is null)
        {
            return null;
        }

        if (!set.Any(word => word.Contains(UpdateSpec.Placeholder, StringComparison.Ordinal)))
        {
            table.Problems.Error(table.Entry("set")!.Value.Location, $"{table.Describe("set")} never says {UpdateSpec.Placeholder}: it would set the same version whatever tend update asks for", $"put {UpdateSpec.Placeholder} where the version goes, e.g. [\"ln\", \"-sfn\", \"releases/{{version}}\", \"current\"]");
        }

        if (window <= TimeSpan.Zero)
        {
            table.Problems.Error(table.Entry("window")!.Value.Location, $"{table.Describe("window")} must be longer than zero: it is how long a new version is watched before it is kept");
        }

        return new UpdateSpec(set, current, versions, (int)passes, window, timeout) { Location = table.Location };
    }
}
