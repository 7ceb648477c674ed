using Sbir.Container.Diagnostics;

namespace Sbir.Container.Text;

/// <summary>
/// Maps character offsets of a text to 1-based lines and columns and back: the one line index of the SDK, shared by
/// the readers (.env, the secret scanner) and every rule that reports a position.
/// </summary>
public sealed class LineMap
{
    private readonly string _text;
    private readonly int[] _lineStarts;

    /// <summary>Indexes the line starts of <paramref name="text"/>.</summary>
    public LineMap(string text)
    {
        _text = text;
        var starts = new List<int> { 0 };
        for (int i = text.IndexOf('\n'); i >= 0; i = text.IndexOf('\n', i + 1))
        {
            starts.Add(i + 1);
        }

        _lineStarts = [.. starts];
    }

    /// <summary>Number of lines.</summary>
    public int LineCount => _lineStarts.Length;

    /// <summary>The 1-based line and column of <paramref name="offset"/>.</summary>
    public (int Line, int Column) Position(int offset)
    {
        int line = LineOf(offset);
        return (line, offset - _lineStarts[line - 1] + 1);
    }

    /// <summary>The 1-based line of <paramref name="offset"/>.</summary>
    public int LineOf(int offset)
    {
        int index = Array.BinarySearch(_lineStarts, offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        return Math.Clamp(index, 0, _lineStarts.Length - 1) + 1;
    }

    /// <summary>[start, end) of a 1-based line, without its line break (\n or \r\n).</summary>
    public (int Start, int End) LineBounds(int line)
    {
        int start = _lineStarts[line - 1];
        int end = line < _lineStarts.Length ? _lineStarts[line] - 1 : _text.Length;
        if (end > start && _text[end - 1] == '\r')
        {
            end--;
        }

        return (start, Math.Max(start, end));
    }

    /// <summary>The offset of a 1-based line and column, or -1 when the line does not exist.</summary>
    public int Offset(int line, int column)
        => line >= 1 && line <= _lineStarts.Length ? Math.Min(_text.Length, _lineStarts[line - 1] + Math.Max(1, column) - 1) : -1;

    /// <summary>The span from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public SourceSpan Span(int start, int end)
    {
        var (line, column) = Position(start);
        var (endLine, endColumn) = Position(Math.Max(start, end - 1));
        return new SourceSpan(line, column, endLine, endColumn);
    }
}
