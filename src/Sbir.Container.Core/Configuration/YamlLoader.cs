using Sbir.Container.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Configuration;

/// <summary>
/// Loads YAML into YamlDotNet's representation model without ever throwing: syntax errors, the
/// scanner's internal errors on garbage, and duplicate keys all come back as one diagnostic with the
/// position the parser had reached. Aliases are kept as shared nodes (never expanded), so an alias
/// bomb costs nothing to load; walkers must not expand them either.
/// </summary>
public static class YamlLoader
{
    /// <summary>Loads <paramref name="text"/>; on failure returns null and a diagnostic of kind <paramref name="unreadable"/> (whose message has one placeholder).</summary>
    public static (YamlStream? Stream, Diagnostic? Error) Load(string text, string? path, DiagnosticDescriptor unreadable)
    {
        var parser = new Parser(new StringReader(text));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
            return (stream, null);
        }
        catch (YamlException ex)
        {
            return (null, unreadable.Create(path, YamlNodes.SpanOf(ex.Start, ex.End), Describe(ex)));
        }
        catch (Exception ex) when (ex is InvalidOperationException or ArgumentException or FormatException or OverflowException or InvalidCastException)
        {
            var at = parser.Current?.Start ?? Mark.Empty;
            string what = ex is ArgumentException && ex.Message.Contains("same key", StringComparison.Ordinal)
                ? "a mapping has the same key twice (" + ex.Message[(ex.Message.LastIndexOf(':') + 1)..].Trim() + ")"
                : "the text cannot be read as YAML near this position";
            return (null, unreadable.Create(path, YamlNodes.SpanOf(at, at), what));
        }
    }

    private static string Describe(YamlException ex)
    {
        string message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (...): "; the position is already in the span.
        int cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
