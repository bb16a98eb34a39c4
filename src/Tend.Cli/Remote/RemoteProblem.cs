namespace Tend.Cli.Remote;

/// <summary>Why a host could not be reached or did not answer, with what to do.</summary>
/// <param name="SshExit">ssh's exit code when it ended; 255 is ssh's own failure (no link), as opposed to the remote command's.</param>
/// <param name="Usage">The user asked for something that cannot be (exit 2), not a failure of the link (exit 1).</param>
internal sealed record RemoteProblem(string Message, string? Hint, int? SshExit = null, bool Usage = false)
{
    /// <summary>The link itself failed (ssh could not connect, or lost the connection): worth trying again.</summary>
    public bool IsLinkDown => SshExit == 255;

    public override string ToString() => Hint is null ? Message : $"{Message} ({Hint})";
}
