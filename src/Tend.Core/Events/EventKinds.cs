namespace Tend.Core.Events;

/// <summary>
/// The one registry of event kinds. The supervisor writes only these; <c>docs/events.md</c> is
/// rendered from this list (<see cref="RenderMarkdown"/>), and a test keeps the two equal.
/// Names are snake_case and never change; fields are only ever added.
/// </summary>
public static partial class EventKinds
{
    // Fields shared by many kinds, so the same name always means the same thing.
    private static readonly EventFieldSpec Run = Int("run", "the run number of the component: 1 for its first start, one more on every start");
    private static readonly EventFieldSpec Pid = Int("pid", "process id of the run's main process");
    private static readonly EventFieldSpec Pgid = Int("pgid", "its process group, which tend signals as a whole");
    private static readonly EventFieldSpec Argv = List("argv", "the command, one argument an item");
    private static readonly EventFieldSpec ExitCode = Int("exit_code", "exit status; absent when a signal ended it", optional: true);
    private static readonly EventFieldSpec Signal = Str("signal", "the signal that ended it, e.g. `SIGKILL`; absent on a normal exit", optional: true);
    private static readonly EventFieldSpec DurationMs = Int("duration_ms", "how long the run lasted, from start to exit");
    private static readonly EventFieldSpec LogTail = List("log_tail", "the last lines of the run's output, secrets redacted");
    private static readonly EventFieldSpec Probe = Str("probe", "which probe: `health`, `liveness` or `readiness`");
    private static readonly EventFieldSpec Check = Str("check", "the check kind, e.g. `http`, `postgres`");
    private static readonly EventFieldSpec Target = Str("target", "what was checked, e.g. `http://127.0.0.1:8091/`");
    private static readonly EventFieldSpec Summary = Str("summary", "the outcome in one line, e.g. `HTTP 200 in 3 ms`");
    private static readonly EventFieldSpec By = Str("by", "who asked: `cli`, `api`, `boot`", optional: true);

    public static readonly EventKind DaemonStarted = Stack(
        "daemon_started",
        "The daemon started and holds the stack's lock; the first event of every daemon.",
        Int("pid", "the daemon's process id"),
        Str("version", "tend's version"),
        Str("stack", "the stack's name"),
        Str("stack_file", "path of the stack file"),
        Str("state_dir", "the state directory (events, logs, socket)"));

    public static readonly EventKind DaemonStopped = Stack(
        "daemon_stopped",
        "The daemon is exiting; the last event it writes. No such event before a `daemon_recovered` means it was killed.",
        Int("pid", "the daemon's process id"),
        Str("reason", "why, e.g. `tend shutdown`, `SIGTERM`"),
        Int("uptime_ms", "how long the daemon ran"));

    public static readonly EventKind DaemonRecovered = Stack(
        "daemon_recovered",
        "The daemon found the state of a previous daemon that did not stop cleanly (killed, crashed, power cut) and dealt with what it left running.",
        Int("previous_pid", "the previous daemon's process id"),
        Str("previous_started", "when the previous daemon started (ISO 8601)", optional: true),
        List("recorded", "components the previous daemon recorded as running"),
        List("still_alive", "those whose process groups were still alive; each gets an `orphan_stopped`"));

    public static readonly EventKind OrphanStopped = Component(
        "orphan_stopped",
        "A process left running by a killed daemon (in a run's cgroup, a recorded process group, or found by its run's tag) was stopped, so that a restart cannot run the service twice.",
        Pid,
        Pgid,
        Str("command", "its command line, from /proc"),
        Str("signal", "the last signal it took: its component's stop signal (`SIGTERM` unless configured), or `SIGKILL` after the grace period"),
        Int("stop_ms", "how long the stop took"),
        Int("previous_pid", "the daemon that had started it", optional: true));

    public static readonly EventKind UpRequested = Stack(
        "up_requested",
        "`tend up` (or a start) asked for components to run.",
        List("requested", "the components named; empty for the whole stack"),
        List("order", "the start order, requirements included"),
        By);

    public static readonly EventKind DownRequested = Stack(
        "down_requested",
        "`tend down` (or a stop) asked for components to stop.",
        List("requested", "the components named; empty for the whole stack"),
        List("order", "the stop order, dependents first"),
        By);

    public static readonly EventKind ComponentWaiting = Component(
        "component_waiting",
        "The component's start waits for a requirement; one event per requirement not yet met.",
        Str("requirement", "the component it waits for"),
        Str("condition", "what it waits for: `started`, `healthy` or `completed`"),
        Str("current", "the requirement's state now, e.g. `starting`, `unhealthy`", optional: true));

