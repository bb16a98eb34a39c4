using Tend.Core.Model;

namespace Tend.Core.Config;

/// <summary>Reads <c>[actors]</c>: <c>NAME = ["argv", ...]</c> or <c>NAME = "COMPONENT COMMAND"</c>.</summary>
internal static class ActorsReader
{
    public static ValueList<WorkflowActor> Read(TableReader top)
    {
        if (top.Subtable("actors") is not { } table)
        {
            return [];
        }

        var actors = new List<WorkflowActor>();
        foreach (var entry in table.Table.Entries)
        {
            table.Allow(entry.Key);
            if (StepRunReader.Read(entry.Value, table.Describe(entry.Key), table) is { } run)
            {
                actors.Add(new WorkflowActor(entry.Key, run) { Location = entry.KeyLocation });
            }
        }

        table.Finish();
        return [.. actors];
    }
}
