using System.Diagnostics;

namespace Tend.Core.Alembic;

/// <summary>
/// A project's Python path (sys.path of its interpreter), where alembic finds a
/// <c>package:dir</c> script location: the interpreter the check names, else the virtualenv
/// beside the configuration (<c>.venv</c>, <c>venv</c>). Empty when there is none or it does not
/// answer within the time given: the places projects keep their packages are tried anyway.
/// </summary>
public static class PythonPath
{
    private static readonly string[] Virtualenvs = [".venv", "venv"];

    public static async Task<IReadOnlyList<string>> AskAsync(string? python, string configDirectory, TimeSpan timeout, CancellationToken cancellationToken)
    {
        var interpreter = python ?? Virtualenvs.Select(v => Path.Combine(configDirectory, v, "bin", "python")).FirstOrDefault(File.Exists);
        if (interpreter is null)
        {
            return [];
        }

        var info = new ProcessStartInfo(interpreter, ["-c", "import sys; print('\\n'.join(p for p in sys.path if p))"])
        {
            WorkingDirectory = configDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var limit = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        limit.CancelAfter(timeout);
        try
        {
            using var process = Process.Start(info);
            if (process is null)
            {
                return [];
            }

            var output = await process.StandardOutput.ReadToEndAsync(limit.Token);
            await process.WaitForExitAsync(limit.Token);
            return process.ExitCode == 0 ? [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)] : [];
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or OperationCanceledException or IOException)
        {
            return [];
        }
    }
}
