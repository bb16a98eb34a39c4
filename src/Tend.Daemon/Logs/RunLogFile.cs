namespace Tend.Daemon.Logs;

/// <summary>One file of a run's log: part 1 is <c>run-NNNNNN.log</c>, part K is <c>run-NNNNNN.K.log</c>.</summary>
public sealed record RunLogFile(string Path, int Run, int Part, long Bytes)
{
    public string Name => System.IO.Path.GetFileName(Path);
}