    public static readonly EventKind ComponentStarting = Component(
        "component_starting",
        "Tend is about to start a run of the component.",
        Run,
        Argv,
        Str("cwd", "working directory"),
        Int("attempt", "0 on a first start, n on the n-th restart in a row", optional: true),
        Str("log", "path of this run's log file", optional: true));

    public static readonly EventKind ComponentStartFailed = Component(
        "component_start_failed",
        "The run could not be started at all (program not found, not executable, bad working directory).",
        Run,
        Argv,
        Str("error", "the operating system's message"),
        Str("error_class", "`not_found`, `not_executable`, `prompt_missing` (a rounds prompt file), `permission_denied`, `bad_cwd`, `tools_missing` (util-linux's setsid or setpriv), `no_resources` (out of processes, memory or file descriptors: tried again after a back-off) or `exec_failed`"));

    public static readonly EventKind ComponentStarted = Component(
        "component_started",
        "The run's process exists, in its own process group.",
        Run,
        Pid,
        Pgid);

    public static readonly EventKind ComponentReady = Component(
        "component_ready",
        "The run is ready: its health probe passed, or (a service without a probe) it stayed running for its `min_uptime`.",
        Run,
        Str("ready_as", "`healthy` (a probe passed) or `started` (no probe, up for `min_uptime`)"),
        Int("after_ms", "how long from start to ready"));

    public static readonly EventKind ProbePassed = Component(
        "probe_passed",
        "A probe passed for the first time in a run, or after failing. A probe that keeps passing writes no more events.",
        Int("run", "the run probed", optional: true),
        Probe,
        Check,
        Target,
        Summary,
        Num("duration_ms", "how long the probe took"));

    public static readonly EventKind ProbeFailed = Component(
        "probe_failed",
        "A probe failed. Written while a streak of failures grows up to the threshold, and when the error class changes; a failure that only repeats is not written again.",
        Int("run", "the run probed", optional: true),
        Probe,
        Check,
        Target,
        Summary,
        Str("error_class", "the class of failure, e.g. `refused`, `timeout`, `http_status`"),
        Int("consecutive_failures", "failures in a row, this one included"),
        Int("threshold", "failures in a row that make the component unhealthy", optional: true),
        Num("duration_ms", "how long the probe took"));

    public static readonly EventKind HealthChanged = Component(
        "health_changed",
        "The component's health changed.",
        Str("from", "previous health: `unknown`, `starting`, `healthy`, `unhealthy`, `stopped`"),
        Str("to", "new health, same values"),
        Str("reason", "the probe summary or event that decided", optional: true));

    public static readonly EventKind LivenessFailed = Component(
        "liveness_failed",
        "The liveness probe failed often enough in a row that tend acts on it (restarts the component).",
        Str("summary", "e.g. `liveness: HTTP 503 ×3`"),
        Int("consecutive_failures", "failures in a row"),
        Int("threshold", "the configured threshold"),
        Str("action", "what tend does: `restart` or `none`"));

    public static readonly EventKind ComponentExited = Component(
        "component_exited",
        "The run's main process exited. A restart, back-off, crash loop or stop follows as its own event.",
        Run,
        Pid,
        ExitCode,
        Signal,
        DurationMs,
        Bool("expected", "true when tend asked it to stop"),
        LogTail);

    public static readonly EventKind RestartScheduled = Component(
        "restart_scheduled",
        "Tend will start the component again after a delay (back-off).",
        Int("run", "the run that ended"),
        Int("attempt", "1 for the first restart in a row, then 2, 3, ..."),
        Int("delay_ms", "the back-off delay before the next start"),
        Str("reason", "e.g. `exit 1`, `SIGSEGV`, `liveness: HTTP 503 ×3`"),
        Str("policy", "the restart policy: `always` or `on-failure`"));

    public static readonly EventKind BackoffReset = Component(
        "backoff_reset",
        "The run stayed up long enough that the back-off starts again from its minimum.",
        Run,
        Int("after_ms", "how long the run had been up"),
        Int("attempts", "restarts in a row before the reset"));

    public static readonly EventKind CrashLoop = Component(
        "crash_loop",
        "The component restarted too often in a short window; tend stops restarting it, or waits much longer.",
        Int("restarts", "restarts within the window"),
        Int("window_ms", "the window"),
        Str("last_exit", "how the last run ended, e.g. `exit 1`, `SIGSEGV`"),
        LogTail,
        Int("retry_in_ms", "when tend tries again; absent when it waits for a manual start", optional: true));

