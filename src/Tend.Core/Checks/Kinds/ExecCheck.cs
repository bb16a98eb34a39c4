using System.Text.RegularExpressions;
using Tend.Core.Model;
using Tend.Core.Processes;
using Tend.Core.Text;

namespace Tend.Core.Checks.Kinds;

/// <summary>Any command exits with the expected code and, optionally, prints something that matches.</summary>
public sealed record ExecCheck(ValueList<string> Argv, int ExpectedExitCode, Pattern? Output, string? WorkingDirectory, ValueDictionary Environment) : CheckSpec
{
    public static readonly CheckKind Definition = new(
        "exec",
        "a command exits as expected",
        TimeSpan.FromSeconds(30),
        CheckValueForms.String | CheckValueForms.StringList,
        [CheckOption.Integer("exit_code", 0, 255), CheckOption.Pattern("output"), CheckOption.String("cwd"), CheckOption.StringMap("env")],
        Create);

    public override string Kind => "exec";

    public override string Target => string.Join(' ', Argv);

    public override IEnumerable<string> Secrets(Func<string, string?> environment) =>
        base.Secrets(environment).Concat(Environment.Where(e => Events.SecretRule.LooksSecretName(e.Key) || Events.SecretRule.LooksLikeCredential(e.Value)).Select(e => e.Value));

    private static ExecCheck? Create(CheckArguments arguments)
    {
        ValueList<string> argv = arguments.Value is string single ? [single] : (ValueList<string>)arguments.Value;
        if (argv.Count == 0)
        {
            arguments.Error($"{arguments.What} must not be empty");
            return null;
        }

        return new ExecCheck(argv, (int)(arguments.Integer("exit_code") ?? 0), arguments.Pattern("output"), arguments.String("cwd"), arguments.StringMap("env") ?? ValueDictionary.Empty);
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var cwd = WorkingDirectory is null ? context.BaseDirectory : context.Resolve(WorkingDirectory);
        var program = ExecutableLookup.Find(Argv[0], cwd, context.Environment);
        if (program is null)
        {
            return CheckOutcome.Fail("not_found", $"{Argv[0]} not found", $"{Argv[0]} is neither a file under {cwd} nor on PATH").WithData(("program", Argv[0]));
        }

        var run = await CapturedRun.RunAsync([program, .. Argv.Skip(1)], cwd, Environment, Timeout, context.Time, cancellationToken);
        var tail = Tail(run.Output);
        // The command as a next step prints it: quoted, so that `grep -q 'REPLACE: your question' file` works when typed.
        var typed = string.Join(' ', Argv.Select(Text.ShellWords.Quote));
        var data = new (string, string?)[] { ("program", Argv[0]), ("command", typed), ("exit_code", run.ExitCode.ToString(System.Globalization.CultureInfo.InvariantCulture)) };
        if (run.TimedOut)
        {
            return CheckOutcome.Fail("timeout", $"`{typed}` did not finish within {Text.Quantities.FormatDuration(Timeout)}", tail).WithData(data);
        }

        if (run.StartFailure is { } failure)
        {
            return CheckOutcome.Fail("start_failed", $"cannot start {Argv[0]}: {failure.Message}") with { ExitCode = run.ExitCode };
        }

        if (run.ExitCode != ExpectedExitCode)
        {
            return (CheckOutcome.Fail("exit_code", $"`{typed}` exited with {run.ExitCode} (expected {ExpectedExitCode})", tail) with { ExitCode = run.ExitCode }).WithData(data);
        }

        if (Output is not null && !Output.IsMatch(run.Output))
        {
            return (CheckOutcome.Fail("output_mismatch", $"`{typed}` output does not match /{Output}/", tail) with { ExitCode = run.ExitCode }).WithData(data);
        }

        return (CheckOutcome.Pass($"`{typed}` exited with {run.ExitCode}") with { ExitCode = run.ExitCode }).WithData(data);
    }

    private static string Tail(string output)
    {
        var lines = output.TrimEnd().Split('\n');
        var last = lines.Length <= 5 ? lines : lines[^5..];
        return last.Length == 0 || (last.Length == 1 && last[0].Length == 0) ? "(no output)" : "output: " + string.Join(" ⏎ ", last);
    }
}
