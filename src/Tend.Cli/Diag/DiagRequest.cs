namespace Tend.Cli.Diag;

/// <summary>What `tend diag` was asked for.</summary>
/// <param name="Output">The archive's path; null for tend-diag-STACK-YYYYMMDD-HHMMSS.tar.gz here.</param>
/// <param name="Since">How far back events and monitor samples go.</param>
internal sealed record DiagRequest(string? Output, bool NoLogs, bool NoConfig, TimeSpan Since)
{
    /// <summary>24 hours: a support engineer wants last night's crash too, and a day of events and samples is a few MB before gzip.</summary>
    public static readonly TimeSpan DefaultSince = TimeSpan.FromHours(24);

    /// <summary>Lines of each log tail: the current and the previous run of every component, and the daemon's log.</summary>
    public const int LogLines = 1000;

    /// <summary>A file bigger than this (a config file, an env file) goes in cut to its first part, as said in it.</summary>
    public const int MaxFileBytes = 1024 * 1024;

    /// <summary>How long the pre-flight checks, or the health probes, may take together before the bundle goes on without them.</summary>
    public static readonly TimeSpan CheckTimeout = TimeSpan.FromSeconds(60);
}
