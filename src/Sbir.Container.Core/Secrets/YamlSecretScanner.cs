using System.Text.RegularExpressions;
using Sbir.Container.Configuration;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Sbir.Container.Secrets;

/// <summary>
/// Reads compose files, config YAML (JSON included) and workflows through the core's YAML reader
/// (<see cref="YamlLoader"/>: YamlDotNet's parser with positions, aliases kept as shared nodes, never expanded), so
/// values are judged as the consuming tool reads them: quotes and escapes removed, folded and literal block scalars
/// joined, an anchor's literal followed through every alias that uses it (and reported where it is written), and in
/// compose a '$$' read as a literal '$'. Each value maps back to its characters in the file (<see cref="ScanSource"/>).
/// <list type="bullet">
/// <item>A secret-named key with a scalar value, and NAME=value items of lists: rule 1.</item>
/// <item>Values and sequences under test/command/entrypoint/run/script/...: command lines (rule 4, SBC2007).</item>
/// <item>Any other scalar: scanned for password options too (a command kept in a variable).</item>
/// </list>
/// Only after a syntax error (or nesting too deep) is the file read line by line instead.
/// </summary>
internal static partial class YamlSecretScanner
{
    private static readonly HashSet<string> CommandKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "test", "command", "entrypoint", "cmd", "run", "script", "shell", "exec", "before_script", "after_script",
    };

    public static void Scan(ScanContext ctx)
    {
        var (stream, _) = YamlLoader.Load(ctx.Text, ctx.Path, Diagnostics.DiagnosticCatalog.ConfigUnreadable);
        if (stream is null)
        {
            LineFallback(ctx);
            return;
        }

        var walker = new Walker(ctx);
        foreach (var document in stream.Documents)
        {
            walker.Root(document.RootNode);
        }
    }

    /// <summary>
    /// The value of <paramref name="node"/> with the file place of each character: exact where the scalar is written as
    /// it reads (plain, quoted without escapes) or its characters can be lined up with the file (block scalars, folded
    /// lines, escapes that keep the character), the scalar's whole span otherwise.
    /// </summary>
    internal static ScanSource SourceOf(string text, YamlScalarNode node)
    {
        string value = node.Value ?? string.Empty;
        int start = (int)Math.Clamp(node.Start.Index, 0, text.Length);
        int end = (int)Math.Clamp(node.End.Index, start, text.Length);

        // The node starts at its anchor or tag (&pw hunter2, !!str 123): the value starts after them.
        while (start < end && text[start] is '&' or '!')
        {
            while (start < end && !char.IsWhiteSpace(text[start]))
            {
                start++;
            }

            while (start < end && text[start] is ' ' or '\t')
            {
                start++;
            }
        }

        int length = end - start;
        bool quoted = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted;
        if (!quoted && length == value.Length && string.CompareOrdinal(text, start, value, 0, length) == 0)
        {
            return ScanSource.At(value, start);
        }

        if (quoted && length == value.Length + 2 && string.CompareOrdinal(text, start + 1, value, 0, value.Length) == 0)
        {
            return ScanSource.At(value, start + 1);
        }

        // Block scalars start after their header line; quoted ones after the quote.
        int from = node.Style is ScalarStyle.Literal or ScalarStyle.Folded ? NextLine(text, start, end) : quoted ? start + 1 : start;
        return Align(text, value, from, end) is { } offsets ? ScanSource.Mapped(value, offsets, from, end) : ScanSource.Whole(value, start, end);
    }

    /// <summary>
    /// Lines the value's characters up with the file from <paramref name="from"/>: equal characters match, indentation,
    /// line breaks, quotes doubled or escaped are skipped, and a line break folded into a space matches the space. Null
    /// when the two cannot be lined up (an escape such as \n that changes the character).
    /// </summary>
    private static int[]? Align(string text, string value, int from, int end)
    {
        var offsets = new int[value.Length];
        int j = from;
        for (int i = 0; i < value.Length; i++)
        {
            int skipped = 0;
            while (j < end && text[j] != value[i])
            {
                bool folded = value[i] is ' ' or '\n' && text[j] is '\n' or '\r';
                if (folded)
                {
                    break;
                }

                // Indentation after a line break, a quote doubled or escaped: at most a few characters in a row.
                if (++skipped > 2 && !(text[j] is ' ' or '\t' && j > 0 && IsIndentation(text, j)))
                {
                    return null;
                }

                j++;
            }

            if (j >= end)
            {
                return null;
            }

            offsets[i] = j++;
        }

        return offsets;
    }

    private static bool IsIndentation(string text, int j)
    {
        int k = j;
        while (k > 0 && text[k - 1] is ' ' or '\t')
        {
            k--;
        }

        return k == 0 || text[k - 1] == '\n';
    }

    private static int NextLine(string text, int start, int end)
    {
        int newline = text.IndexOf('\n', start, end - start);
        return newline < 0 ? end : newline + 1;
    }

    /// <summary>
    /// After a syntax error: each line read as KEY: value, KEY=value or - KEY=value (rule 1) and as a command line
    /// (rule 4, prose-safe). The line rules and provider formats run on every file anyway.
    /// </summary>
    private static void LineFallback(ScanContext ctx)
    {
        for (int line = 1; line <= ctx.Lines.LineCount; line++)
        {
            var (start, end) = ctx.Lines.LineBounds(line);
            if (end - start > 65536)
            {
                continue;
            }

            var match = KeyValueLine().Match(ctx.Text, start, end - start);
            if (match.Success)
            {
                var value = match.Groups["value"];
                int valueStart = value.Index;
                int valueEnd = value.Index + value.Length;

                // An alias is no literal; an anchor or a tag comes before the value.
                while (valueStart < valueEnd && ctx.Text[valueStart] is '&' or '!')
                {
                    int space = ctx.Text.IndexOf(' ', valueStart, valueEnd - valueStart);
                    valueStart = space < 0 ? valueEnd : space + 1;
                }

                if (valueStart >= valueEnd || ctx.Text[valueStart] == '*')
                {
                    continue;
                }

                CommandWords.StripQuotes(ctx.Text, ref valueStart, ref valueEnd, out char quote);
                ctx.Assignment(match.Groups["key"].Value, valueStart, valueEnd, ctx.Kind == SecretFileKind.Workflow ? ValueSite.Workflow : ValueSite.Yaml, dollarIsLiteral: quote == '\'');
            }

            ShellSecretScanner.Scan(ctx, ctx.File.Slice(start, end), ValueSite.Command, commandContext: false, requireProgram: true);
        }
    }

    [GeneratedRegex(@"\G[ \t]*(?:-[ \t]+)?[""']?(?<key>[A-Za-z_][A-Za-z0-9_.\-]{0,200})[""']?[ \t]*(?::[ \t]|=)[ \t]*(?<value>[^#\r\n]*?)[ \t]*(?:[ \t]#.*)?$", RegexOptions.CultureInvariant)]
    private static partial Regex KeyValueLine();

    /// <summary>Walks the documents; every mapping and sequence is entered once, however many aliases point at it.</summary>
    private sealed class Walker(ScanContext ctx)
    {
        private readonly HashSet<YamlNode> _visited = new(ReferenceEqualityComparer.Instance);
        private readonly List<string> _keys = [];

        public void Root(YamlNode node)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    Mapping(mapping);
                    break;
                case YamlSequenceNode sequence:
                    Items(sequence, command: false);
                    break;
                case YamlScalarNode scalar:
                    Prose(scalar);
                    break;
            }
        }

        private void Mapping(YamlMappingNode mapping)
        {
            if (!_visited.Add(mapping))
            {
                return;
            }

            foreach (var (keyNode, value) in mapping.Children)
            {
                string? key = keyNode is YamlScalarNode { Value: { } k } ? k : null;
                if (key is null || key == "<<")
                {
                    // A merge key or a complex key: its value's own keys are what matter.
                    Child(value, command: false);
                    continue;
                }

                Entry(key, value);
            }
        }

        private void Entry(string key, YamlNode value)
        {
            bool command = CommandKeys.Contains(key);
            switch (value)
            {
                case YamlScalarNode scalar:
                    var source = Source(scalar);
                    ctx.Assignment(source, key, 0, source.Text.Length, Site(key), parent: _keys.Count > 0 ? _keys[^1] : null);
                    if (command)
                    {
                        Mark(scalar);
                        ShellSecretScanner.Scan(ctx, source, ValueSite.Command, commandContext: true, requireProgram: false);
                    }
                    else
                    {
                        Prose(scalar, source);
                    }

                    break;
                case YamlSequenceNode sequence:
                    _keys.Add(key);
                    Items(sequence, command);
                    _keys.RemoveAt(_keys.Count - 1);
                    break;
                case YamlMappingNode mapping:
                    _keys.Add(key);
                    Mapping(mapping);
                    _keys.RemoveAt(_keys.Count - 1);
                    break;
            }
        }

        private void Child(YamlNode node, bool command)
        {
            switch (node)
            {
                case YamlMappingNode mapping:
                    Mapping(mapping);
                    break;
                case YamlSequenceNode sequence:
                    Items(sequence, command);
                    break;
            }
        }

        /// <summary>The items of a sequence: NAME=value items are assignments; under a command key the items are the words of one command.</summary>
        private void Items(YamlSequenceNode sequence, bool command)
        {
            if (!_visited.Add(sequence))
            {
                return;
            }

            var words = new List<Word>();
            foreach (var item in sequence.Children)
            {
                if (item is not YamlScalarNode scalar)
                {
                    Child(item, command);
                    continue;
                }

                var source = Source(scalar);
                if (EnvAssignment(source.Text) is { } eq)
                {
                    ctx.Assignment(source, source.Text[..eq], eq + 1, source.Text.Length, Site(null), listForm: true);
                }

                if (command)
                {
                    Mark(scalar);
                    words.Add(new Word(source, 0, source.Text.Length));
                }
                else
                {
                    Prose(scalar, source);
                }
            }

            if (words.Count > 0)
            {
                // ["CMD", "cypher-shell", "-p", "secret"] or ["CMD-SHELL", "cypher-shell -p secret"]: one command.
                CommandScanner.Scan(ctx, words, assignments: true, commandContext: true, ValueSite.Command);
            }
        }

        /// <summary>A scalar that is no command by its key: only a password option after a known program, or --password=value, counts.</summary>
        private void Prose(YamlScalarNode scalar, ScanSource? source = null)
        {
            // Outside commands only an option (--password=x, or -p x after a known program, whose names have a '-'
            // too: cypher-shell, neo4j-admin, redis-cli) can be a finding: a value without '-' has none.
            if (scalar.Value is not { } value || !value.Contains('-', StringComparison.Ordinal))
            {
                return;
            }

            source ??= Source(scalar);
            ShellSecretScanner.Scan(ctx, source, ValueSite.Command, commandContext: false, requireProgram: true);
        }

        private ScanSource Source(YamlScalarNode scalar) => SourceOf(ctx.Text, scalar);

        /// <summary>Compose commands: their lines are where a host-side ${VAR} is SBC2007 and a default is passed to the container.</summary>
        private void Mark(YamlScalarNode scalar)
        {
            if (ctx.IsCompose)
            {
                ctx.MarkCommand((int)Math.Clamp(scalar.Start.Index, 0, ctx.Text.Length), (int)Math.Clamp(scalar.End.Index, 0, ctx.Text.Length));
            }
        }

        /// <summary>Where a key-aware value sits: compose environment, build args, a workflow, or plain YAML.</summary>
        private ValueSite Site(string? key)
        {
            if (ctx.Kind == SecretFileKind.Workflow)
            {
                return ValueSite.Workflow;
            }

            if (!ctx.IsCompose)
            {
                return ValueSite.Yaml;
            }

            for (int i = _keys.Count - 1; i >= 0; i--)
            {
                if (_keys[i].Equals("environment", StringComparison.OrdinalIgnoreCase))
                {
                    return ValueSite.ComposeEnvironment;
                }

                if (_keys[i].Equals("args", StringComparison.OrdinalIgnoreCase) && i > 0 && _keys[i - 1].Equals("build", StringComparison.OrdinalIgnoreCase))
                {
                    return ValueSite.ComposeBuildArgs;
                }
            }

            return ValueSite.Yaml;
        }

        /// <summary>The index of '=' in NAME=value (a name of letters, digits, '_', '.', '-'), or null.</summary>
        private static int? EnvAssignment(string text)
        {
            if (text.Length == 0 || !SecretValues.IsNameStart(text[0]))
            {
                return null;
            }

            int j = 1;
            while (j < text.Length && j < 200 && (SecretValues.IsNameChar(text[j]) || text[j] is '.' or '-'))
            {
                j++;
            }

            return j < text.Length && text[j] == '=' ? j : null;
        }
    }
}
