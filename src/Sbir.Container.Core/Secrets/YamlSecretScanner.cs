namespace Sbir.Container.Secrets;

/// <summary>
/// Reads compose files, config YAML and workflows line by line, tracking only what the rules need: the chain of
/// parent keys by indentation, block sequences, flow collections and block scalars. It never builds a document, so
/// anchors and aliases are never expanded (an alias is not a literal) and malformed YAML is read as far as it goes.
/// <list type="bullet">
/// <item><c>KEY: value</c> at any depth and <c>- KEY=value</c> items: rule 1 for secret-named keys.</item>
/// <item>Values, sequences and block scalars under test/command/entrypoint/run/script: command lines (rule 4, SBC2007).</item>
/// <item>Any other scalar: scanned for password options too (a command kept in a variable).</item>
/// </list>
/// </summary>
internal static class YamlSecretScanner
{
    private static readonly HashSet<string> CommandKeys = new(StringComparer.OrdinalIgnoreCase)
    {
        "test", "command", "entrypoint", "cmd", "run", "script", "shell", "exec", "before_script", "after_script",
    };

    public static void Scan(ScanContext ctx)
    {
        var state = new State(ctx);
        for (int line = 1; line <= ctx.Lines.LineCount; line++)
        {
            var (start, end) = ctx.LineBounds(line);
            state.Line(start, end);
        }

        state.FlushBlock();
        state.FlushSequence();
    }

    private readonly record struct Frame(int Indent, string Key, bool Open);

    private sealed class BlockScalar(int parentIndent, string key, bool secret, bool command, ValueSite site, string? parent, bool folded)
    {
        public bool Folded { get; } = folded;

        public int FirstLine { get; set; }

        public int LastLine { get; set; }

        public int ParentIndent { get; } = parentIndent;

        public string Key { get; } = key;

        public bool Secret { get; } = secret;

        public bool Command { get; } = command;

        public ValueSite Site { get; } = site;

        public string? Parent { get; } = parent;

        public bool Seen { get; set; }
    }

    private sealed class Sequence(int indent, bool command)
    {
        public int Indent { get; } = indent;

        public bool Command { get; } = command;

        public List<Word> Words { get; } = [];
    }

    private enum ValueShape
    {
        Empty,
        Alias,
        Block,
        FlowSequence,
        FlowMap,
        Scalar,
    }

    private readonly record struct Value(ValueShape Shape, int Start, int End, char Quote);

    private sealed class State(ScanContext ctx)
    {
        private readonly string _text = ctx.Text;
        private readonly List<Frame> _frames = [];
        private BlockScalar? _block;
        private Sequence? _sequence;

        private int _line;

        public void Line(int start, int end)
        {
            _line++;
            if (_block is not null && BlockContent(start, end))
            {
                return;
            }

            int p = start;
            while (p < end && _text[p] is ' ' or '\t')
            {
                p++;
            }

            if (p >= end || _text[p] == '#')
            {
                return;
            }

            int indent = p - start;
            if (indent == 0 && (Starts(p, end, "---") || Starts(p, end, "...")))
            {
                FlushSequence();
                _frames.Clear();
                return;
            }

            // Sequence markers: "- ", possibly several ("- - x").
            int q = p;
            int itemIndent = -1;
            while (q < end && _text[q] == '-' && (q + 1 == end || _text[q + 1] is ' ' or '\t'))
            {
                itemIndent = q - start;
                q++;
                while (q < end && _text[q] is ' ' or '\t')
                {
                    q++;
                }
            }

            if (itemIndent >= 0)
            {
                Item(start, itemIndent, q, end);
                return;
            }

            FlushSequence();
            if (TryKey(q, end, out string key, out int valueStart))
            {
                Entry(indent, key, valueStart, end);
                return;
            }

            // A continuation of a multi-line flow collection or plain scalar: read its words as a command.
            string? parent = _frames.Count > 0 ? _frames[^1].Key : null;
            bool command = IsCommandKey(parent);
            var words = CommandWords.Split(ctx.File, q, end, list: true);
            Mark(command, q, end);
            CommandScanner.Scan(ctx, words, assignments: command, command, ValueSite.Command, requireProgram: !command);
        }