    public static readonly EventKind ConfigBroken = Component(
        "config_broken",
        "The run exited 78 (EX_CONFIG): its configuration is wrong, and restarting cannot help. No restart until the configuration changes or a manual start.",
        Run,
        Int("exit_code", "78"),
        LogTail);

    public static readonly EventKind ComponentStopping = Component(
        "component_stopping",
        "Tend sent the stop signal to the run's process group.",
        Run,
        Pid,
        Pgid,
        Str("signal", "the stop signal, e.g. `SIGTERM`"),
        Int("grace_ms", "how long tend waits before SIGKILL"),
        Str("reason", "e.g. `down requested`, `restart`, `stack file changed`, `liveness failed`"));

    public static readonly EventKind StopEscalated = Component(
        "stop_escalated",
        "The grace period ran out with processes of the group still alive; tend sent SIGKILL to the group (with cgroups, to the run's whole cgroup through `cgroup.kill`).",
        Run,
        Str("signal", "`SIGKILL`"),
        Int("after_ms", "time since the stop signal"),
        List("alive", "the processes still alive, each as `PID command line`"));

    public static readonly EventKind EscapedStopped = Component(
        "escaped_stopped",
        "Processes of a run that had left its process group (setpgid, setsid, a daemon that forked twice) were stopped: the component's stop signal, its grace, then SIGKILL. With cgroups they were in the run's cgroup and stopped with it; without, they were found by the run's tag in their environment.",
        Run,
        List("processes", "the processes found, each as `pid PID (command line)`"),
        Str("signal", "the last signal they took: the component's stop signal, or `SIGKILL` after the grace period"),
        Int("stop_ms", "how long the stop took"));

    public static readonly EventKind ComponentStopped = Component(
        "component_stopped",
        "Nothing of the run's process group is left (with cgroups: its cgroup is empty).",
        Run,
        Int("stop_ms", "from the stop signal until the group was gone"),
        Bool("escalated", "true when SIGKILL was needed"),
        ExitCode,
        Signal);

    public static readonly EventKind JobCompleted = Component(
        "job_completed",
        "A job ran to completion with exit status 0; `completed` requirements on it are met.",
        Run,
        Int("exit_code", "0"),
        DurationMs);

    public static readonly EventKind JobFailed = Component(
        "job_failed",
        "A job ended with a non-zero status or a signal.",
        Run,
        ExitCode,
        Signal,
        DurationMs,
        LogTail);

    public static readonly EventKind StackFileChanged = Stack(
        "stack_file_changed",
        "The stack file changed on disk and was loaded again.",
        Str("path", "the stack file"),
        List("added", "components added"),
        List("removed", "components removed (they are stopped)"),
        List("changed", "components whose definition changed"),
        List("restarts", "components that restart because of the change"));

    public static readonly EventKind CommandRun = Component(
        "command_run",
        "`tend run` ran one of the component's commands to its end.",
        Str("command", "the command's name, e.g. `schema show`"),
        Argv,
        Str("cwd", "working directory"),
        Pid,
        ExitCode,
        Signal,
        DurationMs,
        Str("preflight", "pre-flight outcome: `pass`, `warn`, `fail` or `skipped`", optional: true));

    public static readonly EventKind EventsLost = Stack(
        "events_lost",
        "Events could not be written (a full disk, a missing directory); written by the event log itself before the next event it can write.",
        Int("lost", "how many events were lost"),
        Str("since", "when the first of them happened (ISO 8601)"),
        Str("error", "the last error, e.g. `No space left on device`"));

    public static readonly EventKind StateWriteFailed = Stack(
        "state_write_failed",
        "state.json could not be written (a full disk, a read-only state directory): the daemon goes on from memory and tries again every second. Said once until a write works.",
        Str("path", "state.json's path"),
        Str("error", "why, e.g. `No space left on device`"));

    public static readonly EventKind StateWriteResumed = Stack(
        "state_write_resumed",
        "state.json is written again after `state_write_failed`.",
        Str("path", "state.json's path"),
        Int("failed_ms", "how long it could not be written, in milliseconds"));

    /// <summary>Every kind, in the order of a component's life.</summary>
    public static readonly EventKind PreflightFailed = Component(
        "preflight_failed",
        "The component's own start checks (config file, pre-flight list) failed right before its first run: it is left failed, not started.",
        List("failed", "each failed check: its title and summary"),
        List("facts", "what the checks saw"),
        Str("cause", "the likely cause, from the diagnosis rules", optional: true),
        List("actions", "what to do, numbered in order"));

