using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Sbir.Container.Swarm;

/// <summary>
/// Writes a stack file in block-style YAML. Every string is double-quoted, so YAML never retypes a
/// value ("no", "3000", "1.10" stay text), and every '$' is doubled: the SDK has resolved the variables
/// already, and docker stack deploy interpolates again from the environment of the CLI, which must
/// change nothing ("$${NEO4J_AUTH#*/}" in a health check reaches the container's shell as written).
/// </summary>
public static class StackFile
{
    /// <summary>The compose file version written: 3.8 is the newest docker stack deploy reads, and engines from 19.03 accept it.</summary>
    public const string Version = "3.8";

    /// <summary>The YAML text of <paramref name="document"/>.</summary>
    public static string Write(JsonObject document)
    {
        var sb = new StringBuilder("# Rendered by Sbir.Container.Sdk (StackDeploy) from the profile's compose files; variables resolved, no secret values.\n");
        WriteMap(sb, document, 0);
        return sb.ToString();
    }

    private static void WriteMap(StringBuilder sb, JsonObject map, int indent)
    {
        foreach (var (key, value) in map)
        {
            sb.Append(' ', indent).Append(Key(key)).Append(':');
            WriteValue(sb, value, indent);
        }
    }

    private static void WriteValue(StringBuilder sb, JsonNode? value, int indent)
    {
        switch (value)
        {
            case JsonObject { Count: 0 }:
                sb.Append(" {}\n");
                break;
            case JsonObject child:
                sb.Append('\n');
                WriteMap(sb, child, indent + 2);
                break;
            case JsonArray { Count: 0 }:
                sb.Append(" []\n");
                break;
            case JsonArray list:
                sb.Append('\n');
                foreach (var item in list)
                {
                    sb.Append(' ', indent + 2).Append('-');
                    if (item is JsonObject { Count: > 0 } entry)
                    {
                        // "- key: value" with the rest of the mapping aligned under the first key.
                        var first = true;
                        foreach (var (key, inner) in entry)
                        {
                            sb.Append(first ? " " : new string(' ', indent + 4)).Append(Key(key)).Append(':');
                            WriteValue(sb, inner, indent + 4);
                            first = false;
                        }
                    }
                    else
                    {
                        WriteValue(sb, item, indent + 2);
                    }
                }

                break;
            default:
                sb.Append(' ').Append(Scalar(value)).Append('\n');
                break;
        }
    }

    private static string Scalar(JsonNode? value)
    {
        if (value is null)
        {
            return "null";
        }

        return value.GetValueKind() switch
        {
            JsonValueKind.String => Quote(value.GetValue<string>()),
            JsonValueKind.Number => value.ToJsonString(),
            JsonValueKind.True => "true",
            JsonValueKind.False => "false",
            _ => "null",
        };
    }

    private static string Key(string key)
        => key.Length > 0 && key.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.') && !char.IsAsciiDigit(key[0]) ? key : Quote(key);

    /// <summary>
    /// A YAML double-quoted scalar, with '$' doubled for docker stack deploy's interpolation. Not the JSON
    /// escaper of <see cref="Diagnostics.SecretMasker"/>: YAML also refuses the C1 control characters unescaped.
    /// </summary>
    internal static string Quote(string text)
    {
        var sb = new StringBuilder("\"", text.Length + 2);
        foreach (char c in text)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '$': sb.Append("$$"); break;
                default:
                    if (char.IsControl(c))
                    {
                        sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    }
                    else
                    {
                        sb.Append(c);
                    }

                    break;
            }
        }

        return sb.Append('"').ToString();
    }
}