        public void FlushSequence()
        {
            if (_sequence is { Words.Count: > 0 } sequence)
            {
                CommandScanner.Scan(ctx, sequence.Words, assignments: sequence.Command, sequence.Command, ValueSite.Command, requireProgram: !sequence.Command);
            }

            _sequence = null;
        }

        /// <summary>Lines of a block scalar (key: | or key: >): the first line is the value of a secret key; every line is shell.</summary>
        private bool BlockContent(int start, int end)
        {
            var block = _block!;
            int p = start;
            while (p < end && _text[p] is ' ' or '\t')
            {
                p++;
            }

            if (p >= end)
            {
                return true;
            }

            if (p - start <= block.ParentIndent)
            {
                FlushBlock();
                return false;
            }

            if (block.Secret && !block.Seen)
            {
                block.Seen = true;
                ctx.Assignment(block.Key, p, end, block.Site, parent: block.Parent);
            }

            if (block.FirstLine == 0)
            {
                block.FirstLine = _line;
            }

            block.LastLine = _line;
            return true;
        }

        /// <summary>
        /// Scans a finished block scalar as shell: a folded one (&gt;) as one command line, a literal one (|) line by line
        /// with backslash continuations, as the shell that runs it would.
        /// </summary>
        public void FlushBlock()
        {
            var block = _block;
            _block = null;
            if (block is null || block.FirstLine == 0)
            {
                return;
            }

            int start = ctx.LineBounds(block.FirstLine).Start;
            int end = ctx.LineBounds(block.LastLine).End;
            Mark(block.Command, start, end);
            if (block.Folded)
            {
                CommandScanner.Scan(ctx, CommandWords.Split(ctx.File, start, end, shellComments: true), assignments: block.Command, block.Command, ValueSite.Command, requireProgram: !block.Command);
            }
            else
            {
                ShellSecretScanner.ScanLines(ctx, block.FirstLine, block.LastLine, ValueSite.Command, block.Command, requireProgram: !block.Command);
            }
        }

        private void Item(int lineStart, int itemIndent, int q, int end)
        {
            // The parent of "- x" is the nearest key left of the dash, or at its column when that key opened the sequence.
            while (_frames.Count > 0 && (_frames[^1].Indent > itemIndent || (_frames[^1].Indent == itemIndent && !_frames[^1].Open)))
            {
                _frames.RemoveAt(_frames.Count - 1);
            }

            if (_sequence is not null && _sequence.Indent != itemIndent)
            {
                FlushSequence();
            }

            string? parent = _frames.Count > 0 ? _frames[^1].Key : null;
            _sequence ??= new Sequence(itemIndent, IsCommandKey(parent));
            if (q >= end || _text[q] == '#')
            {
                return;
            }

            if (TryEnvAssignment(q, end, out string name, out int valueStart, out int valueEnd, out _))
            {
                ctx.Assignment(name, valueStart, valueEnd, Site(), dollarIsLiteral: false, listForm: true);
                _sequence.Words.Add(new Word(ctx.File, q, PlainEnd(q, end)));
                Mark(_sequence.Command, q, end);
                return;
            }

            if (TryKey(q, end, out string key, out int keyValueStart))
            {
                // "- key: value": a map inside the sequence.
                FlushSequence();
                Entry(q - lineStart, key, keyValueStart, end);
                return;
            }

            var value = ReadValue(q, end);
            switch (value.Shape)
            {
                case ValueShape.Scalar:
                    int rawStart = value.Quote == '\0' ? value.Start : value.Start - 1;
                    int rawEnd = value.Quote == '\0' || value.End >= end ? value.End : value.End + 1;
                    _sequence.Words.Add(new Word(ctx.File, rawStart, rawEnd));
                    Mark(_sequence.Command, q, end);
                    break;
                case ValueShape.FlowSequence:
                    FlowSequence(value.Start, end, _sequence.Command);
                    break;
                case ValueShape.FlowMap:
                    FlowMap(value.Start, end);
                    break;
            }
        }

