using System.Diagnostics;
using System.Text;

namespace Tend.Core.Processes;

/// <summary>The result of running a short command to completion with its output captured.</summary>
public sealed record CapturedRun(int ExitCode, string Output, bool TimedOut, bool NotFound, string? StartError)
{
    public bool Succeeded => !TimedOut && !NotFound && StartError is null && ExitCode == 0;

    /// <summary>Keeps only the last lines; checks never need more than a screenful.</summary>
    public const int OutputLimit = 64 * 1024;

    /// <summary>
    /// Runs <paramref name="argv"/> without a shell, stdin closed, stdout and stderr merged.
    /// On timeout or cancellation the whole process tree is killed.
    /// </summary>
    public static async Task<CapturedRun> RunAsync(
        IReadOnlyList<string> argv,
        string workingDirectory,
        IReadOnlyDictionary<string, string>? environment,
        TimeSpan timeout,
        TimeProvider time,
        CancellationToken cancellationToken = default)
    {
        var info = new ProcessStartInfo(argv[0])
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in argv.Skip(1))
        {
            info.ArgumentList.Add(arg);
        }

        if (environment is not null)
        {
            foreach (var (key, value) in environment)
            {
                info.Environment[key] = value;
            }
        }

        using var process = new Process { StartInfo = info };
        var output = new BoundedText(OutputLimit);
        process.OutputDataReceived += (_, e) => output.AppendLine(e.Data);
        process.ErrorDataReceived += (_, e) => output.AppendLine(e.Data);
        try
        {
            process.Start();
        }
        catch (System.ComponentModel.Win32Exception e)
        {
            var notFound = e.NativeErrorCode == 2;
            return new CapturedRun(notFound ? 127 : 126, "", TimedOut: false, NotFound: notFound, StartError: e.Message);
        }

        process.StandardInput.Close();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(deadline.Token, cancellationToken);
        try
        {
            await process.WaitForExitAsync(linked.Token);
        }
        catch (OperationCanceledException)
        {
            process.Kill(entireProcessTree: true);
            await process.WaitForExitAsync(CancellationToken.None);
            cancellationToken.ThrowIfCancellationRequested();
            return new CapturedRun(-1, output.ToString(), TimedOut: true, NotFound: false, StartError: null);
        }

        return new CapturedRun(process.ExitCode, output.ToString(), TimedOut: false, NotFound: false, StartError: null);
    }

    /// <summary>Collects text, dropping the oldest part beyond a limit. Thread-safe: both pipes write here.</summary>
    private sealed class BoundedText(int limit)
    {
        private readonly StringBuilder _text = new();
        private readonly Lock _gate = new();

        public void AppendLine(string? line)
        {
            if (line is null)
            {
                return;
            }

            lock (_gate)
            {
                _text.Append(line).Append('\n');
                if (_text.Length > limit)
                {
                    _text.Remove(0, _text.Length - limit);
                }
            }
        }

        public override string ToString()
        {
            lock (_gate)
            {
                return _text.ToString();
            }
        }
    }
}
