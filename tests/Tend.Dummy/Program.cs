using System.Net.Sockets;
using Tend.Dummy;
using Tend.Dummy.Commands;

if (args.Length == 0)
{
    return Usage.Fail("no command given");
}

var command = args[0];
var rest = args.AsSpan(1).ToArray();
try
{
    return command switch
    {
        "--help" or "-h" or "help" => Usage.Show(),
        "echo" => EchoCommand.Run(rest, Console.Out),
        "echo-stderr" => EchoCommand.Run(rest, Console.Error),
        "exit" => ExitCommand.Run(rest),
        "sleep" => await SleepCommand.RunAsync(rest),
        "eat" => await EatCommand.RunAsync(rest),
        "env" => EnvironmentCommands.Env(rest),
        "cwd" => EnvironmentCommands.Cwd(),
        "lines" => await LinesCommand.RunAsync(rest),
        "flood" => FloodCommand.Run(rest),
        "http" => await HttpCommand.RunAsync(rest),
        "listen" => await ListenCommand.RunAsync(rest),
        "close-on-accept" => await CloseOnAcceptCommand.RunAsync(rest),
        "ignore-term" => await IgnoreTermCommand.RunAsync(rest),
        "spawn-children" => await SpawnChildrenCommand.RunAsync(rest),
        "fork-bomb" => await ForkBombCommand.RunAsync(rest),
        "wait-signal" => await WaitSignalCommand.RunAsync(),
        "crash-after" => await CrashAfterCommand.RunAsync(rest),
        "stdin-echo" => await StdinEchoCommand.RunAsync(),
        "stream-json" => await StreamJsonCommand.RunAsync(rest),
        _ => Usage.Fail($"unknown command '{command}'"),
    };
}
catch (UsageException e)
{
    return Usage.Fail($"{command}: {e.Message}");
}
catch (SocketException e)
{
    // A port already in use is an expected outcome for a test, not a crash with a stack trace.
    Console.Error.WriteLine($"Tend.Dummy: {command}: {e.Message}");
    return 1;
}
