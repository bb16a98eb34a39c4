namespace Tend.Cli;

/// <summary>Exit codes, the same for every command.</summary>
internal static class ExitCodes
{
    public const int Ok = 0;

    /// <summary>A check or an action failed.</summary>
    public const int Failed = 1;

    /// <summary>Bad usage or a bad stack file: nothing was done.</summary>
    public const int Usage = 2;

    /// <summary>Interrupted by Ctrl+C while watching (128 + SIGINT, as shells report it).</summary>
    public const int Interrupted = 130;

    /// <summary>A bug in tend itself (EX_SOFTWARE).</summary>
    public const int Internal = 70;
}
