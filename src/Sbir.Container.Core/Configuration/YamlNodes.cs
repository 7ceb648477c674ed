using Sbir.Container.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Configuration;

/// <summary>Small helpers to read YamlDotNet's representation model with positions.</summary>
internal static class YamlNodes
{
    /// <summary>The span of a node, 1-based, as YamlDotNet marks are.</summary>
    public static SourceSpan SpanOf(YamlNode node)
        => node.Start.Line <= 0 ? SourceSpan.None : new SourceSpan((int)node.Start.Line, (int)node.Start.Column, (int)node.End.Line, Math.Max(1, (int)node.End.Column - 1));

    /// <summary>The span of a mark (for syntax errors).</summary>
    public static SourceSpan SpanOf(Mark start, Mark end)
        => start.Line <= 0 ? SourceSpan.None : new SourceSpan((int)start.Line, (int)start.Column, (int)Math.Max(start.Line, end.Line), (int)Math.Max(1, end.Column));

    /// <summary>The child of a mapping by key, or null.</summary>
    public static YamlNode? Child(this YamlMappingNode map, string key)
    {
        foreach (var (k, v) in map.Children)
        {
            if (k is YamlScalarNode s && s.Value == key)
            {
                return v;
            }
        }

        return null;
    }

    /// <summary>The key node of an entry, for positions.</summary>
    public static YamlNode? KeyNode(this YamlMappingNode map, string key)
        => map.Children.Keys.FirstOrDefault(k => k is YamlScalarNode s && s.Value == key);

    /// <summary>A scalar's text, or null for other node kinds.</summary>
    public static string? Text(this YamlNode? node) => node is YamlScalarNode s ? s.Value : null;
}
