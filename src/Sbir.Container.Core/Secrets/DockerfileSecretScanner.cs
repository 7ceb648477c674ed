using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Secrets;

/// <summary>
/// Reads a Dockerfile through the core's <see cref="DockerfileParser"/> (continuations joined, comments between them
/// dropped, the escape directive honoured, heredocs attached; each part of an instruction mapped back to its line and
/// column) and the core's words and shell parser:
/// ENV (both <c>ENV K=V</c> and <c>ENV K V</c>), ARG defaults and LABEL values are key-aware assignments;
/// RUN, CMD, ENTRYPOINT, HEALTHCHECK and SHELL bodies (shell or exec form) and the bodies of heredocs are command lines.
/// <c>RUN --mount=type=secret,...</c> holds no value and is never a finding. This is the one place Dockerfile values
/// are judged for secrets (the Dockerfile rules leave them to it).
/// </summary>
internal static class DockerfileSecretScanner
{
    public static void Scan(ScanContext ctx)
    {
        var document = DockerfileParser.Parse(ctx.Text, ctx.Path);
        foreach (var instruction in document.Instructions)
        {
            var source = SourceOf(ctx, instruction);
            string keyword = instruction.Keyword;
            int body = 0;
            if (keyword == "ONBUILD")
            {
                // ONBUILD ENV X=1: the inner instruction is the text after its keyword.
                int k = 0;
                while (k < source.Text.Length && char.IsAsciiLetter(source.Text[k]))
                {
                    k++;
                }

                keyword = source.Text[..k].ToUpperInvariant();
                body = k;
            }

            Instruction(ctx, instruction, keyword, source, body, document.EscapeCharacter);
        }
    }

    private static void Instruction(ScanContext ctx, DockerfileInstruction instruction, string keyword, ScanSource source, int body, char escape)
    {
        switch (keyword)
        {
            case "ENV":
                Pairs(ctx, source, body, ValueSite.DockerfileEnv, spaceForm: true, escape);
                break;
            case "ARG":
                Pairs(ctx, source, body, ValueSite.DockerfileArg, spaceForm: false, escape);
                break;
            case "LABEL":
                Pairs(ctx, source, body, ValueSite.DockerfileLabel, spaceForm: false, escape);
                break;
            case "RUN" or "CMD" or "ENTRYPOINT" or "HEALTHCHECK" or "SHELL":
                Command(ctx, source, CommandStart(source.Text, body, keyword));
                foreach (var heredoc in instruction.Heredocs)
                {
                    ShellSecretScanner.Scan(ctx, HeredocSource(ctx, heredoc), ValueSite.Command, commandContext: false, requireProgram: false);
                }

                break;
            case "COPY" or "ADD":
                // COPY <<EOF /app/app.env: the body becomes a file of the image.
                foreach (var heredoc in instruction.Heredocs)
                {
                    ShellSecretScanner.Scan(ctx, HeredocSource(ctx, heredoc), ValueSite.Command, commandContext: false, requireProgram: false);
                }

                break;
        }
    }

    /// <summary>Shell form through the shell parser; exec form (a JSON array) word by word.</summary>
    private static void Command(ScanContext ctx, ScanSource source, int start)
    {
        string text = source.Text;
        if (start >= text.Length)
        {
            return;
        }

        var slice = source.Slice(start, text.Length);
        if (text[start] == '[')
        {
            CommandScanner.Scan(ctx, CommandWords.Split(slice, 0, slice.Text.Length, list: true), assignments: true, commandContext: false, ValueSite.Command);
        }
        else
        {
            ShellSecretScanner.Scan(ctx, slice, ValueSite.Command, commandContext: false, requireProgram: false);
        }
    }

    /// <summary>Where the command starts: after the flags (RUN --mount=..., HEALTHCHECK --interval=...) and HEALTHCHECK's CMD.</summary>
    private static int CommandStart(string text, int body, string keyword)
    {
        int p = SkipSpaces(text, body);
        while (p + 1 < text.Length && text[p] == '-' && text[p + 1] == '-')
        {
            while (p < text.Length && !char.IsWhiteSpace(text[p]))
            {
                p++;
            }

            p = SkipSpaces(text, p);
        }

        if (keyword == "HEALTHCHECK" && text.Length - p >= 3 && text.AsSpan(p, 3).Equals("CMD", StringComparison.OrdinalIgnoreCase))
        {
            p = SkipSpaces(text, p + 3);
        }

        return p;
    }

