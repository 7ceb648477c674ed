using Sbir.Container.Diagnostics;

namespace Sbir.Container.Text;

/// <summary>Maps character offsets of a text to 1-based lines and columns.</summary>
public sealed class LineMap
{
    private readonly List<int> _lineStarts = [0];

    /// <summary>Indexes the line starts of <paramref name="text"/>.</summary>
    public LineMap(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] == '\n')
            {
                _lineStarts.Add(i + 1);
            }
        }
    }

    /// <summary>Number of lines.</summary>
    public int LineCount => _lineStarts.Count;

    /// <summary>The 1-based line and column of <paramref name="offset"/>.</summary>
    public (int Line, int Column) Position(int offset)
    {
        int index = _lineStarts.BinarySearch(offset);
        if (index < 0)
        {
            index = ~index - 1;
        }

        index = Math.Clamp(index, 0, _lineStarts.Count - 1);
        return (index + 1, offset - _lineStarts[index] + 1);
    }

    /// <summary>The span from <paramref name="start"/> (inclusive) to <paramref name="end"/> (exclusive).</summary>
    public SourceSpan Span(int start, int end)
    {
        var (line, column) = Position(start);
        var (endLine, endColumn) = Position(Math.Max(start, end - 1));
        return new SourceSpan(line, column, endLine, endColumn);
    }
}
