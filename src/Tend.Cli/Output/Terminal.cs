using Spectre.Console;

namespace Tend.Cli.Output;

/// <summary>
/// Where tend writes: stdout for results, stderr for errors and progress. Colour only on a
/// terminal and never with NO_COLOR or --no-color; when piped, lines are never wrapped.
/// </summary>
internal sealed class Terminal
{
    public Terminal(bool noColor)
    {
        var colorAllowed = !noColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"));
        Out = Create(Console.Out, colorAllowed && !Console.IsOutputRedirected);
        Err = Create(Console.Error, colorAllowed && !Console.IsErrorRedirected);
        Color = colorAllowed && !Console.IsOutputRedirected;
    }

    public IAnsiConsole Out { get; }

    public IAnsiConsole Err { get; }

    public bool Color { get; }

    private static IAnsiConsole Create(TextWriter writer, bool color)
    {
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = color ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = color ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
        if (!color)
        {
            // Piped output is read by programs and people with wide windows: never wrap it.
            console.Profile.Width = 4096;
        }

        return console;
    }
}