        /// <summary>key: value (at <paramref name="column"/>).</summary>
        private void Entry(int column, string key, int valueStart, int end)
        {
            while (_frames.Count > 0 && _frames[^1].Indent >= column)
            {
                _frames.RemoveAt(_frames.Count - 1);
            }

            string? parent = _frames.Count > 0 ? _frames[^1].Key : null;
            var value = ReadValue(valueStart, end);
            bool command = IsCommandKey(key);
            var site = Site();
            _frames.Add(new Frame(column, key, value.Shape is ValueShape.Empty or ValueShape.Block));
            switch (value.Shape)
            {
                case ValueShape.Block:
                    _block = new BlockScalar(column, key, ctx.IsSecretName(key), command, site, parent, _text[value.Start] == '>');
                    break;
                case ValueShape.FlowSequence:
                    FlowSequence(value.Start, end, command);
                    break;
                case ValueShape.FlowMap:
                    FlowMap(value.Start, end);
                    break;
                case ValueShape.Scalar:
                    ctx.Assignment(key, value.Start, value.End, site, parent: parent);
                    Mark(command, value.Start, value.End);
                    var words = CommandWords.Split(ctx.File, value.Start, value.End);
                    CommandScanner.Scan(ctx, words, assignments: command, command, ValueSite.Command, requireProgram: !command);
                    break;
            }

        }

        /// <summary>[a, "b c", K=V]: items are words of a command, and K=V items are assignments.</summary>
        private void FlowSequence(int open, int end, bool command)
        {
            var words = new List<Word>();
            foreach (var (itemStart, itemEnd) in FlowItems(open, end))
            {
                if (TryEnvAssignment(itemStart, itemEnd, out string name, out int valueStart, out int valueEnd, out _))
                {
                    ctx.Assignment(name, valueStart, valueEnd, Site(), listForm: true);
                }

                words.Add(new Word(ctx.File, itemStart, itemEnd));
            }

            Mark(command, open, end);
            CommandScanner.Scan(ctx, words, assignments: command, command, ValueSite.Command, requireProgram: !command);
        }

        /// <summary>{k: v, k2: v2}: each pair is an entry.</summary>
        private void FlowMap(int open, int end)
        {
            foreach (var (itemStart, itemEnd) in FlowItems(open, end))
            {
                if (!TryKey(itemStart, itemEnd, out string key, out int valueStart))
                {
                    continue;
                }

                var value = ReadValue(valueStart, itemEnd);
                if (value.Shape == ValueShape.Scalar)
                {
                    ctx.Assignment(key, value.Start, value.End, Site());
                }
            }
        }

        /// <summary>The items of a flow collection opening at <paramref name="open"/>, split at top-level commas, on this line.</summary>
        private List<(int Start, int End)> FlowItems(int open, int end)
        {
            var items = new List<(int, int)>();
            int depth = 0;
            int itemStart = open + 1;
            for (int i = open; i < end; i++)
            {
                char c = _text[i];
                if (c is '"' or '\'' && depth >= 1)
                {
                    i = CommandWords.QuoteEnd(_text, i, end) - 1;
                    continue;
                }

                if (c is '[' or '{')
                {
                    depth++;
                    continue;
                }

                if (c is ']' or '}')
                {
                    depth--;
                    if (depth == 0)
                    {
                        AddItem(itemStart, i);
                        return items;
                    }

                    continue;
                }

                if (c == ',' && depth == 1)
                {
                    AddItem(itemStart, i);
                    itemStart = i + 1;
                }
                else if (c == '#' && depth >= 1 && i > open && _text[i - 1] is ' ' or '\t')
                {
                    AddItem(itemStart, i);
                    return items;
                }
            }

            AddItem(itemStart, end);
            return items;

            void AddItem(int s, int e)
            {
                while (s < e && char.IsWhiteSpace(_text[s]))
                {
                    s++;
                }

                while (e > s && char.IsWhiteSpace(_text[e - 1]))
                {
                    e--;
                }

                if (e > s)
                {
                    items.Add((s, e));
                }
            }
        }

