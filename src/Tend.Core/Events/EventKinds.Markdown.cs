using System.Text;

namespace Tend.Core.Events;

public static partial class EventKinds
{
    /// <summary>The text of <c>docs/events.md</c>: the format, then every kind with its fields.</summary>
    public static string RenderMarkdown()
    {
        var text = new StringBuilder();
        text.Append(Introduction);
        text.Append("## Kinds\n\n");
        text.Append("| kind | about | meaning |\n|---|---|---|\n");
        foreach (var kind in All)
        {
            text.Append($"| [`{kind.Name}`](#{kind.Name}) | {About(kind)} | {kind.Description} |\n");
        }

        foreach (var kind in All)
        {
            text.Append($"\n### {kind.Name}\n\n{kind.Description}\n\n");
            text.Append($"`component`: {kind.Scope switch { EventScope.Component => "the component.", EventScope.Either => "the component when the subject is one, else `null`.", _ => "`null` (the whole stack)." }}\n\n");
            text.Append("| field | type | meaning |\n|---|---|---|\n");
            foreach (var field in kind.Fields)
            {
                text.Append($"| `{field.Name}` | {field.TypeName}{(field.Optional ? ", optional" : "")} | {field.Meaning} |\n");
            }
        }

        return text.ToString();
    }

    private static string About(EventKind kind) => kind.Scope switch { EventScope.Component => "component", EventScope.Either => "component or stack", _ => "stack" };

    private const string Introduction = """
        # Events

        <!-- Generated from src/Tend.Core/Events/EventKinds.cs by EventKinds.RenderMarkdown(); do not edit.
             To update: TEND_UPDATE_DOCS=1 dotnet test tests/Tend.Core.Tests --filter "FullyQualifiedName~EventDocs" -->

        Every state change of the supervisor, every probe transition, restart, back-off and stop is a
        fact: one JSON object on one line, appended to `events/events-YYYY-MM-DD.jsonl` in the stack's
        state directory (`.tend/` unless configured), named by the UTC date of the event.

        ```json
        {"ts":"2025-06-01T08:00:00.1234567Z","event":"component_started","component":"manager","run":3,"pid":41234,"pgid":41234}
        ```

        - `ts`: when it happened, UTC, ISO 8601 with seven fractional digits.
        - `event`: one of the kinds below. `component`: the component, or `null` for the whole stack.
        - Then the fields of the kind, in the order listed. Types are JSON's: `string`, `integer`,
          `number`, `boolean`, `string[]`. An optional field may be absent or `null`.
        - Fields are only ever added, never renamed or removed: a reader ignores the fields it does
          not know. No event shows a secret the stack gives Tend (an argv, a log tail, a check's
          message): see [secrets.md](secrets.md).

        ## Reading them

        ```sh
        jq -c 'select(.component == "manager")' .tend/events/events-*.jsonl
        jq -c 'select(.event | startswith("component_"))' .tend/events/events-$(date -u +%F).jsonl
        tail -F .tend/events/events-$(date -u +%F).jsonl | jq .
        ```

        `tend events -n N` reads the newest file from its end, block by block, and parses only the
        lines it shows: the last 100 of a million events take about as long as `tail`. A query for
        components or kinds (`-c`, `--kind`, `tend why X`) uses the index kept beside each daily
        file, `events-YYYY-MM-DD.jsonl.idx`: which components and kinds each 64 KiB block holds, so
        only the blocks that can match are read. The index is a cache: built on the first such
        query, brought up to date by the daemon when the stack is quiet and by any query that finds
        it behind, thrown away and built again when it does not describe its file (cut short, or
        the file rewritten), and deleted with its file by retention.

        ## Guarantees

        - **Whole lines.** Each event is one `write(2)` of the complete line, newline included, to a
          file opened with `O_APPEND`. The daemon and a `tend run` in another process append to the
          same file, and their lines never mix.
        - **A crash loses nothing written.** An event is handed to the kernel before the supervisor
          goes on, so a crash of the daemon, even `SIGKILL`, loses none of the events it wrote.
        - **No fsync per event.** On an SD card (a Pi) an fsync takes milliseconds to tens of
          milliseconds, and a restart storm writes events by the hundred; the supervisor must not
          stall on the disk. The file is synced when the daemon stops. What a power cut or a kernel
          crash can lose is the last seconds of events not yet written back by the kernel (about 30
          seconds on Linux's defaults); the file may then end in a partial line or zero bytes, which
          readers skip.
        - **Torn lines.** A last line without its newline is a write in progress or a writer killed
          mid-write. Readers do not show it until its newline arrives; the next writer to open the
          file ends it first, so it stays a lone malformed line that readers skip and count.
        - **A full disk.** The supervisor goes on. A line the disk cut midway is taken back (the
          file is truncated to where it ended before), so no torn line is left behind. Events that
          cannot be written are counted, shown as a warning by `tend status` and `tend peek` (and in
          `warnings` of `status --json`), and the next event that can be written is preceded by
          `events_lost` with how many were lost. `state.json` is kept the same way: the daemon's memory
          is the truth, a write that fails is tried again every second, said once
          (`state_write_failed`) and once more when it works again (`state_write_resumed`).
        - **Bounded.** The daemon keeps the files within `[stack] events = { max_size = "100MB",
          keep_days = 30 }` (the defaults, read when the daemon starts): files older than
          `keep_days` go, then the oldest until all fit in `max_size`; the file being written is
          never deleted. Should one day's file reach `max_size` by itself, the rest of that day's
          events that do not fit are counted as lost and reported by `events_lost` as soon as one fits
          (the next day at the latest).
        - **Small fields.** A string field keeps at most 4096 characters, a list at most 64 items
          of 1024 characters each; what is cut ends in `… [N more characters]` (or `items`). A run
          whose lines are megabytes long puts kilobytes into its `component_exited`, not
          megabytes; the whole lines are in its log.


        """;
}
