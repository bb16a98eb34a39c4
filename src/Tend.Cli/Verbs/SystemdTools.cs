using Tend.Core.Operations.Systemd;
using Tend.Core.Processes;
using Tend.Core.Text;

namespace Tend.Cli.Verbs;

/// <summary>systemctl and loginctl as tend install and uninstall run them, and the same commands in words for the user to type.</summary>
internal sealed class SystemdTools(UnitMode mode, TimeProvider time)
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(90);

    /// <summary><c>systemctl [--user] WORDS...</c> as typed.</summary>
    public string Typed(params string[] words) => $"{mode.Systemctl()} {string.Join(' ', words.Select(ShellWords.Quote))}";

    /// <summary>Runs systemctl; the failure in words (its output) when it did not exit 0.</summary>
    public async Task<string?> SystemctlAsync(string[] words, CancellationToken cancellationToken)
    {
        string[] argv = mode == UnitMode.User ? ["systemctl", "--user", .. words] : ["systemctl", .. words];
        var run = await CapturedRun.RunAsync(argv, "/", null, Timeout, time, cancellationToken);
        return run.Succeeded ? null
            : run.StartFailure is { } failure ? $"`{Typed(words)}` could not start: {failure.Message}"
            : $"`{Typed(words)}` failed (exit {run.ExitCode}): {run.Output.Trim()}";
    }

    /// <summary>
    /// Whether <paramref name="user"/>'s manager outlives their last login (<c>loginctl show-user
    /// USER --property=Linger</c>): true, false, or null with why it could not be told.
    /// </summary>
    public async Task<(bool? Linger, string? Problem)> LingerAsync(string user, CancellationToken cancellationToken)
    {
        var run = await CapturedRun.RunAsync(["loginctl", "show-user", user, "--property=Linger"], "/", null, Timeout, time, cancellationToken);
        if (!run.Succeeded)
        {
            return (null, run.StartFailure is { } failure ? failure.Message : run.Output.Trim().ReplaceLineEndings(" "));
        }

        var line = run.Output.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith("Linger=", StringComparison.Ordinal));
        return line switch
        {
            "Linger=yes" => (true, null),
            "Linger=no" => (false, null),
            _ => (null, $"loginctl said: {run.Output.Trim()}"),
        };
    }
}
