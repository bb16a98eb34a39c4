using System.Diagnostics;

namespace Tend.Dummy.Commands;

/// <summary>
/// <c>stream-json SCENARIO</c>: an agent CLI run, as an agent supervisor sees it on stdout.
/// <c>ok</c>, <c>rate-limit EPOCH</c>, <c>rate-limit-no-reset</c>, <c>server-error</c>,
/// <c>auth</c>, <c>timeout</c> (API 408), <c>network</c> (ECONNRESET), <c>crash</c> (no result,
/// exit 1), <c>config-broken</c> (exit 78), <c>hang</c> (result, then never exits),
/// <c>silent-hang</c> (no result, never exits) and <c>background [--child-ms MS]</c> (result, then
/// waits for a child). <c>-p PROMPT</c> or <c>--stdin</c> take a prompt and echo its lines;
/// <c>--sentinel TEXT</c> writes the done sentinel into $TEND_LOG_DIR; <c>--secret S</c> prints a
/// line with an API key in it.
/// </summary>
internal static class StreamJsonCommand
{
    public static async Task<int> RunAsync(string[] words)
    {
        var args = Arguments.Parse(words, ["--child-ms", "-p", "--sentinel", "--secret"], ["--stdin"]);
        var scenario = args.Positional(0, "SCENARIO");
        // Bad arguments fail before the first line, as a CLI's usage error would.
        if (scenario is not ("ok" or "rate-limit" or "rate-limit-no-reset" or "server-error" or "auth" or "timeout" or "network" or "crash" or "config-broken" or "hang" or "silent-hang" or "background"))
        {
            throw new UsageException($"unknown scenario '{scenario}'");
        }

        var prompt = args.Flag("--stdin") ? await Console.In.ReadToEndAsync() : args.Option("-p");
        if (args.Option("--sentinel") is { } done)
        {
            var directory = Environment.GetEnvironmentVariable("TEND_LOG_DIR") ?? throw new UsageException("--sentinel needs TEND_LOG_DIR");
            await File.WriteAllTextAsync(Path.Combine(directory, Environment.GetEnvironmentVariable("TEND_SENTINEL") ?? ".tend-done"), done);
        }

        var resetsAt = scenario == "rate-limit" ? args.Number(1, "EPOCH") : 0;
        var childMilliseconds = args.Number("--child-ms", 600_000);
        using var stdout = Console.OpenStandardOutput();
        var lines = new StreamJsonLines(stdout);
        lines.System();
        if (prompt is not null)
        {
            lines.Assistant($"round {Environment.GetEnvironmentVariable("TEND_ROUND")} phase '{Environment.GetEnvironmentVariable("TEND_PHASE")}' got the prompt: {prompt.ReplaceLineEndings(" | ")}");
        }

        if (args.Option("--secret") is { } secret)
        {
            Console.Error.WriteLine($"fatal: request failed with Authorization: Bearer {secret}");
        }

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
            case "rate-limit-no-reset":
                lines.Assistant("API Error: 429 rate limited", error: "rate_limit");
                lines.Result("API Error: 429 rate limited", apiErrorStatus: 429);
                return 1;
            case "timeout":
                lines.Assistant("API Error: 408 request timed out", error: "timeout");
                lines.Result("API Error: 408 request timed out", apiErrorStatus: 408);
                return 1;
            case "network":
                Console.Error.WriteLine("Error: read ECONNRESET");
                return 1;
            case "crash":
                Console.Error.WriteLine("TypeError: Cannot read properties of undefined (reading 'x')");
                return 1;
            case "config-broken":
                Console.Error.WriteLine("startup check failed: prompt file is empty");
                return 78;
            case "silent-hang":
                await Pause.Forever();
                return 0;
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
