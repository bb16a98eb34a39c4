namespace Tend.Cli.Diag;

/// <summary>
/// The files of a bundle as gathered, before redaction: only <see cref="BundleWriter"/> reads
/// them, and it redacts every name and every text before a byte reaches the archive.
/// </summary>
internal sealed class BundleDraft
{
    private readonly List<(string Name, string Text)> _files = [];
    private readonly List<string> _leftOut = [];

    public IReadOnlyList<(string Name, string Text)> Files => _files;

    /// <summary>What the bundle does not hold, and why (asked with --no-logs, not found, too big): said in the manifest.</summary>
    public IReadOnlyList<string> LeftOut => _leftOut;

    public void Add(string name, string text) => _files.Add((name, text));

    public void LeaveOut(string why) => _leftOut.Add(why);
}
