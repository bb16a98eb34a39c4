using System.Text;
using Spectre.Console;

namespace Tend.Cli.Output;

/// <summary>
/// Where tend writes: stdout for results, stderr for errors and progress. Colour only on a
/// terminal, never with --no-color, a non-empty NO_COLOR (no-color.org: an empty one does not
/// count) or TERM=dumb (a terminal that shows escape sequences as text: Emacs' shell, some CI
/// logs); without colour not one escape sequence is written. When piped, lines are never wrapped.
/// </summary>
internal sealed class Terminal
{
    public Terminal(bool noColor)
    {
        var colorAllowed = !noColor && string.IsNullOrEmpty(Environment.GetEnvironmentVariable("NO_COLOR"))
            && Environment.GetEnvironmentVariable("TERM") != "dumb";
        Out = Create(Console.Out, colorAllowed && !Console.IsOutputRedirected);
        Err = Create(Console.Error, colorAllowed && !Console.IsErrorRedirected);
        Color = colorAllowed && !Console.IsOutputRedirected;
    }

    public IAnsiConsole Out { get; }

    public IAnsiConsole Err { get; }

    public bool Color { get; }

    private static IAnsiConsole Create(TextWriter writer, bool color)
    {
        if (!color)
        {
            // Spectre's console without ANSI goes through System.Console's colour calls, which
            // write escape sequences to a terminal (and switch it to keypad mode): an ANSI console
            // without colours, whose few decorations (bold) are taken out here, writes none.
            var plain = AnsiConsole.Create(new AnsiConsoleSettings
            {
                Ansi = AnsiSupport.Yes,
                ColorSystem = ColorSystemSupport.NoColors,
                Out = new AnsiConsoleOutput(new EscapeFreeWriter(writer)),
                Interactive = InteractionSupport.No,
            });

            // Piped output is read by programs and people with wide windows: never wrap it. A size
            // given here also keeps Spectre from asking the terminal for its own, which is what
            // makes .NET switch it to keypad mode.
            plain.Profile.Width = 4096;
            plain.Profile.Height = 1000;
            return plain;
        }

        return AnsiConsole.Create(new AnsiConsoleSettings
        {
            Ansi = AnsiSupport.Detect,
            ColorSystem = ColorSystemSupport.Detect,
            Out = new AnsiConsoleOutput(writer),
            Interactive = InteractionSupport.No,
        });
    }

    /// <summary>Passes text through without its CSI sequences (ESC [ ... final byte).</summary>
    private sealed class EscapeFreeWriter(TextWriter inner) : TextWriter
    {
        private int _state; // 0 text, 1 after ESC, 2 inside a CSI sequence

        public override Encoding Encoding => inner.Encoding;

        public override void Write(char value)
        {
            switch (_state)
            {
                case 0 when value == '\u001b':
                    _state = 1;
                    break;
                case 0:
                    inner.Write(value);
                    break;
                case 1:
                    _state = value == '[' ? 2 : 0;
                    break;
                default:
                    // Parameters and intermediates are 0x20-0x3F; the final byte ends it.
                    if (value is >= '@' and <= '~')
                    {
                        _state = 0;
                    }

                    break;
            }
        }

        public override void Write(string? value)
        {
            if (value is null)
            {
                return;
            }

            if (_state == 0 && !value.Contains('\u001b', StringComparison.Ordinal))
            {
                inner.Write(value);
                return;
            }

            foreach (var c in value)
            {
                Write(c);
            }
        }

        public override void Flush() => inner.Flush();
    }
}
