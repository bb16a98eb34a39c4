using System.CommandLine;
using Tend.Cli.Remote;

namespace Tend.Cli.Verbs;

/// <summary>
/// <c>tend api --stdio [--allow-control]</c>: the daemon's control protocol on stdin and stdout,
/// for an ssh forced command; what `tend --host` talks to (docs/remote.md).
/// </summary>
internal static class ApiVerb
{
    public static Command Create(GlobalOptions options)
    {
        var stdio = new Option<bool>("--stdio") { Description = "Speak the control protocol on stdin and stdout (one JSON object a line) until stdin ends" };
        var allowControl = new Option<bool>("--allow-control") { Description = "Also carry out changes (start, stop, restart, up, down...); without it they are refused" };
        var command = new Command("api", "The control protocol over stdin/stdout, as an ssh forced command for tend --host (docs/remote.md)") { stdio, allowControl };
        command.SetAction((parse, token) => RunAsync(new CliContext(parse, options), parse.GetValue(stdio), parse.GetValue(allowControl), token));
        return command;
    }

    private static async Task<int> RunAsync(CliContext cli, bool stdio, bool allowControl, CancellationToken cancellationToken)
    {
        if (!stdio)
        {
            return cli.UsageError("tend api speaks only over stdin and stdout for now", "tend api --stdio (docs/remote.md)");
        }

        if (cli.LoadStackForControl() is not { } stack)
        {
            return ExitCodes.Usage;
        }

        await using var input = Console.OpenStandardInput();
        await using var output = Console.OpenStandardOutput();
        using var session = new ApiSession(stack, allowControl, input, output, cli.Time);
        await session.RunAsync(cancellationToken);
        return ExitCodes.Ok;
    }
}
