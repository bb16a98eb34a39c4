using System.Globalization;
using System.Text;
using Tend.Core.Config.Toml;
using Tend.Core.Model;
using Tend.Daemon;
using Tend.Daemon.Logs;

namespace Tend.Cli.Diag;

/// <summary>The stack's files (stack file, env files, config files) and the logs: each component's current and previous run, and the daemon's own.</summary>
internal static class FileSources
{
    public static void AddConfig(BundleDraft draft, StackFile stack)
    {
        var paths = new List<string> { stack.Path, Path.Combine(stack.Directory, ".env") };
        paths.AddRange(StackEnvFiles(stack));
        foreach (var component in stack.Components)
        {
            paths.AddRange(component.EnvFiles);
            if (component.Config is { } config)
            {
                paths.Add(Path.GetFullPath(config.Path, stack.Directory));
            }
        }

        foreach (var path in paths.Distinct(StringComparer.Ordinal))
        {
            AddFile(draft, $"config/{InsideName(stack, path)}", path, mentionMissing: path != Path.Combine(stack.Directory, ".env"));
        }
    }

    public static async Task AddLogsAsync(BundleDraft draft, StackFile stack, DaemonPaths paths, CancellationToken cancellationToken)
    {
        foreach (var component in stack.Components.Where(c => c.Kind != ComponentKind.External))
        {
            var logs = new ComponentLogs(paths.ComponentLogs(component.Name));
            var runs = Directory.Exists(logs.Directory) ? await logs.RunsAsync(cancellationToken) : [];
            if (runs.Count == 0)
            {
                draft.LeaveOut($"logs/{component.Name}: it has not run yet");
                continue;
            }

            // The current run and the one before it: what failed, and what it was replaced by.
            foreach (var run in runs.TakeLast(2))
            {
                var tail = await logs.TailAsync(DiagRequest.LogLines, run.Run, cancellationToken);
                var text = new StringBuilder();
                foreach (var line in tail.Lines)
                {
                    text.Append(line.ToString()).Append('\n');
                }

                draft.Add(string.Create(CultureInfo.InvariantCulture, $"logs/{component.Name}/run-{run.Run}.log"), text.ToString());
            }
        }

        var daemonLog = Tail(paths.DaemonLog, DiagRequest.LogLines);
        if (daemonLog is null)
        {
            draft.LeaveOut("daemon.log: none (the daemon never ran here)");
        }
        else
        {
            draft.Add("daemon.log", daemonLog);
        }
    }

    /// <summary><c>[stack] env_file</c>: not kept in the loaded stack (its values are, in the interpolation), so read from the file's own table.</summary>
    private static IEnumerable<string> StackEnvFiles(StackFile stack)
    {
        string text;
        try
        {
            text = File.ReadAllText(stack.Path);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return [];
        }

        var root = TomlTreeBuilder.ParseLeniently(text, stack.Path);
        if (!root.TryGet("stack", out var entry) || entry.Value is not TomlTableNode table || !table.TryGet("env_file", out var envFile))
        {
            return [];
        }

        var names = envFile.Value switch
        {
            TomlStringNode s => [s.Value],
            TomlArrayNode a => a.Items.OfType<TomlStringNode>().Select(s => s.Value).ToList(),
            _ => [],
        };
        return names.Select(n => Path.GetFullPath(n, stack.Directory));
    }

    /// <summary>A path inside the archive: relative to the stack's directory, or under <c>abs/</c>, never with <c>..</c>.</summary>
    private static string InsideName(StackFile stack, string path)
    {
        var relative = Path.GetRelativePath(stack.Directory, path);
        return relative.StartsWith("..", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? "abs/" + path.TrimStart('/') : relative;
    }

    private static void AddFile(BundleDraft draft, string name, string path, bool mentionMissing)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
            var buffer = new byte[Math.Min(stream.Length, DiagRequest.MaxFileBytes)];
            stream.ReadExactly(buffer);
            var text = Encoding.UTF8.GetString(buffer);
            draft.Add(name, stream.Length > buffer.Length ? $"{text}\n[cut: the file has {stream.Length} bytes; the bundle holds the first {buffer.Length}]\n" : text);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            if (mentionMissing)
            {
                draft.LeaveOut($"{name}: not found ({path})");
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            draft.LeaveOut($"{name}: cannot be read: {e.Message}");
        }
    }

    private static string? Tail(string path, int lines)
    {
        try
        {
            var queue = new Queue<string>(lines);
            foreach (var line in File.ReadLines(path))
            {
                if (queue.Count == lines)
                {
                    queue.Dequeue();
                }

                queue.Enqueue(line);
            }

            return string.Join('\n', queue) + "\n";
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }
    }
}
