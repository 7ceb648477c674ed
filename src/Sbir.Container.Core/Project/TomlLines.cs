using System.Text.RegularExpressions;

namespace Sbir.Container.Project;

/// <summary>One <c>key = "value"</c> line of a TOML file, with the table it is in and its line number.</summary>
/// <param name="Table">The table header above it (<c>tool.poetry</c>), or empty before the first header.</param>
/// <param name="Key">The bare key.</param>
/// <param name="Value">The string value without its quotes.</param>
/// <param name="Line">The 1-based line number.</param>
public readonly record struct TomlEntry(string Table, string Key, string Value, int Line);

/// <summary>
/// The one TOML reader of the SDK: enough for pyproject.toml and poetry.lock (table headers, string
/// values on one line, comments), not a TOML parser. Anything else (arrays, inline tables, multi-line
/// strings) is skipped, never misread as an entry.
/// </summary>
public static partial class TomlLines
{
    /// <summary>The string entries of <paramref name="lines"/>, in order.</summary>
    public static IEnumerable<TomlEntry> Entries(IEnumerable<string> lines)
    {
        string table = string.Empty;
        int number = 0;
        foreach (string raw in lines)
        {
            number++;
            string line = raw.Trim();
            Match header = TablePattern().Match(line);
            if (header.Success)
            {
                table = header.Groups["name"].Value.Trim();
                continue;
            }

            Match kv = KeyValuePattern().Match(line);
            if (kv.Success)
            {
                yield return new TomlEntry(table, kv.Groups["key"].Value, kv.Groups["value"].Value, number);
            }
        }
    }

    /// <summary>
    /// The entries of the file at <paramref name="path"/>; none when it does not exist or is no readable regular file
    /// (read through <see cref="IO.SafeFile"/>: a FIFO or a device is never opened for a blocking read).
    /// </summary>
    public static IEnumerable<TomlEntry> Read(string path) => Entries(Lines(path));

    /// <summary>The lines of the file at <paramref name="path"/> (without line ends); none when it cannot be read safely.</summary>
    public static IReadOnlyList<string> Lines(string path)
    {
        var content = IO.SafeFile.Read(path);
        return content.Succeeded ? content.Text.Split('\n').Select(l => l.TrimEnd('\r')).ToArray() : [];
    }

    [GeneratedRegex(@"^\[(?<name>[^\[\]]+)\]\s*(#.*)?$")]
    private static partial Regex TablePattern();

    [GeneratedRegex(@"^(?<key>[A-Za-z0-9_-]+)\s*=\s*[""'](?<value>[^""']*)[""']\s*(#.*)?$")]
    private static partial Regex KeyValuePattern();
}
