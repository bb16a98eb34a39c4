using System.Diagnostics;
using System.Text.Json;
using Tend.Core.Processes;
using Tend.Core.Tests.Support;

namespace Tend.Cli.Tests.Support;

/// <summary>What a run of the tend binary printed and returned.</summary>
public sealed record TendResult(int ExitCode, string Stdout, string Stderr)
{
    public JsonElement Json => JsonDocument.Parse(Stdout).RootElement;

    public override string ToString() => $"exit {ExitCode}\n--- stdout ---\n{Stdout}\n--- stderr ---\n{Stderr}";
}

/// <summary>Runs the built tend binary: the native one from TEND_BIN when set, else the debug build.</summary>
public static class TendBinary
{
    public static string Binary { get; } = Find();

    public static Task<TendResult> RunAsync(string workingDirectory, params string[] args) => RunAsync(workingDirectory, null, args);

    public static async Task<TendResult> RunAsync(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        using var process = Start(workingDirectory, environment, args);
        var stdout = process.StandardOutput.ReadToEndAsync(TestContext.Current.CancellationToken);
        var stderr = process.StandardError.ReadToEndAsync(TestContext.Current.CancellationToken);
        await process.WaitForExitAsync(TestContext.Current.CancellationToken);
        return new TendResult(process.ExitCode, await stdout, await stderr);
    }

    public static Process Start(string workingDirectory, IReadOnlyDictionary<string, string?>? environment, params string[] args)
    {
        var info = new ProcessStartInfo(Binary)
        {
            WorkingDirectory = workingDirectory,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            RedirectStandardInput = true,
            UseShellExecute = false,
        };
        foreach (var arg in args)
        {
            info.ArgumentList.Add(arg);
        }

        info.Environment.Remove("NO_COLOR");
        foreach (var (key, value) in environment ?? new Dictionary<string, string?>())
        {
            if (value is null)
            {
                info.Environment.Remove(key);
            }
            else
            {
                info.Environment[key] = value;
            }
        }

        var process = Process.Start(info)!;
        process.StandardInput.Close();
        return process;
    }

    private static string Find()
    {
        var fromEnvironment = Environment.GetEnvironmentVariable("TEND_BIN");
        if (!string.IsNullOrEmpty(fromEnvironment))
        {
            return fromEnvironment;
        }

        foreach (var configuration in (string[])["debug_linux-x64", "debug", "release_linux-x64", "release"])
        {
            var candidate = Path.Combine(RepoPaths.Root, "artifacts", "bin", "Tend.Cli", configuration, "tend");
            if (File.Exists(candidate))
            {
                return candidate;
            }
        }

        throw new InvalidOperationException("the tend binary is not built: run `dotnet build` or set TEND_BIN");
    }
}
