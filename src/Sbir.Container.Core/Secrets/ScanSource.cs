namespace Sbir.Container.Secrets;

/// <summary>
/// Text a rule reads, with the place in the file of each of its characters. The file itself maps one to one; a value
/// the core's parsers decoded (a YAML scalar with its quotes, escapes, folding and indentation removed; a word of a
/// Dockerfile instruction whose continuation lines were joined) maps character by character where that is known, and
/// to the span of the whole value where it is not. Rules read values as the consuming tool reads them, and findings
/// still point at the exact characters in the file.
/// </summary>
internal sealed class ScanSource
{
    private readonly int[]? _offsets;
    private readonly int _base;

    private ScanSource(string text, int[]? offsets, int baseOffset, int fallbackStart, int fallbackEnd)
    {
        Text = text;
        _offsets = offsets;
        _base = baseOffset;
        FallbackStart = fallbackStart;
        FallbackEnd = Math.Max(fallbackStart, fallbackEnd);
    }

    /// <summary>The text the rules read.</summary>
    public string Text { get; }

    /// <summary>Where the whole value is in the file: the span of any part that has no exact place.</summary>
    public int FallbackStart { get; }

    /// <summary>The end of <see cref="FallbackStart"/>'s span.</summary>
    public int FallbackEnd { get; }

    /// <summary>The file itself.</summary>
    public static ScanSource File(string text) => new(text, null, 0, 0, text.Length);

    /// <summary>A value written in the file exactly as it is read, starting at <paramref name="offset"/>.</summary>
    public static ScanSource At(string text, int offset) => new(text, null, offset, offset, offset + text.Length);

    /// <summary>A value whose character i is at <paramref name="offsets"/>[i] in the file (-1: not known).</summary>
    public static ScanSource Mapped(string text, int[] offsets, int fallbackStart, int fallbackEnd) => new(text, offsets, 0, fallbackStart, fallbackEnd);

    /// <summary>A value whose parts have no exact place: every finding in it covers [<paramref name="start"/>, <paramref name="end"/>).</summary>
    public static ScanSource Whole(string text, int start, int end) => new(text, Enumerable.Repeat(-1, text.Length).ToArray(), 0, start, end);

    /// <summary>[<paramref name="start"/>, <paramref name="end"/>) of this source as a source of its own, mapped through to the file.</summary>
    public ScanSource Slice(int start, int end)
    {
        start = Math.Clamp(start, 0, Text.Length);
        end = Math.Clamp(end, start, Text.Length);
        var (fallbackStart, fallbackEnd) = FileSpan(start, end);
        if (_offsets is null)
        {
            return new ScanSource(Text[start..end], null, _base + start, fallbackStart, fallbackEnd);
        }

        return new ScanSource(Text[start..end], _offsets[start..end], 0, fallbackStart, fallbackEnd);
    }

    /// <summary>The file offset of character <paramref name="index"/>, or -1.</summary>
    public int FileOffset(int index)
    {
        if (index < 0 || index >= Text.Length)
        {
            return -1;
        }

        return _offsets is null ? _base + index : _offsets[index];
    }

    /// <summary>[start, end) of the file that holds [<paramref name="start"/>, <paramref name="end"/>) of <see cref="Text"/>; the whole value's span when that is not known.</summary>
    public (int Start, int End) FileSpan(int start, int end)
    {
        int first = FileOffset(start);
        int last = FileOffset(Math.Max(start, end - 1));
        return first >= 0 && last >= first ? (first, last + 1) : (FallbackStart, FallbackEnd);
    }
}
