using Tend.Cli;
using Tend.Cli.Output;

StandardStreams.Install();
try
{
    return await TendApp.RunAsync(args);
}
catch (Exception e)
{
    // Any exception here is a bug in tend: say so in one paragraph, and give the trace only when asked.
    await Console.Error.WriteLineAsync($"tend: internal error: {e.GetType().Name}: {e.Message}");
    if (Environment.GetEnvironmentVariable("TEND_DEBUG") == "1")
    {
        await Console.Error.WriteLineAsync(e.ToString());
    }
    else
    {
        await Console.Error.WriteLineAsync("This is a bug in tend. Run again with TEND_DEBUG=1 for the stack trace, and please report it.");
    }

    return ExitCodes.Internal;
}
