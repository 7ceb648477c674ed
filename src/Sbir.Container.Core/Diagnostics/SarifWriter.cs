using System.Text.Json;

namespace Sbir.Container.Diagnostics;

/// <summary>
/// Writes diagnostics as SARIF 2.1.0 (the format GitHub code scanning reads): one run of the tool
/// "Sbir.Container.Sdk", a rule per code used, results with paths relative to the project and exact
/// regions. Messages are written as given, so callers pass them through the secret masker first.
/// </summary>
public static class SarifWriter
{
    /// <summary>The SARIF schema URI.</summary>
    public const string Schema = "https://json.schemastore.org/sarif-2.1.0.json";

    /// <summary>Writes <paramref name="diagnostics"/> to <paramref name="path"/>; file paths are made relative to <paramref name="baseDirectory"/>.</summary>
    /// <returns>Null when written; SBC0053 naming the path and the cause when the path is a folder, a device or a FIFO
    /// (never written to: a FIFO would block, a device is not a report), the disk is full or the folder is not writable.
    /// These are the user's environment, not bugs of the SDK. A file left half-written by a full disk is removed.</returns>
    public static Diagnostic? Write(string path, IEnumerable<Diagnostic> diagnostics, string baseDirectory, string toolVersion)
    {
        string full = Path.GetFullPath(path);
        var kind = IO.SafeFile.KindOf(full);
        if (kind is not (IO.FileKind.Missing or IO.FileKind.Regular or IO.FileKind.Unreadable))
        {
            string what = kind switch
            {
                IO.FileKind.Directory => "it is a folder",
                IO.FileKind.Pipe => "it is a FIFO or socket",
                _ => "it is a device",
            };
            return DiagnosticCatalog.OutputNotWritten.Create(null, SourceSpan.None, full, what, "SbirContainerSarifOutput");
        }

        bool created = false;
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(full)!);
            using var stream = File.Create(full);
            created = true;
            Write(stream, diagnostics, baseDirectory, toolVersion);
            return null;
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or NotSupportedException)
        {
            if (created)
            {
                TryDelete(full);
            }

            return DiagnosticCatalog.OutputNotWritten.Create(null, SourceSpan.None, full, ex.Message.TrimEnd('.'), "SbirContainerSarifOutput");
        }
    }

    private static void TryDelete(string path)
    {
        try
        {
            File.Delete(path);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The cause reported is what matters; a truncated file that cannot be removed stays for the user to see.
        }
    }

    /// <summary>Writes SARIF to <paramref name="stream"/>.</summary>
    public static void Write(Stream stream, IEnumerable<Diagnostic> diagnostics, string baseDirectory, string toolVersion)
    {
        var list = diagnostics.Where(d => d.Severity != DiagnosticSeverity.Off).ToList();
        var rules = list.Select(d => d.Descriptor).Distinct().OrderBy(d => d.Code, StringComparer.Ordinal).ToList();
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("$schema", Schema);
        writer.WriteString("version", "2.1.0");
        writer.WriteStartArray("runs");
        writer.WriteStartObject();

        writer.WriteStartObject("tool");
        writer.WriteStartObject("driver");
        writer.WriteString("name", "Sbir.Container.Sdk");
        writer.WriteString("version", toolVersion);
        writer.WriteString("informationUri", "https://github.com/sbir-container/sbir-container-sdk/blob/main/docs/reference/diagnostics.md");
        writer.WriteStartArray("rules");
        foreach (var rule in rules)
        {
            writer.WriteStartObject();
            writer.WriteString("id", rule.Code);
            writer.WriteString("name", Pascal(rule.Title));
            writer.WriteStartObject("shortDescription");
            writer.WriteString("text", rule.Title + (rule.HelpId is null ? string.Empty : $" ({rule.HelpId})"));
            writer.WriteEndObject();
            writer.WriteStartObject("help");
            writer.WriteString("text", rule.FixFormat);
            writer.WriteEndObject();
            writer.WriteStartObject("defaultConfiguration");
            writer.WriteString("level", Level(rule.DefaultSeverity));
            writer.WriteEndObject();
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndObject();

        writer.WriteStartArray("results");
        foreach (var d in list)
        {
            writer.WriteStartObject();
            writer.WriteString("ruleId", d.Code);
            writer.WriteNumber("ruleIndex", rules.IndexOf(d.Descriptor));
            writer.WriteString("level", Level(d.Severity));
            writer.WriteStartObject("message");
            writer.WriteString("text", d.Message);
            writer.WriteEndObject();
            if (d.File is not null)
            {
                writer.WriteStartArray("locations");
                writer.WriteStartObject();
                writer.WriteStartObject("physicalLocation");
                writer.WriteStartObject("artifactLocation");
                writer.WriteString("uri", Uri(d.File, baseDirectory));
                writer.WriteString("uriBaseId", "%SRCROOT%");
                writer.WriteEndObject();
                if (d.Span.HasPosition)
                {
                    writer.WriteStartObject("region");
                    writer.WriteNumber("startLine", d.Span.Line);
                    writer.WriteNumber("startColumn", Math.Max(1, d.Span.Column));
                    writer.WriteNumber("endLine", Math.Max(d.Span.Line, d.Span.EndLine));
                    if (d.Span.EndColumn > 0)
                    {
                        writer.WriteNumber("endColumn", d.Span.EndColumn + 1);
                    }

                    writer.WriteEndObject();
                }

                writer.WriteEndObject();
                writer.WriteEndObject();
                writer.WriteEndArray();
            }

            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteEndObject();
    }

    private static string Level(DiagnosticSeverity severity) => severity switch
    {
        DiagnosticSeverity.Error => "error",
        DiagnosticSeverity.Warning => "warning",
        _ => "note",
    };

    private static string Uri(string file, string baseDirectory)
    {
        string relative = Path.GetRelativePath(baseDirectory, file);
        return (relative.StartsWith("..", StringComparison.Ordinal) ? Path.GetFullPath(file) : relative).Replace('\\', '/');
    }

    private static string Pascal(string title)
        => string.Concat(title.Split(' ', '-', '/', '.', '(', ')', ',').Where(w => w.Length > 0).Select(w => char.ToUpperInvariant(w[0]) + w[1..]));
}
