using System.Text.RegularExpressions;
using Tend.Core.Model;
using Tend.Core.Processes;

namespace Tend.Core.Checks.Kinds;

/// <summary>A program is on PATH and, when asked, at least a given version.</summary>
public sealed partial record CommandCheck(string Program, Version? MinVersion, ValueList<string> VersionArgs) : CheckSpec
{
    public static readonly CheckKind Definition = new("command", "a program is installed (and recent enough)", TimeSpan.FromSeconds(5), CheckValueForms.String, [CheckOption.String("min_version"), CheckOption.StringOrList("version_args")], Create);

    public override string Kind => "command";

    public override string Target => MinVersion is null ? Program : $"{Program} ≥ {MinVersion}";

    private static CommandCheck? Create(CheckArguments arguments)
    {
        var minText = arguments.String("min_version");
        Version? min = null;
        if (minText is not null && !TryParseVersion(minText, out min))
        {
            arguments.ErrorAt("min_version", $"{arguments.Describe("min_version")} must be a version such as \"20.10\", not \"{minText}\"");
            return null;
        }

        return new CommandCheck((string)arguments.Value, min, arguments.StringList("version_args") ?? ["--version"]);
    }

    public override async Task<CheckOutcome> RunAsync(CheckContext context, CancellationToken cancellationToken = default)
    {
        var path = ExecutableLookup.Find(Program, context.BaseDirectory, context.Environment);
        if (path is null)
        {
            return CheckOutcome.Fail("not_on_path", $"{Program} is not installed", $"{Program} was not found on PATH ({context.Environment("PATH")})").WithData(("program", Program));
        }

        if (MinVersion is null)
        {
            return CheckOutcome.Pass($"{Program} is {path}", $"found {path}").WithData(("program", Program), ("path", path));
        }

        var run = await CapturedRun.RunAsync([path, .. VersionArgs], context.BaseDirectory, null, Timeout, context.Time, cancellationToken);
        if (run.TimedOut || !TryParseVersion(run.Output, out var version))
        {
            return CheckOutcome.Warn("version_unknown", $"cannot tell the version of {Program}", $"`{Program} {string.Join(' ', VersionArgs)}` printed: {run.Output.Trim().Split('\n')[0]}").WithData(("program", Program), ("path", path));
        }

        var data = new (string, string?)[] { ("program", Program), ("path", path), ("version", version!.ToString()), ("min_version", MinVersion.ToString()) };
        return version < MinVersion
            ? CheckOutcome.Fail("version_too_old", $"{Program} {version} is older than {MinVersion}", $"{path} is version {version}; {MinVersion} or newer is needed").WithData(data)
            : CheckOutcome.Pass($"{Program} {version}", $"{path} is version {version}").WithData(data);
    }

    /// <summary>The first dotted number in the text: "Docker version 24.0.7, build" → 24.0.7.</summary>
    internal static bool TryParseVersion(string text, out Version? version)
    {
        version = null;
        var match = VersionPattern().Match(text);
        return match.Success && Version.TryParse(match.Value.Contains('.', StringComparison.Ordinal) ? match.Value : match.Value + ".0", out version);
    }

    [GeneratedRegex(@"\d+(\.\d+){0,3}")]
    private static partial Regex VersionPattern();
}
