namespace Tend.Daemon.Logs;

/// <summary>Where a log line came from; its tag is the one letter after the timestamp.</summary>
public enum LogStream
{
    /// <summary>A line that does not parse as a Tend log line (a damaged file, or not a log at all).</summary>
    Unknown,

    /// <summary>The child's stdout, tag <c>o</c>.</summary>
    Out,

    /// <summary>The child's stderr, tag <c>e</c>.</summary>
    Err,

    /// <summary>A line Tend wrote itself (markers, notes), tag <c>t</c>.</summary>
    Tend,
}

public static class LogStreamNames
{
    /// <summary>The stream's name in the control protocol and the HTTP API: <c>out</c>, <c>err</c>, <c>tend</c>, or <c>raw</c> for a line that does not parse.</summary>
    public static string Name(this LogStream stream) => stream switch
    {
        LogStream.Out => "out",
        LogStream.Err => "err",
        LogStream.Tend => "tend",
        _ => "raw",
    };
}
