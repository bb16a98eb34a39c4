using System.Diagnostics;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>fork-bomb GENERATIONS WIDTH PIDFILE [--ignore-term] [--every-ms MS]</c>: a service whose processes leave
/// its session and keep forking, the worst case for a stop that finds processes by their process
/// group or by scanning. The dummy starts one node; every node calls setsid() (through util-linux
/// <c>setsid</c>: a new session and process group), appends its PID to PIDFILE, and, below the
/// last generation, keeps WIDTH children alive: a respawner per child (in the node's session)
/// forks a new one 100 ms after the last one died, or with <c>--every-ms</c> a new one every MS
/// whether the last one died or not (so the service keeps growing, each new process in a new
/// session). Nodes of the last generation sleep. With <c>--ignore-term</c> every process ignores
/// SIGTERM (the dummy itself too), so only KILL ends them. At most 200 nodes ever start. Nodes: 1 + WIDTH + ... + WIDTH^GENERATIONS; respawners: one per node below the last
/// generation and child. Prints <c>ready</c> once the first node has started.
/// </summary>
internal static class ForkBombCommand
{
    /// <summary>
    /// No node forks once this many have started: a run that tend failed to stop (a spec that
    /// failed, a test host that was killed) then holds a few hundred processes, not the machine's
    /// every PID (an unbounded bomb left by an aborted run once reached 32,000 in 16 minutes).
    /// </summary>
    private const int MaxNodes = 200;

    /// <summary>One node, run by sh with $1 its generation, $2 the last one, $3 the width, $4 the PID file; the script itself is in $TEND_DUMMY_BOMB.</summary>
    private const string Node = """
        [ "$TEND_DUMMY_BOMB_IGNORE_TERM" = 1 ] && trap '' TERM
        echo $$ >> "$4"
        if [ "$1" -ge "$2" ]; then exec sleep 100000; fi
        i=0
        while [ "$i" -lt "$3" ]; do
          if [ -n "$TEND_DUMMY_BOMB_EVERY_SECONDS" ]; then
            ( while :; do if [ "$(wc -l < "$4")" -lt "$TEND_DUMMY_BOMB_MAX" ]; then setsid sh -c "$TEND_DUMMY_BOMB" node $(($1 + 1)) "$2" "$3" "$4" & fi; sleep "$TEND_DUMMY_BOMB_EVERY_SECONDS"; done ) &
          else
            ( while :; do if [ "$(wc -l < "$4")" -lt "$TEND_DUMMY_BOMB_MAX" ]; then setsid sh -c "$TEND_DUMMY_BOMB" node $(($1 + 1)) "$2" "$3" "$4"; fi; sleep 0.1; done ) &
          fi
          i=$((i + 1))
        done
        wait
        """;

    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--every-ms"], ["--ignore-term"]);
        var generations = args.Number(0, "GENERATIONS");
        var width = args.Number(1, "WIDTH");
        var pidFile = Path.GetFullPath(args.Positional(2, "PIDFILE"));
        var ignoreTerm = args.Flag("--ignore-term");
        using var ignore = ignoreTerm ? System.Runtime.InteropServices.PosixSignalRegistration.Create(System.Runtime.InteropServices.PosixSignal.SIGTERM, context => context.Cancel = true) : null;

        var info = new ProcessStartInfo("setsid") { UseShellExecute = false };
        foreach (var word in (string[])["sh", "-c", Node, "node", "0", generations.ToString(System.Globalization.CultureInfo.InvariantCulture), width.ToString(System.Globalization.CultureInfo.InvariantCulture), pidFile])
        {
            info.ArgumentList.Add(word);
        }

        info.Environment["TEND_DUMMY_BOMB"] = Node;
        info.Environment["TEND_DUMMY_BOMB_IGNORE_TERM"] = ignoreTerm ? "1" : "0";
        info.Environment["TEND_DUMMY_BOMB_MAX"] = MaxNodes.ToString(System.Globalization.CultureInfo.InvariantCulture);
        if (args.Option("--every-ms") is not null)
        {
            info.Environment["TEND_DUMMY_BOMB_EVERY_SECONDS"] = (args.Number("--every-ms", 0) / 1000.0).ToString("0.###", System.Globalization.CultureInfo.InvariantCulture);
        }
        using var first = Process.Start(info) ?? throw new InvalidOperationException("the first node did not start");
        Console.Out.WriteLine("ready");
        await Pause.Forever();
        return 0;
    }
}
