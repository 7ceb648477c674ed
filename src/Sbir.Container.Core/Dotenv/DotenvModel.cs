using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dotenv;

/// <summary>How a value was written.</summary>
public enum DotenvQuote
{
    /// <summary>Unquoted: read to the end of the line, ' #' starts a comment, variables expand.</summary>
    None,

    /// <summary>'single': literal, no escapes but \', no expansion.</summary>
    Single,

    /// <summary>"double": escapes (\n, \t, \\, \", \$) and expansion; may span lines.</summary>
    Double,
}

/// <summary>One KEY=value statement of a .env file.</summary>
/// <param name="Key">The variable name.</param>
/// <param name="Value">The value as compose would use it (escapes and interpolation applied); for a bare KEY, the host's value or null.</param>
/// <param name="RawValue">The value as written, quotes removed, nothing expanded.</param>
/// <param name="Quote">How the value was quoted.</param>
/// <param name="Inherited">True for a bare <c>KEY</c> line, which takes the value from the host environment.</param>
/// <param name="Exported">True when the line starts with <c>export</c>.</param>
/// <param name="KeySpan">Where the name is.</param>
/// <param name="ValueSpan">Where the value is (quotes included), or the key's span for a bare KEY.</param>
public sealed record DotenvEntry(string Key, string? Value, string RawValue, DotenvQuote Quote, bool Inherited, bool Exported, SourceSpan KeySpan, SourceSpan ValueSpan)
{
    /// <summary>The line of the statement.</summary>
    public int Line => KeySpan.Line;
}

/// <summary>A parsed .env file: every statement in order (duplicates kept), and what was wrong.</summary>
public sealed class DotenvDocument
{
    internal DotenvDocument(string? path, IReadOnlyList<DotenvEntry> entries, IReadOnlyList<Diagnostic> diagnostics)
    {
        Path = path;
        Entries = entries;
        Diagnostics = diagnostics;
    }

    /// <summary>The file, for diagnostics.</summary>
    public string? Path { get; }

    /// <summary>Statements in file order, duplicates included.</summary>
    public IReadOnlyList<DotenvEntry> Entries { get; }

    /// <summary>Problems found while reading.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The values compose would use: the last statement of each key wins; unresolved bare keys are absent.</summary>
    public IReadOnlyDictionary<string, string> Values
    {
        get
        {
            var values = new Dictionary<string, string>(StringComparer.Ordinal);
            foreach (var entry in Entries)
            {
                if (entry.Value is not null)
                {
                    values[entry.Key] = entry.Value;
                }
                else if (entry.Inherited)
                {
                    values.Remove(entry.Key);
                }
            }

            return values;
        }
    }

    /// <summary>The last statement for <paramref name="key"/>, or null.</summary>
    public DotenvEntry? Last(string key) => Entries.LastOrDefault(e => e.Key == key);
}