    public static readonly EventKind ComponentGaveUp = Component(
        "component_gave_up",
        "A service exited and its restart policy says not to restart it: it stays exited.",
        Run,
        Str("reason", "how the last run ended, e.g. `exit code 0`"),
        Str("policy", "the restart policy: `no`, `on-failure` or `always`"));

    public static readonly EventKind StopSlow = Component(
        "stop_slow",
        "A stop has taken a second (or half its grace period, if shorter); who is still alive (KILL follows at the end of the grace period).",
        Run,
        List("alive", "`pid N (command line)` of each process of the group still alive"));

    public static readonly EventKind DaemonError = Stack(
        "daemon_error",
        "tend itself failed at one of the daemon's own tasks (a bug); the task goes on. Said once until the task works again.",
        Str("task", "which task: `state.json` (writing the state a later daemon recovers from)"),
        Str("error", "the exception's type and message"));

    public static readonly EventKind SupervisorError = Component(
        "supervisor_error",
        "tend itself failed while supervising the component (a bug): the component is left failed and its processes stopped.",
        Str("error", "the exception's type and message"));

    public static readonly EventKind ApiRequest = Component(
        "api_request",
        "A change of the component asked through the HTTP API (a dashboard's button, a script's POST): what, and from where. The change's own events follow.",
        Str("action", "`start`, `stop` or `restart`"),
        Str("source", "the face it came through: `http`"),
        Str("remote", "the client's address and port"));

    public static readonly EventKind HttpListening = Stack(
        "http_listening",
        "The daemon's HTTP face (dashboard, API, /metrics) listens.",
        Str("url", "where to open it, e.g. `http://127.0.0.1:7380/`"),
        Str("remote", "`allowed` when other hosts may connect (with the token), else `loopback only`"));

    public static readonly EventKind HttpFailed = Stack(
        "http_failed",
        "The HTTP face could not listen: the port is taken (by whom), or the address is not this host's. Supervision goes on without it.",
        Str("listen", "the address asked for"),
        Str("error", "why, naming the port's holder when there is one"));

    private static IReadOnlyList<EventKind>? _all;

    /// <summary>Every kind. Built on first use, not by a field initializer: <see cref="Rounds"/> reads this class's fields, so initializers would depend on each other.</summary>
    public static IReadOnlyList<EventKind> All => _all ??=
    [
        DaemonStarted,
        DaemonStopped,
        DaemonRecovered,
        OrphanStopped,
        UpRequested,
        DownRequested,
        ComponentWaiting,
        ComponentStarting,
        ComponentStartFailed,
        ComponentStarted,
        ComponentReady,
        ProbePassed,
        ProbeFailed,
        HealthChanged,
        LivenessFailed,
        ComponentExited,
        RestartScheduled,
        BackoffReset,
        CrashLoop,
        ConfigBroken,
        ComponentStopping,
        StopEscalated,
        EscapedStopped,
        ComponentStopped,
        JobCompleted,
        JobFailed,
        StackFileChanged,
        CommandRun,
        EventsLost,
        StateWriteFailed,
        StateWriteResumed,
        PreflightFailed,
        ComponentGaveUp,
        StopSlow,
        SupervisorError,
        DaemonError,
        ApiRequest,
        HttpListening,
        HttpFailed,
        .. EventKinds.Rounds.All,
        .. EventKinds.Monitor.All,
        .. EventKinds.Updates.All,
        .. EventKinds.Workflows.All,
    ];

    public static EventKind? Find(string name) => All.FirstOrDefault(k => k.Name == name);

    private static EventKind Stack(string name, string description, params EventFieldSpec[] fields) => new(name, EventScope.Stack, description, fields);

    private static EventKind Component(string name, string description, params EventFieldSpec[] fields) => new(name, EventScope.Component, description, fields);

    private static EventFieldSpec Str(string name, string meaning, bool optional = false) => new(name, EventFieldType.String, meaning, optional);

    private static EventFieldSpec Int(string name, string meaning, bool optional = false) => new(name, EventFieldType.Integer, meaning, optional);

    private static EventFieldSpec Num(string name, string meaning) => new(name, EventFieldType.Number, meaning);

    private static EventFieldSpec Bool(string name, string meaning, bool optional = false) => new(name, EventFieldType.Boolean, meaning, optional);

    private static EventFieldSpec List(string name, string meaning, bool optional = false) => new(name, EventFieldType.StringList, meaning, optional);
}
