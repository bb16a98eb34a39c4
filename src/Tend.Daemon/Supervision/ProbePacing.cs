namespace Tend.Daemon.Supervision;

/// <summary>
/// How soon a probe that failed runs again before its first pass (readiness, and externals that
/// are down). A server that is not listening yet (refused, closed mid-handshake, starting up) is
/// probed fast, so what waits for it starts the moment it is up: a refused TCP connect costs
/// microseconds. A server that answered "no" (a refused login, a missing database, an HTTP
/// error, a timeout) will not change its mind in 10 ms: it is probed at most four times a second,
/// slowing to once a second. A refused login or certificate is probed once a second at first,
/// slowing to once a minute (or its interval, if longer): repeating a failed login 20 times a
/// second gets a host banned by fail2ban.
/// </summary>
public static class ProbePacing
{
    public static readonly TimeSpan Start = TimeSpan.FromMilliseconds(2);
    public static readonly TimeSpan FastCap = TimeSpan.FromMilliseconds(10);
    public static readonly TimeSpan FastFor = TimeSpan.FromSeconds(10);
    public static readonly TimeSpan SlowCap = TimeSpan.FromMilliseconds(100);
    public static readonly TimeSpan PatientAfter = TimeSpan.FromSeconds(60);
    public static readonly TimeSpan PatientCap = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan AnsweredNoFloor = TimeSpan.FromMilliseconds(250);

    public static readonly TimeSpan AnsweredNoCap = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RefusalFloor = TimeSpan.FromSeconds(1);
    public static readonly TimeSpan RefusalCap = TimeSpan.FromSeconds(60);

    /// <summary>Error classes of a login or certificate the server refused: fail2ban counts these.</summary>
    private static readonly HashSet<string> Refusals = ["auth_failed", "permission", "tls"];

    /// <summary>Error classes of a server that is not there yet, as opposed to one that answered and refused.</summary>
    private static readonly HashSet<string> NotUpYet = ["refused", "closed", "starting"];

    /// <param name="previous">The delay before the probe that just failed.</param>
    /// <param name="errorClass">Its error class.</param>
    /// <param name="failingFor">How long the probe has been failing (since the run started, or the external went down).</param>
    /// <param name="interval">The probe's configured interval: the slowest it goes.</param>
    public static TimeSpan AfterFailure(TimeSpan previous, string? errorClass, TimeSpan failingFor, TimeSpan interval)
    {
        if (errorClass is not null && NotUpYet.Contains(errorClass))
        {
            var cap = failingFor < FastFor ? FastCap : failingFor < PatientAfter ? SlowCap : Min(interval, PatientCap);
            return Min(previous * 2, cap);
        }

        if (errorClass is not null && Refusals.Contains(errorClass))
        {
            // A credential will not fix itself: each attempt is a failed login in the server's log.
            return Min(Max(previous * 2, RefusalFloor), Max(interval, RefusalCap));
        }

        return Min(Max(previous * 2, AnsweredNoFloor), AnsweredNoCap);
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private static TimeSpan Max(TimeSpan a, TimeSpan b) => a > b ? a : b;
}
