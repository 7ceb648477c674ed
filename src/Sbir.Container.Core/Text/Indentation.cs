namespace Sbir.Container.Text;

/// <summary>How a block of output (a health check's, a log's, a command's) is shown inside a diagnostic.</summary>
public static class Indentation
{
    /// <summary>
    /// <paramref name="text"/> on lines of its own, indented under the message, each cut at 500 characters
    /// (enough for a JSON log line with its code field, such as the entrypoints' SBC531x lines); " (none)"
    /// when there is nothing to show.
    /// </summary>
    public static string Block(string text)
        => string.IsNullOrWhiteSpace(text) ? " (none)" : "\n    " + string.Join("\n    ", text.Replace("\r", string.Empty).Split('\n').Select(l => l.Length > 500 ? l[..500] + "…" : l));
}