    /// <summary>K=V pairs, or (ENV only) the legacy "ENV K value with spaces" form, read with the core's word splitter.</summary>
    private static void Pairs(ScanContext ctx, ScanSource source, int body, ValueSite site, bool spaceForm, char escape)
    {
        string text = source.Text;
        var words = InstructionText.Words(text[body..], body, escape);
        if (words.Count == 0)
        {
            return;
        }

        int firstEq = EqualsOutsideQuotes(text, words[0]);
        if (firstEq < 0 && spaceForm)
        {
            if (words.Count < 2)
            {
                return;
            }

            int valueStart = words[1].Start;
            int valueEnd = words[^1].End;
            char quote = '\0';
            if (words.Count == 2)
            {
                CommandWords.StripQuotes(text, ref valueStart, ref valueEnd, out quote);
            }

            ctx.Assignment(source, words[0].Value, valueStart, valueEnd, site, dollarIsLiteral: quote == '\'');
            return;
        }

        foreach (var word in words)
        {
            int eq = EqualsOutsideQuotes(text, word);
            if (eq < 0)
            {
                continue;
            }

            int valueStart = eq + 1;
            int valueEnd = word.End;
            CommandWords.StripQuotes(text, ref valueStart, ref valueEnd, out char quote);
            ctx.Assignment(source, word.Value[..word.Value.IndexOf('=')], valueStart, valueEnd, site, dollarIsLiteral: quote == '\'');
        }
    }

    /// <summary>The instruction's text with the file place of each character.</summary>
    private static ScanSource SourceOf(ScanContext ctx, DockerfileInstruction instruction)
    {
        string text = instruction.Text;
        var (fallbackStart, fallbackEnd) = SpanOffsets(ctx, instruction);
        if (instruction.Origins.Count == 1 && instruction.PositionOf(0) is { } only)
        {
            int at = ctx.Lines.Offset(only.Line, only.Column);
            return at >= 0 ? ScanSource.At(text, at) : ScanSource.Whole(text, fallbackStart, fallbackEnd);
        }

        var offsets = new int[text.Length];
        for (int i = 0; i < text.Length; i++)
        {
            offsets[i] = instruction.PositionOf(i) is { } position ? ctx.Lines.Offset(position.Line, position.Column) : -1;
        }

        return ScanSource.Mapped(text, offsets, fallbackStart, fallbackEnd);
    }

    /// <summary>A heredoc body: each of its lines is a line of the file from the body's first line on (tabs stripped by &lt;&lt;- counted back).</summary>
    private static ScanSource HeredocSource(ScanContext ctx, Heredoc heredoc)
    {
        string body = heredoc.Body;
        var offsets = new int[body.Length];
        int line = heredoc.BodyStartLine;
        int column = 1;
        for (int i = 0; i < body.Length; i++)
        {
            if (column == 1 && heredoc.StripTabs && line <= ctx.Lines.LineCount)
            {
                var (lineStart, lineEnd) = ctx.Lines.LineBounds(line);
                while (lineStart + column - 1 < lineEnd && ctx.Text[lineStart + column - 1] == '\t')
                {
                    column++;
                }
            }

            offsets[i] = line <= ctx.Lines.LineCount ? ctx.Lines.Offset(line, column) : -1;
            if (body[i] == '\n')
            {
                line++;
                column = 1;
            }
            else
            {
                column++;
            }
        }

        int start = heredoc.BodyStartLine <= ctx.Lines.LineCount ? ctx.Lines.LineBounds(heredoc.BodyStartLine).Start : ctx.Text.Length;
        return ScanSource.Mapped(body, offsets, start, Math.Min(ctx.Text.Length, start + body.Length));
    }

    private static (int Start, int End) SpanOffsets(ScanContext ctx, DockerfileInstruction instruction)
    {
        var span = instruction.Span;
        int start = ctx.Lines.Offset(span.Line, span.Column);
        int end = span.EndLine <= ctx.Lines.LineCount ? ctx.Lines.LineBounds(span.EndLine).End : ctx.Text.Length;
        return start < 0 ? (0, 0) : (start, Math.Max(start, end));
    }

    private static int EqualsOutsideQuotes(string text, TextWord word)
    {
        for (int i = word.Start; i < word.End && i < text.Length; i++)
        {
            char c = text[i];
            if (c is '"' or '\'')
            {
                return -1;
            }

            if (c == '=')
            {
                return i > word.Start ? i : -1;
            }
        }

        return -1;
    }

    private static int SkipSpaces(string text, int p)
    {
        while (p < text.Length && char.IsWhiteSpace(text[p]))
        {
            p++;
        }

        return p;
    }
}