        /// <summary>Reads a value: anchors and tags skipped; quoted, plain, block indicator, flow, alias or nothing.</summary>
        private Value ReadValue(int start, int end)
        {
            int p = SkipSpaces(start, end);
            for (int guard = 0; guard < 3 && p < end && _text[p] is '&' or '!'; guard++)
            {
                while (p < end && !char.IsWhiteSpace(_text[p]))
                {
                    p++;
                }

                p = SkipSpaces(p, end);
            }

            if (p >= end || _text[p] == '#')
            {
                return new Value(ValueShape.Empty, p, p, '\0');
            }

            char c = _text[p];
            switch (c)
            {
                case '*':
                    return new Value(ValueShape.Alias, p, end, '\0');
                case '|' or '>':
                    int k = p + 1;
                    while (k < end && (_text[k] is '-' or '+' || char.IsAsciiDigit(_text[k])))
                    {
                        k++;
                    }

                    k = SkipSpaces(k, end);
                    if (k >= end || _text[k] == '#')
                    {
                        return new Value(ValueShape.Block, p, end, '\0');
                    }

                    break;
                case '[':
                    return new Value(ValueShape.FlowSequence, p, end, '\0');
                case '{':
                    return new Value(ValueShape.FlowMap, p, end, '\0');
                case '"':
                    int close = CommandWords.QuoteEnd(_text, p, end);
                    return new Value(ValueShape.Scalar, p + 1, close > p + 1 && close <= end && _text[close - 1] == '"' && close - 1 > p ? close - 1 : end, '"');
                case '\'':
                    int single = p + 1;
                    while (single < end && !(_text[single] == '\'' && (single + 1 >= end || _text[single + 1] != '\'')))
                    {
                        single += _text[single] == '\'' ? 2 : 1;
                    }

                    return new Value(ValueShape.Scalar, p + 1, Math.Min(single, end), '\'');
            }

            return new Value(ValueShape.Scalar, p, PlainEnd(p, end), '\0');
        }

        /// <summary>The end of a plain scalar: before " #" and trailing spaces.</summary>
        private int PlainEnd(int start, int end)
        {
            int e = end;
            for (int i = start + 1; i < end; i++)
            {
                if (_text[i] == '#' && _text[i - 1] is ' ' or '\t')
                {
                    e = i;
                    break;
                }
            }

            while (e > start && char.IsWhiteSpace(_text[e - 1]))
            {
                e--;
            }

            return e;
        }

        /// <summary>A mapping key at <paramref name="start"/>: plain or quoted, followed by ':' and a space or the end.</summary>
        private bool TryKey(int start, int end, out string key, out int valueStart)
        {
            key = string.Empty;
            valueStart = end;
            if (start >= end)
            {
                return false;
            }

            char c = _text[start];
            if (c is '"' or '\'')
            {
                int close = CommandWords.QuoteEnd(_text, start, end);
                int k = SkipSpaces(close, end);
                if (close - start < 2 || k >= end || _text[k] != ':' || (k + 1 < end && _text[k + 1] is not (' ' or '\t')))
                {
                    return false;
                }

                key = _text[(start + 1)..(close - 1)];
                valueStart = k + 1;
                return true;
            }

            if (c is '[' or '{' or '&' or '*' or '!' or '|' or '>' or '%' or '@' or '`' or '?' or '#' or ',')
            {
                return false;
            }

            int limit = Math.Min(end, start + 256);
            for (int i = start; i < limit; i++)
            {
                char ch = _text[i];
                if (ch == ':' && (i + 1 == end || _text[i + 1] is ' ' or '\t'))
                {
                    key = _text[start..i].TrimEnd();
                    valueStart = i + 1;
                    return key.Length > 0 && key != "<<";
                }

                // Plain keys worth reading are names (neo4j, NEO4J_AUTH, db.password, x-sbir-env); anything else is prose.
                if (!(char.IsAsciiLetterOrDigit(ch) || ch is '_' or '-' or '.' or '/' or '$' or '{' or '}' || (ch == ' ' && IsKeyEnd(i, limit))))
                {
                    return false;
                }
            }

            return false;
        }

