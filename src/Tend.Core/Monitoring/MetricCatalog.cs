namespace Tend.Core.Monitoring;

/// <summary>What a metric describes, and so which subjects a rule on it fires for.</summary>
public enum MetricSubject
{
    /// <summary>One component's current run: a rule on it fires per component.</summary>
    Component,

    /// <summary>The host: one alert for the stack.</summary>
    Host,

    /// <summary>A filesystem Tend or a component writes to (the state dir's, each cwd's): one alert per filesystem.</summary>
    Disk,

    /// <summary>A check the rule runs itself (<c>check = { http = "..." }</c>): one alert for the rule.</summary>
    Check,

    /// <summary>A workflow's KPIs over its run records in a window: one alert per workflow.</summary>
    Workflow,
}

/// <summary>The unit a threshold is written in: <c>"2GB"</c> for bytes, <c>"5m"</c> for seconds.</summary>
public enum MetricUnit
{
    Count,
    Percent,
    Bytes,
    Seconds,
    Ratio,
}

public sealed record MetricInfo(string Name, MetricSubject Subject, MetricUnit Unit, string Description);

/// <summary>
/// Every metric a monitor rule can compare, with its subject and unit. The daemon's sampler
/// produces exactly these (docs/monitor.md is generated from this list).
/// </summary>
public static class MetricCatalog
{
    public const string CpuPercent = "cpu_percent";
    public const string MemoryBytes = "memory_bytes";
    public const string Processes = "processes";
    public const string OutputLines = "output_lines";
    public const string OutputBytes = "output_bytes";
    public const string OutputIdle = "output_idle";
    public const string UnhealthyFor = "unhealthy_for";
    public const string ThrottledFor = "throttled_for";
    public const string RoundOverrun = "round_overrun";
    public const string Events = "events";
    public const string WorkflowSuccessPercent = "workflow.success_percent";
    public const string WorkflowCompletionP95 = "workflow.completion_p95";
    public const string WorkflowArtifactSuccessPercent = "workflow.artifact_success_percent";
    public const string WorkflowRuns = "workflow.runs";

    /// <summary>The runs a workflow metric reads when its condition gives no <c>window</c>: those of the last 7 days, as `tend workflow stats`.</summary>
    public static readonly TimeSpan WorkflowWindow = TimeSpan.FromDays(7);
    public const string HostLoad = "host.load1";
    public const string HostCpuPercent = "host.cpu_percent";
    public const string HostMemoryAvailable = "host.memory_available_bytes";
    public const string HostMemoryUsedPercent = "host.memory_used_percent";
    public const string HostGpuPercent = "host.gpu_percent";
    public const string HostGpuMemoryUsedPercent = "host.gpu_memory_used_percent";
    public const string DiskUsedPercent = "disk_used_percent";
    public const string DiskFreeBytes = "disk_free_bytes";
    public const string CheckFailingFor = "check_failing_for";

    public static readonly IReadOnlyList<MetricInfo> All =
    [
        new(CpuPercent, MetricSubject.Component, MetricUnit.Percent, "CPU of the run's processes over the last interval, in % of one core (200 = two cores busy)"),
        new(MemoryBytes, MetricSubject.Component, MetricUnit.Bytes, "resident memory of the run's processes added up (its process group and cgroup)"),
        new(Processes, MetricSubject.Component, MetricUnit.Count, "how many processes the run has"),
        new(OutputLines, MetricSubject.Component, MetricUnit.Count, "output lines (stdout and stderr) captured in the last interval"),
        new(OutputBytes, MetricSubject.Component, MetricUnit.Bytes, "output bytes captured in the last interval"),
        new(OutputIdle, MetricSubject.Component, MetricUnit.Seconds, "time since the run's last output line (since it started, before the first); absent while it does not run"),
        new(UnhealthyFor, MetricSubject.Component, MetricUnit.Seconds, "how long its health probe has been failing (0 while it passes); absent without a probe or a run"),
        new(ThrottledFor, MetricSubject.Component, MetricUnit.Seconds, "rounds: how long the rounds have been paused for a transient failure (0 when not); absent for other kinds"),
        new(RoundOverrun, MetricSubject.Component, MetricUnit.Ratio, "rounds: the running round's age over its `rounds.timeout` (1.5 = half again its limit); absent between rounds"),
        new(Events, MetricSubject.Component, MetricUnit.Count, "how many of the component's events of a kind (with given field values) fall in a window, or among the last N of that kind: see `events = {...}`"),
        new(HostLoad, MetricSubject.Host, MetricUnit.Count, "the host's 1-minute load average"),
        new(HostCpuPercent, MetricSubject.Host, MetricUnit.Percent, "the host's CPU use over the last interval, in % of all its cores"),
        new(HostMemoryAvailable, MetricSubject.Host, MetricUnit.Bytes, "memory available for new work (MemAvailable)"),
        new(HostMemoryUsedPercent, MetricSubject.Host, MetricUnit.Percent, "memory in use: 100 × (1 − MemAvailable / MemTotal)"),
        new(HostGpuPercent, MetricSubject.Host, MetricUnit.Percent, "the busiest GPU's utilisation (from nvidia-smi); absent without one"),
        new(HostGpuMemoryUsedPercent, MetricSubject.Host, MetricUnit.Percent, "the fullest GPU's memory in use (from nvidia-smi); absent without one"),
        new(DiskUsedPercent, MetricSubject.Disk, MetricUnit.Percent, "space used on a filesystem that holds the state dir or a component's cwd, as df shows it"),
        new(DiskFreeBytes, MetricSubject.Disk, MetricUnit.Bytes, "space left there for an unprivileged user"),
        new(WorkflowSuccessPercent, MetricSubject.Workflow, MetricUnit.Percent, "succeeded runs among the ended ones (succeeded, failed, stopped) that started in the condition's `window` (default 7d), as `tend workflow stats` counts them; absent without an ended run"),
        new(WorkflowCompletionP95, MetricSubject.Workflow, MetricUnit.Seconds, "the 95th percentile (nearest rank) of those ended runs' durations, start to end; absent without an ended run"),
        new(WorkflowArtifactSuccessPercent, MetricSubject.Workflow, MetricUnit.Percent, "artifact checks of its steps' `emits` that passed, over those runs (retries included); absent without a checked artifact"),
        new(WorkflowRuns, MetricSubject.Workflow, MetricUnit.Count, "how many of its runs that started in the `window` ended (succeeded, failed or stopped): an `also` that keeps one unlucky run from firing a rate rule"),
        new(CheckFailingFor, MetricSubject.Check, MetricUnit.Seconds, "how long the rule's own `check` (any pre-flight check kind, run every interval) has been failing (0 while it passes); absent before its first result"),
    ];

    private static readonly Dictionary<string, MetricInfo> ByName = All.ToDictionary(m => m.Name, StringComparer.Ordinal);

    public static MetricInfo? Find(string name) => ByName.GetValueOrDefault(name);

    public static IEnumerable<string> Names => ByName.Keys;
}
