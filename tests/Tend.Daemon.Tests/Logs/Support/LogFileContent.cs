using Tend.Daemon.Logs;

namespace Tend.Daemon.Tests.Logs.Support;

/// <summary>What a test reads back from a component's log directory.</summary>
internal static class LogFileContent
{
    /// <summary>The run files of a directory, oldest first (by run, then part), as the reader orders them.</summary>
    public static IReadOnlyList<RunLogFile> Files(string directory) => LogFiles.List(directory);

    /// <summary>Every line of every file, in order, parsed.</summary>
    public static List<LogLine> Lines(string directory) =>
        Files(directory).SelectMany(f => RawLines(f.Path)).Select(l => LogLine.Parse(l)).ToList();

    /// <summary>The lines of one file as bytes, without newlines; the file must end with one.</summary>
    public static List<byte[]> RawLines(string path)
    {
        var bytes = File.ReadAllBytes(path);
        var lines = new List<byte[]>();
        if (bytes.Length == 0)
        {
            return lines;
        }

        bytes[^1].ShouldBe((byte)'\n', $"{path} ends inside a line");
        var start = 0;
        for (var i = 0; i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                lines.Add(bytes[start..i]);
                start = i + 1;
            }
        }

        return lines;
    }

    /// <summary>The file current.log points at, as a full path.</summary>
    public static string? Current(string directory)
    {
        var target = new FileInfo(Path.Combine(directory, "current.log")).LinkTarget;
        return target is null ? null : Path.GetFullPath(target, directory);
    }
}
