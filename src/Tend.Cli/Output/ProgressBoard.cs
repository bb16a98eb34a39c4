using Spectre.Console;

namespace Tend.Cli.Output;

/// <summary>
/// One line per component. On a terminal that takes escape sequences the lines are rewritten in
/// place, as docker compose does; notes (an external's diagnosis) go above them. Pipes, CI and
/// --no-color get one appended line per change, which a log keeps in order.
/// </summary>
internal sealed class ProgressBoard
{
    private readonly IAnsiConsole _console;
    private readonly int _nameWidth;
    private readonly List<string> _order = [];
    private readonly Dictionary<string, (string Mark, string Text)> _lines = new(StringComparer.Ordinal);
    private readonly bool _inPlace;
    private int _drawn;

    public ProgressBoard(IAnsiConsole console, int nameWidth, int components)
    {
        _console = console;
        _nameWidth = nameWidth;
        // A board taller than the screen cannot be reached by moving the cursor up: appended lines then.
        // Without colour (--no-color, NO_COLOR, a pipe) the console strips every escape sequence: lines are appended.
        _inPlace = console.Profile.Capabilities is { Ansi: true, ColorSystem: not ColorSystem.NoColors } && components < console.Profile.Height - 2;
    }

    public bool InPlace => _inPlace;

    /// <param name="mark">The verdict's mark, as markup.</param>
    /// <param name="text">What to say, plain.</param>
    public void Set(string name, string mark, string text)
    {
        if (!_inPlace)
        {
            _console.MarkupLine(Line(name, mark, text));
            return;
        }

        if (!_lines.ContainsKey(name))
        {
            _order.Add(name);
        }

        _lines[name] = (mark, text);
        Clear();
        Draw();
    }

    /// <summary>Writes something above the board; the board is drawn again under it.</summary>
    public void Note(Action write)
    {
        Clear();
        write();
        Draw();
    }

    private string Line(string name, string mark, string text)
    {
        // A wrapped line would take two rows and the next redraw would climb one too few.
        var room = _inPlace ? Math.Max(10, _console.Profile.Width - _nameWidth - 6) : int.MaxValue;
        var shown = text.Length > room ? $"{text[..(room - 1)]}…" : text;
        return $"  {mark} {Markup.Escape(name.PadRight(_nameWidth))}  {Markup.Escape(shown)}";
    }

    private void Clear()
    {
        if (_inPlace && _drawn > 0)
        {
            // Up to the board's first row, column 1, and erase from there down.
            _console.WriteAnsi($"\u001b[{_drawn}F\u001b[J");
        }

        _drawn = 0;
    }

    private void Draw()
    {
        if (!_inPlace)
        {
            return;
        }

        foreach (var name in _order)
        {
            var (mark, text) = _lines[name];
            _console.MarkupLine(Line(name, mark, text));
        }

        _drawn = _order.Count;
    }
}
