namespace Tend.Core.Metrics;

/// <summary>A family of the exposition: its name, type, labels and meaning (docs/metrics.md lists the same).</summary>
/// <param name="Labels">Its labels besides none, each from a bounded set: the stack's components, rules and mounts, or a fixed list.</param>
public sealed record ExposedMetric(string Name, MetricType Type, IReadOnlyList<string> Labels, string Help);

/// <summary>
/// Every family `tend metrics` and <c>GET /metrics</c> expose. Names follow Prometheus' conventions:
/// base units (seconds, bytes, ratios of 1), <c>_total</c> on counters, no label whose values grow
/// without bound (no PIDs, run numbers or free texts).
/// </summary>
public static class ExposedMetrics
{
    private static readonly string[] None = [];
    private static readonly string[] ComponentLabel = ["component"];

    public static readonly ExposedMetric BuildInfo = new("tend_build_info", MetricType.Gauge, ["version"], "Always 1; the version of tend that runs the daemon.");
    public static readonly ExposedMetric DaemonStart = new("tend_daemon_start_time_seconds", MetricType.Gauge, None, "When the daemon started, in seconds since the Unix epoch.");
    public static readonly ExposedMetric ScrapeDuration = new("tend_scrape_duration_seconds", MetricType.Gauge, None, "How long the previous scrape took inside the daemon (0 on the first).");
    public static readonly ExposedMetric Events = new("tend_events_total", MetricType.Counter, ["kind"], "Events the daemon wrote, by kind (docs/events.md lists the kinds).");
    public static readonly ExposedMetric AlertsFiring = new("tend_alerts_firing", MetricType.Gauge, ["rule", "severity"], "Alerts of the monitor firing now, by rule (one per subject it fires on); 0 for an enabled rule that does not fire.");

    public static readonly ExposedMetric Up = new("tend_component_up", MetricType.Gauge, ComponentLabel, "1 when the component is up as its kind means it (healthy, up for min_uptime, completed, rounds underway), else 0: the verdict of `tend status`.");
    public static readonly ExposedMetric State = new("tend_component_state", MetricType.Gauge, ["component", "state"], "1 for the component's state now, 0 for each other state.");
    public static readonly ExposedMetric Health = new("tend_component_health", MetricType.Gauge, ["component", "state"], "Components with a health probe: 1 for how the probe stands in the current run (starting, passing, failing), 0 for the others; all 0 while nothing runs.");
    public static readonly ExposedMetric ProbeDuration = new("tend_probe_duration_seconds", MetricType.Histogram, ComponentLabel, "How long each health probe took, pass or fail.");
    public static readonly ExposedMetric Restarts = new("tend_component_restarts_total", MetricType.Counter, ["component", "reason"], "Times the component was started again: after an exit, a signal, a failed liveness probe, on request, or by a monitor rule.");
    public static readonly ExposedMetric StartTime = new("tend_component_start_time_seconds", MetricType.Gauge, ComponentLabel, "When its current (or last) run started, in seconds since the Unix epoch.");
    public static readonly ExposedMetric LastExitCode = new("tend_component_last_exit_code", MetricType.Gauge, ComponentLabel, "The exit code of its last run that ended; 128 + the signal's number when a signal ended it.");
    public static readonly ExposedMetric Cpu = new("tend_component_cpu_seconds_total", MetricType.Counter, ComponentLabel, "CPU time its runs' processes used, summed over their process group and cgroup, counted at each monitor sample.");
    public static readonly ExposedMetric Memory = new("tend_component_resident_memory_bytes", MetricType.Gauge, ComponentLabel, "Resident memory of its current run's processes added up, at the last sample; absent while nothing runs.");
    public static readonly ExposedMetric Processes = new("tend_component_processes", MetricType.Gauge, ComponentLabel, "Processes of its current run at the last sample; absent while nothing runs.");
    public static readonly ExposedMetric LogBytes = new("tend_log_bytes_total", MetricType.Counter, ComponentLabel, "Bytes its runs printed (stdout and stderr).");
    public static readonly ExposedMetric LogLines = new("tend_log_lines_total", MetricType.Counter, ComponentLabel, "Lines its runs printed (stdout and stderr).");
    public static readonly ExposedMetric LogDropped = new("tend_log_dropped_bytes_total", MetricType.Counter, ComponentLabel, "Bytes of its output that never reached its log file: dropped while the disk was behind, or lost to a failed write.");

    public static readonly ExposedMetric Rounds = new("tend_rounds_total", MetricType.Counter, ["component", "outcome"], "Rounds of a rounds component that ended, by outcome (ok, failed, grace_kill, timeout_kill, stopped, not_started).");
    public static readonly ExposedMetric RoundDuration = new("tend_round_duration_seconds", MetricType.Gauge, ComponentLabel, "How long its last finished round took.");
    public static readonly ExposedMetric RoundStart = new("tend_round_start_time_seconds", MetricType.Gauge, ComponentLabel, "When its running round started, in seconds since the Unix epoch; absent between rounds.");
    public static readonly ExposedMetric RoundTimeout = new("tend_round_timeout_seconds", MetricType.Gauge, ComponentLabel, "Its rounds.timeout: a round running longer is stopped.");
    public static readonly ExposedMetric ThrottledUntil = new("tend_throttled_until_timestamp_seconds", MetricType.Gauge, ComponentLabel, "Until when its rounds are paused for a transient failure (a rate limit), in seconds since the Unix epoch; 0 when they are not.");

