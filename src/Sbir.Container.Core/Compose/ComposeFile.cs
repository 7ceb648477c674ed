using System.Text.Json;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Text;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Compose;

/// <summary>
/// One compose file as compose reads it: YAML with merge keys and aliases applied, every scalar
/// interpolated, as JSON, with the YAML node (and so the line) behind every value, and the raw
/// (uninterpolated) text still at hand for the checks that care how a value was written.
/// </summary>
public sealed class ComposeFile : IDisposable
{
    private ComposeFile(string path, YamlJsonDocument? document, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<(VariableReference Reference, YamlScalarNode Node)> references)
    {
        Path = path;
        Document = document;
        Diagnostics = diagnostics;
        References = references;
    }

    /// <summary>The file.</summary>
    public string Path { get; }

    /// <summary>The interpolated document, or null when the file could not be read.</summary>
    public YamlJsonDocument? Document { get; }

    /// <summary>Problems found while reading and interpolating.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>Every variable reference in the file, with the scalar it is in.</summary>
    public IReadOnlyList<(VariableReference Reference, YamlScalarNode Node)> References { get; }

    /// <summary>The services object, or default when absent.</summary>
    public JsonElement Services => Document is not null && Document.Root.ValueKind == JsonValueKind.Object && Document.Root.TryGetProperty("services", out var s) && s.ValueKind == JsonValueKind.Object ? s : default;

    /// <summary>The span of the value at <paramref name="pointer"/> (or of its key when <paramref name="key"/>).</summary>
    public SourceSpan SpanOf(string pointer, bool key = false)
    {
        if (Document is null)
        {
            return SourceSpan.None;
        }

        if (key && Document.Nodes.TryGetValue(pointer + "#key", out var keyNode))
        {
            return YamlNodes.SpanOf(keyNode);
        }

        return Document.NodeAt(pointer) is { } node ? YamlNodes.SpanOf(node) : SourceSpan.None;
    }

    /// <summary>The raw text of the scalar at <paramref name="pointer"/> before interpolation, or null.</summary>
    public string? RawAt(string pointer)
        => Document is not null && Document.Nodes.TryGetValue(pointer, out var node) && node is YamlScalarNode s ? s.Value : null;

    /// <summary>
    /// Reads and interpolates <paramref name="path"/>. <paramref name="lookup"/> gives variable values
    /// (the host environment first, then .env, as compose does); a required variable that is missing
    /// is reported with <paramref name="missingSeverity"/>.
    /// </summary>
    public static ComposeFile Load(string path, Func<string, string?> lookup, DiagnosticSeverity missingSeverity)
    {
        var diagnostics = new List<Diagnostic>();
        var content = IO.SafeFile.Read(path);
        if (!content.Succeeded)
        {
            var why = content.Error ?? DiagnosticCatalog.ComposeUnreadable.Create(path, SourceSpan.None, "it does not exist");
            return new ComposeFile(path, null, [why], []);
        }

        string text = content.Text;

        if (text.Contains('\0'))
        {
            return new ComposeFile(path, null, [DiagnosticCatalog.ComposeUnreadable.Create(path, SourceSpan.None, "it contains NUL bytes; it is not a text file")], []);
        }

        var (stream, error) = YamlLoader.Load(text, path, DiagnosticCatalog.ComposeUnreadable);
        if (stream is null)
        {
            return new ComposeFile(path, null, [error!], []);
        }

        if (stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlMappingNode root)
        {
            var span = stream.Documents.Count == 0 ? SourceSpan.None : YamlNodes.SpanOf(stream.Documents[0].RootNode);
            return new ComposeFile(path, null, [DiagnosticCatalog.ComposeUnreadable.Create(path, span, "the top level must be a mapping with services:")], []);
        }

        var references = new List<(VariableReference, YamlScalarNode)>();
        var seen = new HashSet<YamlScalarNode>(ReferenceEqualityComparer.Instance);
        string Interpolate(string pointer, YamlScalarNode node, string value)
        {
            if (!value.Contains('$'))
            {
                return value;
            }

            if (seen.Add(node))
            {
                references.AddRange(Interpolation.References(value).Select(r => (r, node)));
            }

            string result = Interpolation.Substitute(value, lookup, out var failure);
            if (failure is not null)
            {
                var severity = failure.Variable is null ? DiagnosticSeverity.Error : missingSeverity;
                // Never the value itself: a literal secret with a stray '${' would be printed.
                string message = failure.Variable is null ? $"invalid interpolation: {failure.Message}" : failure.Message;
                var d = DiagnosticCatalog.ComposeInterpolationFailed.Create(path, YamlNodes.SpanOf(node), message).WithSeverity(severity);
                if (!diagnostics.Any(x => x.Span == d.Span && x.Message == d.Message))
                {
                    diagnostics.Add(d);
                }
            }

            return result;
        }

        var document = YamlJson.Convert(root, Interpolate);
        if (document.Truncated)
        {
            diagnostics.Add(DiagnosticCatalog.ComposeUnreadable.Create(path, SourceSpan.None, $"expanding its anchors and aliases gives more than {YamlJson.NodeBudget} values (an alias bomb?)"));
        }

        return new ComposeFile(path, document, diagnostics, references);
    }

    /// <inheritdoc />
    public void Dispose() => Document?.Dispose();
}
