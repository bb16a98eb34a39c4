using Tend.Core.Doctor;

namespace Tend.Daemon.Control.Protocol;

// The questions only `tend api --stdio` answers (a daemon says "no such verb"): they read what
// lies on the host beside the daemon (its log directories) or run the host's own checks, which a
// client on another host cannot do for it.

/// <summary>
/// The stack's diagnosis, as `tend doctor` (and `tend why` without a component) makes it on the
/// host: its checks and probes run there. Read-only: it looks, it changes nothing.
/// </summary>
public sealed record DoctorRequest : ControlRequest;

/// <summary>The log directories of components (empty: every component that runs), and with <paramref name="Runs"/> the runs on disk of each.</summary>
public sealed record LogFilesRequest(IReadOnlyList<string> Components, bool Runs) : ControlRequest;

/// <param name="StateDirectory">The stack's state directory on the host, absolute.</param>
/// <param name="Components">In the stack file's order.</param>
public sealed record LogFilesResult(string Stack, string StateDirectory, IReadOnlyList<ComponentLogFiles> Components);

/// <param name="Directory">Where its logs are on the host, absolute.</param>
/// <param name="Ran">Its log directory exists: it has run under tend.</param>
/// <param name="Runs">Its runs on disk, oldest first; empty unless asked for.</param>
public sealed record ComponentLogFiles(string Name, string Directory, bool Ran, IReadOnlyList<LogRunReply> Runs);

/// <summary>One run's files, as `tend logs COMP --runs` lists them.</summary>
public sealed record LogRunReply(int Run, long Bytes, int Files, DateTimeOffset? FirstTime, DateTimeOffset? LastTime, bool Current);

/// <summary>The answer to <see cref="DoctorRequest"/>: the report in the shape of `tend doctor --json` (docs/json.md).</summary>
public sealed record DoctorResult(DoctorReportJson Report);