    public static readonly ExposedMetric HostLoad = new("tend_host_load1", MetricType.Gauge, None, "The host's 1-minute load average.");
    public static readonly ExposedMetric HostCpus = new("tend_host_cpus", MetricType.Gauge, None, "The host's online cores.");
    public static readonly ExposedMetric HostCpuUsage = new("tend_host_cpu_usage_ratio", MetricType.Gauge, None, "The host's CPU in use over the last monitor interval, as a ratio of all its cores (0 to 1).");
    public static readonly ExposedMetric HostMemoryTotal = new("tend_host_memory_total_bytes", MetricType.Gauge, None, "The host's memory (MemTotal).");
    public static readonly ExposedMetric HostMemoryAvailable = new("tend_host_memory_available_bytes", MetricType.Gauge, None, "Memory available for new work (MemAvailable).");
    public static readonly ExposedMetric DiskSize = new("tend_host_disk_size_bytes", MetricType.Gauge, ["mount"], "Size of a filesystem that holds the state dir, a component's cwd or a path of [monitor] disks.");
    public static readonly ExposedMetric DiskFree = new("tend_host_disk_free_bytes", MetricType.Gauge, ["mount"], "Space left there for an unprivileged user.");
    public static readonly ExposedMetric DiskUsed = new("tend_host_disk_used_ratio", MetricType.Gauge, ["mount"], "Space used there as df shows it (used / (used + available)), 0 to 1.");
    public static readonly ExposedMetric GpuUsage = new("tend_host_gpu_utilization_ratio", MetricType.Gauge, ["gpu"], "A GPU's utilisation (nvidia-smi), 0 to 1; absent without nvidia-smi.");
    public static readonly ExposedMetric GpuMemoryUsed = new("tend_host_gpu_memory_used_bytes", MetricType.Gauge, ["gpu"], "A GPU's memory in use.");
    public static readonly ExposedMetric GpuMemoryTotal = new("tend_host_gpu_memory_total_bytes", MetricType.Gauge, ["gpu"], "A GPU's memory.");

    public static readonly ExposedMetric WorkflowRuns = new("tend_workflow_runs_total", MetricType.Counter, ["workflow", "outcome"], "Runs of a workflow that ended, among the run records kept under STATE/workflows, by outcome (succeeded, failed, stopped, interrupted); a resumption counts as a run of its own, so a run that failed and then succeeded on resume is one of each.");
    public static readonly ExposedMetric WorkflowRunning = new("tend_workflow_runs_running", MetricType.Gauge, ["workflow"], "Runs of a workflow running now (a resumption included).");
    public static readonly ExposedMetric WorkflowLastDuration = new("tend_workflow_last_run_duration_seconds", MetricType.Gauge, ["workflow"], "How long the workflow's last ended run took, start to end.");
    public static readonly ExposedMetric WorkflowLastRun = new("tend_workflow_last_run_timestamp_seconds", MetricType.Gauge, ["workflow"], "When the workflow's last ended run ended, in seconds since the Unix epoch.");
    public static readonly ExposedMetric WorkflowRunDuration = new("tend_workflow_run_duration_seconds", MetricType.Histogram, ["workflow"], "How long its ended runs (succeeded, failed, stopped) took, start to end, each resumption apart, over the run records kept: the p95 of monitor rules on workflow.completion_p95.");
    public static readonly ExposedMetric WorkflowTokens = new("tend_workflow_tokens_total", MetricType.Counter, ["workflow"], "Tokens its steps reported, over the run records kept.");
    public static readonly ExposedMetric WorkflowArtifacts = new("tend_workflow_artifacts_total", MetricType.Counter, ["workflow", "result"], "Artifact checks of its steps' emits (one per artifact per attempt that exited 0), by result (ok, failed).");

    public static readonly IReadOnlyList<ExposedMetric> All =
    [
        BuildInfo, DaemonStart, ScrapeDuration, Events, AlertsFiring,
        Up, State, Health, ProbeDuration, Restarts, StartTime, LastExitCode, Cpu, Memory, Processes, LogBytes, LogLines, LogDropped,
        Rounds, RoundDuration, RoundStart, RoundTimeout, ThrottledUntil,
        HostLoad, HostCpus, HostCpuUsage, HostMemoryTotal, HostMemoryAvailable, DiskSize, DiskFree, DiskUsed, GpuUsage, GpuMemoryUsed, GpuMemoryTotal,
        WorkflowRuns, WorkflowRunning, WorkflowLastDuration, WorkflowLastRun, WorkflowRunDuration, WorkflowTokens, WorkflowArtifacts,
    ];
}
