using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Configuration;

/// <summary>A YAML document as JSON, with the YAML node behind every JSON pointer, for schema validation with positions.</summary>
public sealed class YamlJsonDocument : IDisposable
{
    private readonly JsonDocument _json;

    internal YamlJsonDocument(JsonDocument json, IReadOnlyDictionary<string, YamlNode> nodes, bool truncated)
    {
        _json = json;
        Nodes = nodes;
        Truncated = truncated;
    }

    /// <summary>The JSON root.</summary>
    public JsonElement Root => _json.RootElement;

    /// <summary>The YAML node behind each JSON pointer ("" for the root, "/services/neo4j/image", ...).</summary>
    public IReadOnlyDictionary<string, YamlNode> Nodes { get; }

    /// <summary>True when conversion stopped at the node budget (an alias bomb): the JSON is partial.</summary>
    public bool Truncated { get; }

    /// <summary>The node at <paramref name="pointer"/>, or its closest ancestor that has one.</summary>
    public YamlNode? NodeAt(string pointer)
    {
        while (true)
        {
            if (Nodes.TryGetValue(pointer, out var node))
            {
                return node;
            }

            int slash = pointer.LastIndexOf('/');
            if (slash < 0)
            {
                return null;
            }

            pointer = pointer[..slash];
        }
    }

    /// <inheritdoc />
    public void Dispose() => _json.Dispose();
}

/// <summary>
/// Converts YamlDotNet's representation model to JSON the way compose reads YAML: merge keys
/// (<c>&lt;&lt;: *anchor</c>) applied, aliases followed, plain scalars typed by the YAML 1.2 core schema
/// (quoted scalars stay strings), and an optional transform of every scalar (compose's interpolation).
/// A node budget stops alias bombs: past it the document is marked truncated.
/// </summary>
public static partial class YamlJson
{
    /// <summary>The most nodes written before giving up (an alias bomb would expand to billions).</summary>
    public const int NodeBudget = 200_000;

    /// <summary>Converts <paramref name="root"/>; <paramref name="transformScalar"/> may rewrite each scalar's text (pointer, node, text → text).</summary>
    public static YamlJsonDocument Convert(YamlNode root, Func<string, YamlScalarNode, string, string>? transformScalar = null)
    {
        var nodes = new Dictionary<string, YamlNode>(StringComparer.Ordinal);
        using var buffer = new MemoryStream();
        int budget = NodeBudget;
        using (var writer = new Utf8JsonWriter(buffer))
        {
            Write(writer, root, string.Empty, nodes, transformScalar, ref budget, 0);
        }

        return new YamlJsonDocument(JsonDocument.Parse(buffer.ToArray()), nodes, budget <= 0);
    }

    private static void Write(Utf8JsonWriter writer, YamlNode node, string pointer, Dictionary<string, YamlNode> nodes, Func<string, YamlScalarNode, string, string>? transform, ref int budget, int depth)
    {
        if (--budget <= 0 || depth > 64)
        {
            writer.WriteNullValue();
            return;
        }

        nodes.TryAdd(pointer, node);
        switch (node)
        {
            case YamlMappingNode map:
                writer.WriteStartObject();
                var written = new HashSet<string>(StringComparer.Ordinal);
                var entries = MergedEntries(map);
                foreach (var (key, value) in entries)
                {
                    string name = key is YamlScalarNode ks ? ks.Value ?? string.Empty : key.ToString();
                    if (!written.Add(name))
                    {
                        continue;
                    }

                    writer.WritePropertyName(name);
                    Write(writer, value, pointer + "/" + Escape(name), nodes, transform, ref budget, depth + 1);
                    nodes.TryAdd(pointer + "/" + Escape(name) + "#key", key);
                }

                writer.WriteEndObject();
                break;
            case YamlSequenceNode sequence:
                writer.WriteStartArray();
                int index = 0;
                foreach (var item in sequence.Children)
                {
                    Write(writer, item, pointer + "/" + index.ToString(CultureInfo.InvariantCulture), nodes, transform, ref budget, depth + 1);
                    index++;
                }

                writer.WriteEndArray();
                break;
            case YamlScalarNode scalar:
                string text = scalar.Value ?? string.Empty;
                bool plain = scalar.Style is ScalarStyle.Plain or ScalarStyle.Any;
                if (transform is not null)
                {
                    string transformed = transform(pointer, scalar, text);
                    if (transformed != text && plain)
                    {
                        // An interpolated value is typed again, as compose does after substitution.
                        WriteTyped(writer, transformed);
                        break;
                    }

                    text = transformed;
                }

                if (plain)
                {
                    WriteTyped(writer, text);
                }
                else
                {
                    writer.WriteStringValue(text);
                }

                break;
            default:
                writer.WriteNullValue();
                break;
        }
    }

    /// <summary>The entries of a mapping with merge keys applied: explicit keys first (they win), then merged ones.</summary>
    public static List<KeyValuePair<YamlNode, YamlNode>> MergedEntries(YamlMappingNode map)
    {
        var result = new List<KeyValuePair<YamlNode, YamlNode>>();
        var merged = new List<KeyValuePair<YamlNode, YamlNode>>();
        foreach (var entry in map.Children)
        {
            if (entry.Key is YamlScalarNode { Value: "<<" } && entry.Key is YamlScalarNode { Style: ScalarStyle.Plain or ScalarStyle.Any })
            {
                switch (entry.Value)
                {
                    case YamlMappingNode source:
                        merged.AddRange(source.Children.Where(e => e.Key is not YamlScalarNode { Value: "<<" }));
                        break;
                    case YamlSequenceNode sources:
                        foreach (var source in sources.Children.OfType<YamlMappingNode>())
                        {
                            merged.AddRange(source.Children.Where(e => e.Key is not YamlScalarNode { Value: "<<" }));
                        }

                        break;
                }

                continue;
            }

            result.Add(entry);
        }

        result.AddRange(merged);
        return result;
    }

    /// <summary>Escapes a JSON pointer token.</summary>
    public static string Escape(string token) => token.Replace("~", "~0").Replace("/", "~1");

    private static void WriteTyped(Utf8JsonWriter writer, string text)
    {
        switch (text)
        {
            case "" or "~" or "null" or "Null" or "NULL":
                writer.WriteNullValue();
                return;
            case "true" or "True" or "TRUE":
                writer.WriteBooleanValue(true);
                return;
            case "false" or "False" or "FALSE":
                writer.WriteBooleanValue(false);
                return;
        }

        if (IntPattern().IsMatch(text) && long.TryParse(text, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out long whole))
        {
            writer.WriteNumberValue(whole);
        }
        else if (FloatPattern().IsMatch(text) && double.TryParse(text, NumberStyles.Float, CultureInfo.InvariantCulture, out double real) && double.IsFinite(real))
        {
            writer.WriteNumberValue(real);
        }
        else
        {
            writer.WriteStringValue(text);
        }
    }

    [GeneratedRegex(@"^[-+]?[0-9]+$")]
    private static partial Regex IntPattern();

    [GeneratedRegex(@"^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$")]
    private static partial Regex FloatPattern();
}
