namespace Sbir.Container.Diagnostics;

/// <summary>
/// A place in a text file: 1-based line and column of the start and of the end (inclusive).
/// Every parser carries spans to the log so that each diagnostic is clickable in an IDE and
/// annotated in GitHub Actions. <see cref="None"/> means "the whole file".
/// </summary>
public readonly record struct SourceSpan(int Line, int Column, int EndLine, int EndColumn)
{
    /// <summary>No position: the diagnostic is about the file as a whole.</summary>
    public static readonly SourceSpan None = new(0, 0, 0, 0);

    /// <summary>True when the span names a line.</summary>
    public bool HasPosition => Line > 0;

    /// <summary>A span on one line, from <paramref name="column"/> for <paramref name="length"/> characters.</summary>
    public static SourceSpan OnLine(int line, int column = 1, int length = 0)
        => new(line, Math.Max(1, column), line, Math.Max(1, column) + Math.Max(0, length - 1));

    /// <summary>A span covering whole lines.</summary>
    public static SourceSpan Lines(int line, int endLine) => new(line, 1, Math.Max(line, endLine), 0);

    /// <inheritdoc />
    public override string ToString() => HasPosition ? $"({Line},{Column})" : string.Empty;
}
