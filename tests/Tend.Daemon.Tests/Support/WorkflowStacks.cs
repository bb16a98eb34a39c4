namespace Tend.Daemon.Tests.Support;

/// <summary>Workflows that the foreground runner, the daemon's runner and the CLI's specs all drive the same way.</summary>
public static class WorkflowStacks
{
    /// <summary>
    /// a → b → c, each step appending its id to the file `starts`. b writes its PID (the leader
    /// of its group; `$$$$` is `$$` in the stack file, the shell's PID) to `b.pid` in one rename
    /// and sleeps until killed, unless the file `go` exists, when it ends at once: a spec stops
    /// or kills the run while b sleeps, creates `go`, and resumes it.
    /// </summary>
    public const string BlockingFlow = """
        [workflows.flow]
        [[workflows.flow.steps]]
        id = "a"
        run = ["sh", "-c", "echo a >> starts"]

        [[workflows.flow.steps]]
        id = "b"
        run = ["sh", "-c", "echo b >> starts; if [ ! -f go ]; then echo $$$$ > b.pid.tmp && mv b.pid.tmp b.pid; exec sleep 600; fi"]
        depends_on = ["a"]

        [[workflows.flow.steps]]
        id = "c"
        run = ["sh", "-c", "echo c >> starts"]
        depends_on = ["b"]

        """;
}
