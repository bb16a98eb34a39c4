namespace Tend.Core.Processes;

/// <summary>
/// The programs every start goes through, from util-linux. .NET's Process cannot call setsid()
/// or prctl(PR_SET_PDEATHSIG) between fork and exec, so the start execs them, and they exec the
/// program in place (its PID is the one Process reports): <c>setsid</c> gives it a session and
/// process group of its own, so a stop reaches all it spawned; <c>setpriv --pdeathsig TERM</c>
/// has the kernel signal it when tend dies. Without them a stop would miss grandchildren, so
/// their absence is a failure with a diagnosis, never a silent fallback.
/// </summary>
public sealed record LaunchTools(string? Setsid, string? Setpriv)
{
    private static readonly Lazy<LaunchTools> Found = new(() => new LaunchTools(ExecutableLookup.Find("setsid", "/"), ExecutableLookup.Find("setpriv", "/")));

    /// <summary>The tools on this machine, looked up once.</summary>
    public static LaunchTools OnThisMachine => Found.Value;

    /// <summary>What is missing for a start with (or without) the parent-death signal; null when nothing is.</summary>
    public LaunchFailure? Problem(bool dieWithParent)
    {
        var missing = new List<string>();
        if (Setsid is null)
        {
            missing.Add("setsid");
        }

        if (dieWithParent && Setpriv is null)
        {
            missing.Add("setpriv");
        }

        return missing.Count == 0 ? null : new LaunchFailure(
            "tools_missing",
            $"{string.Join(" and ", missing)} not found on PATH: tend starts every process through util-linux's setsid (its own process group) and setpriv (stopped if tend dies)",
            ExitStatus.CannotExecute);
    }

    /// <summary>The words in front of the program.</summary>
    public IReadOnlyList<string> Prefix(bool dieWithParent) =>
    [
        .. dieWithParent ? [Setpriv!, "--pdeathsig", "TERM", "--"] : Array.Empty<string>(),
        Setsid!,
        "--",
    ];
}
