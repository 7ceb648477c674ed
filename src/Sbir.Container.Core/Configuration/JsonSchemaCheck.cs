using System.Text.Json;
using Json.Schema;
using Sbir.Container.Diagnostics;
using Sbir.Container.Text;

namespace Sbir.Container.Configuration;

/// <summary>
/// Validates a YAML document (converted to JSON) against a JSON Schema with a maintained library
/// (JsonSchema.Net), and turns the findings into diagnostics at the YAML lines. Of the many errors a
/// failing oneOf produces, only the deepest per place is kept, so each mistake is reported once.
/// </summary>
public sealed class JsonSchemaCheck
{
    private readonly JsonSchema _schema;
    private readonly IReadOnlyList<string> _propertyNames;

    /// <summary>Loads a schema from its JSON text.</summary>
    public JsonSchemaCheck(string schemaJson)
    {
        // The Compose Specification names draft 7 as "https://json-schema.org/draft-07/schema";
        // the library knows it by its canonical id. Same meta-schema, so the id is normalised here
        // rather than editing the embedded file.
        schemaJson = schemaJson.Replace("\"https://json-schema.org/draft-07/schema\"", "\"http://json-schema.org/draft-07/schema#\"", StringComparison.Ordinal);
        _schema = JsonSchema.FromText(schemaJson);
        using var doc = JsonDocument.Parse(schemaJson);
        var names = new HashSet<string>(StringComparer.Ordinal);
        CollectPropertyNames(doc.RootElement, names, 0);
        _propertyNames = names.ToList();
    }

    /// <summary>Loads an embedded schema of this assembly.</summary>
    public static JsonSchemaCheck FromResource(string name)
    {
        using var stream = typeof(JsonSchemaCheck).Assembly.GetManifestResourceStream(name)
            ?? throw new InvalidOperationException("Missing embedded schema " + name);
        using var reader = new StreamReader(stream);
        return new JsonSchemaCheck(reader.ReadToEnd());
    }

    /// <summary>Validates <paramref name="document"/>; each finding becomes a <paramref name="descriptor"/> diagnostic (one placeholder: the message).</summary>
    public IReadOnlyList<Diagnostic> Validate(YamlJsonDocument document, string? path, DiagnosticDescriptor descriptor)
    {
        var results = _schema.Evaluate(document.Root, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        // Errors inside an alternative of a oneOf/anyOf that passed through another alternative are
        // not errors: drop them (their combinator's node is valid at the same instance location).
        var valid = new HashSet<(string, string)>((results.Details ?? []).Where(d => d.IsValid).Select(d => (d.InstanceLocation.ToString(), d.EvaluationPath.ToString())));
        var errors = new List<(string Location, string Evaluation, string Keyword, string Message)>();
        foreach (var detail in results.Details ?? [])
        {
            if (detail.Errors is null || InPassingAlternative(detail.InstanceLocation.ToString(), detail.EvaluationPath.ToString(), valid))
            {
                continue;
            }

            foreach (var (keyword, message) in detail.Errors)
            {
                errors.Add((detail.InstanceLocation.ToString(), detail.EvaluationPath.ToString(), keyword, message));
            }
        }

        // Keep the deepest places: an error at /services/a is only the echo of one at /services/a/ports/0.
        var locations = errors.Select(e => e.Location).Distinct().ToList();
        var deepest = locations.Where(l => !locations.Any(o => o.Length > l.Length && o.StartsWith(l + "/", StringComparison.Ordinal))).ToHashSet();

        var diagnostics = new List<Diagnostic>();
        foreach (var group in errors.Where(e => deepest.Contains(e.Location)).GroupBy(e => e.Location))
        {
            var unknown = group.FirstOrDefault(e => e.Evaluation.EndsWith("/additionalProperties", StringComparison.Ordinal));
            string where = group.Key.Length == 0 ? "the top level" : group.Key;
            string message;
            string pointer = group.Key;
            if (unknown.Location is not null)
            {
                string name = Unescape(group.Key[(group.Key.LastIndexOf('/') + 1)..]);
                message = $"'{name}' is not allowed at {where[..Math.Max(0, where.LastIndexOf('/'))].TrimEnd('/') switch { "" => "the top level", var p => p }}.{DidYouMean.Hint(name, _propertyNames)}";
                pointer += "#key";
            }
            else
            {
                var best = group.OrderBy(e => e.Keyword is "type" or "enum" or "pattern" or "required" ? 0 : 1).First();
                message = $"{where}: {Humanize(best.Message)}";
            }

            var node = document.Nodes.TryGetValue(pointer, out var exact) ? exact : document.NodeAt(group.Key);
            diagnostics.Add(descriptor.Create(path, node is null ? SourceSpan.None : YamlNodes.SpanOf(node), message));
        }

        return diagnostics;
    }

    private static bool InPassingAlternative(string location, string evaluation, HashSet<(string, string)> valid)
    {
        string[] segments = evaluation.Split('/');
        for (int i = 0; i < segments.Length - 1; i++)
        {
            if (segments[i] is "oneOf" or "anyOf" && int.TryParse(segments[i + 1], out _))
            {
                // The schema node that holds the combinator (the library reports that node, not the
                // combinator itself); it applies at the location or one of its ancestors.
                string combinator = string.Join('/', segments, 0, i);
                string at = location;
                while (true)
                {
                    if (valid.Contains((at, combinator)))
                    {
                        return true;
                    }

                    int slash = at.LastIndexOf('/');
                    if (slash < 0)
                    {
                        break;
                    }

                    at = at[..slash];
                }
            }
        }

        return false;
    }

    private static string Humanize(string message)
        => message.Replace("All values fail against the false schema", "this property is not allowed", StringComparison.Ordinal);

    private static string Unescape(string token) => token.Replace("~1", "/").Replace("~0", "~");

    private static void CollectPropertyNames(JsonElement element, HashSet<string> names, int depth)
    {
        if (depth > 64)
        {
            return;
        }

        if (element.ValueKind == JsonValueKind.Object)
        {
            foreach (var property in element.EnumerateObject())
            {
                if (property.Name == "properties" && property.Value.ValueKind == JsonValueKind.Object)
                {
                    foreach (var p in property.Value.EnumerateObject())
                    {
                        names.Add(p.Name);
                    }
                }

                CollectPropertyNames(property.Value, names, depth + 1);
            }
        }
        else if (element.ValueKind == JsonValueKind.Array)
        {
            foreach (var item in element.EnumerateArray())
            {
                CollectPropertyNames(item, names, depth + 1);
            }
        }
    }
}