        /// <summary>True when only spaces separate <paramref name="i"/> from the key's colon ("key   : value").</summary>
        private bool IsKeyEnd(int i, int limit)
        {
            while (i < limit && _text[i] == ' ')
            {
                i++;
            }

            return i < limit && _text[i] == ':';
        }

        /// <summary>NAME=value as a sequence item or flow item (the whole item may be quoted).</summary>
        private bool TryEnvAssignment(int start, int end, out string name, out int valueStart, out int valueEnd, out char quote)
        {
            name = string.Empty;
            valueStart = valueEnd = start;
            int s = start;
            int e = PlainEnd(start, end);
            if (s < e && _text[s] is '"' or '\'')
            {
                int close = CommandWords.QuoteEnd(_text, s, end);
                e = close;
            }

            CommandWords.StripQuotes(_text, ref s, ref e, out quote);
            if (s >= e || !SecretValues.IsNameStart(_text[s]))
            {
                return false;
            }

            int j = s;
            while (j < e && j - s < 200 && (SecretValues.IsNameChar(_text[j]) || _text[j] is '.' or '-'))
            {
                j++;
            }

            if (j >= e || _text[j] != '=')
            {
                return false;
            }

            name = _text[s..j];
            valueStart = j + 1;
            valueEnd = e;
            CommandWords.StripQuotes(_text, ref valueStart, ref valueEnd, out char inner);
            if (inner != '\0')
            {
                quote = inner;
            }

            return true;
        }

        /// <summary>Where a key-aware value sits: compose environment, build args, a workflow, or plain YAML.</summary>
        private ValueSite Site()
        {
            if (ctx.Kind == SecretFileKind.Workflow)
            {
                return ValueSite.Workflow;
            }

            if (!ctx.IsCompose)
            {
                return ValueSite.Yaml;
            }

            for (int i = _frames.Count - 1; i >= 0; i--)
            {
                string k = _frames[i].Key;
                if (k.Equals("environment", StringComparison.OrdinalIgnoreCase))
                {
                    return ValueSite.ComposeEnvironment;
                }

                if (k.Equals("args", StringComparison.OrdinalIgnoreCase) && i > 0 && _frames[i - 1].Key.Equals("build", StringComparison.OrdinalIgnoreCase))
                {
                    return ValueSite.ComposeBuildArgs;
                }
            }

            return ValueSite.Yaml;
        }

        private void Mark(bool command, int start, int end)
        {
            if (command && ctx.IsCompose && end > start)
            {
                ctx.MarkCommand(start, end);
            }
        }

        private int SkipSpaces(int p, int end)
        {
            while (p < end && _text[p] is ' ' or '\t')
            {
                p++;
            }

            return p;
        }

        private bool Starts(int p, int end, string what) => end - p >= what.Length && string.CompareOrdinal(_text, p, what, 0, what.Length) == 0
            && (end - p == what.Length || char.IsWhiteSpace(_text[p + what.Length]));

        private static bool IsCommandKey(string? key) => key is not null && CommandKeys.Contains(key);
    }
}
