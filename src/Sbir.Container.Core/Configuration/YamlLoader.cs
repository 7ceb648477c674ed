using Sbir.Container.Diagnostics;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Configuration;

/// <summary>
/// Loads YAML into YamlDotNet's representation model without ever throwing: syntax errors, the
/// scanner's internal errors on garbage, and duplicate keys all come back as one diagnostic with the
/// position the parser had reached. Aliases are kept as shared nodes (never expanded), so an alias
/// bomb costs nothing to load; walkers must not expand them either. Nesting is limited to
/// <see cref="MaxDepth"/> levels: the representation model is built recursively, and ten thousand
/// opening brackets would otherwise end the process (and the MSBuild node with it) in a stack overflow.
/// </summary>
public static class YamlLoader
{
    /// <summary>Deeper than any real compose or configuration file (those stay under 15 levels).</summary>
    public const int MaxDepth = 100;

    /// <summary>Loads <paramref name="text"/>; on failure returns null and a diagnostic of kind <paramref name="unreadable"/> (whose message has one placeholder).</summary>
    public static (YamlStream? Stream, Diagnostic? Error) Load(string text, string? path, DiagnosticDescriptor unreadable)
    {
        var parser = new DepthLimitedParser(new Parser(new StringReader(text)));
        var stream = new YamlStream();
        try
        {
            stream.Load(parser);
            return (stream, null);
        }
        catch (TooDeepException ex)
        {
            return (null, unreadable.Create(path, YamlNodes.SpanOf(ex.At, ex.At), $"the nesting is deeper than {MaxDepth} levels here; no real file nests like this"));
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

    /// <summary>Passes the events through, counting open mappings and sequences; stops past <see cref="MaxDepth"/>.</summary>
    private sealed class DepthLimitedParser(IParser inner) : IParser
    {
        private int _depth;

        public YamlDotNet.Core.Events.ParsingEvent? Current => inner.Current;

        public bool MoveNext()
        {
            if (!inner.MoveNext())
            {
                return false;
            }

            switch (inner.Current)
            {
                case YamlDotNet.Core.Events.MappingStart or YamlDotNet.Core.Events.SequenceStart when ++_depth > MaxDepth:
                    throw new TooDeepException(inner.Current.Start);
                case YamlDotNet.Core.Events.MappingEnd or YamlDotNet.Core.Events.SequenceEnd:
                    _depth--;
                    break;
            }

            return true;
        }
    }

    private sealed class TooDeepException(Mark at) : Exception
    {
        public Mark At { get; } = at;
    }

    private static string Describe(YamlException ex)
    {
        string message = ex.InnerException is YamlException inner ? inner.Message : ex.Message;
        // YamlDotNet prefixes "(Line: 3, Col: 5, Idx: 20) - (...): "; the position is already in the span.
        int cut = message.LastIndexOf("): ", StringComparison.Ordinal);
        return cut >= 0 ? message[(cut + 3)..] : message;
    }
}
