using System.Diagnostics;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>stream-json SCENARIO</c>: an agent CLI run, as an agent supervisor sees it on stdout.
/// <c>ok</c>, <c>rate-limit EPOCH</c>, <c>server-error</c>, <c>auth</c>, <c>hang</c> (result,
/// then never exits) and <c>background [--child-ms MS]</c> (result, then waits for a child that
/// keeps stdout open).
/// </summary>
internal static class StreamJsonCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--child-ms"], []);
        var scenario = args.Positional(0, "SCENARIO");
        // Bad arguments fail before the first line, as a CLI's usage error would.
        if (scenario is not ("ok" or "rate-limit" or "server-error" or "auth" or "hang" or "background"))
        {
            throw new UsageException($"unknown scenario '{scenario}'");
        }

        var resetsAt = scenario == "rate-limit" ? args.Number(1, "EPOCH") : 0;
        var childMilliseconds = args.Number("--child-ms", 600_000);
        using var stdout = Console.OpenStandardOutput();
        var lines = new StreamJsonLines(stdout);
        lines.System();
        switch (scenario)
        {
            case "ok":
                lines.Assistant("Done: the task is complete.");
                lines.Result("Done: the task is complete.");
                return 0;
            case "rate-limit":
                lines.RateLimit(resetsAt);
                lines.Assistant($"Claude AI usage limit reached|{resetsAt}", error: "rate_limit");
                lines.Result($"Claude AI usage limit reached|{resetsAt}", apiErrorStatus: 429);
                return 1;
            case "server-error":
                const string serverError = """API Error: 500 {"type":"error","error":{"type":"api_error","message":"Internal server error"}}""";
                lines.Assistant(serverError, error: "server_error");
                lines.Result(serverError, apiErrorStatus: 500);
                return 1;
            case "auth":
                const string authError = """API Error: 401 {"type":"error","error":{"type":"authentication_error","message":"invalid x-api-key"}} · Please run /login""";
                lines.Assistant(authError, error: "authentication_failed");
                lines.Result(authError, apiErrorStatus: 401);
                return 1;
            case "hang":
                lines.Assistant("Done, but the process will not exit.");
                lines.Result("Done, but the process will not exit.");
                await Pause.Forever();
                return 0;
            case "background":
                lines.Assistant("Started a background build.");
                lines.Result("Started a background build.");
                using (var child = Self.Start(["sleep", childMilliseconds.ToString()]))
                {
                    Console.Error.WriteLine($"background child {child.Id}");
                    await child.WaitForExitAsync();
                }

                return 0;
            default:
                throw new UnreachableException(scenario);
        }
    }
}
