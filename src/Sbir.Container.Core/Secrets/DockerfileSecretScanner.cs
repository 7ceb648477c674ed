using System.Text.RegularExpressions;

namespace Sbir.Container.Secrets;

/// <summary>
/// Reads a Dockerfile by instruction (continuation lines joined, the escape directive honoured):
/// ENV (both <c>ENV K=V</c> and <c>ENV K V</c>), ARG defaults and LABEL values are key-aware assignments;
/// RUN, CMD, ENTRYPOINT, HEALTHCHECK and SHELL bodies (shell or JSON form, heredoc bodies included) are command
/// lines. <c>RUN --mount=type=secret,...</c> holds no value and is never a finding.
/// </summary>
internal static partial class DockerfileSecretScanner
{
    public static void Scan(ScanContext ctx)
    {
        string text = ctx.Text;
        char escape = EscapeDirective(ctx);
        int lineCount = ctx.Lines.LineCount;
        var delimiters = new Dictionary<string, int[]>(StringComparer.Ordinal);
        for (int line = 1; line <= lineCount; line++)
        {
            var (start, end) = ctx.LineBounds(line);
            int p = SkipSpaces(text, start, end);
            if (p >= end || text[p] == '#')
            {
                continue;
            }

            // The instruction runs on while a line ends with the escape character; comment lines inside are skipped.
            int instructionEnd = end;
            int last = line;
            while (last < lineCount && last - line < 10000)
            {
                var current = ctx.LineBounds(last);
                if (!EndsWithEscape(text, current.Start, current.End, escape))
                {
                    break;
                }

                int next = last + 1;
                while (next < lineCount && IsCommentOrBlank(ctx, next))
                {
                    next++;
                }

                last = next;
                instructionEnd = ctx.LineBounds(last).End;
            }

            Instruction(ctx, p, instructionEnd, escape, delimiters, ref last);
            line = last;
        }
    }

    private static void Instruction(ScanContext ctx, int start, int end, char escape, Dictionary<string, int[]> delimiters, ref int lastLine)
    {
        string text = ctx.Text;
        int k = start;
        while (k < end && char.IsAsciiLetter(text[k]))
        {
            k++;
        }

        string keyword = text[start..k].ToUpperInvariant();
        int body = SkipSpaces(text, k, end);
        if (keyword == "ONBUILD")
        {
            int inner = body;
            while (inner < end && char.IsAsciiLetter(text[inner]))
            {
                inner++;
            }

            keyword = text[body..inner].ToUpperInvariant();
            body = SkipSpaces(text, inner, end);
        }

        switch (keyword)
        {
            case "ENV":
                Pairs(ctx, body, end, ValueSite.DockerfileEnv, spaceForm: true);
                break;
            case "ARG":
                Pairs(ctx, body, end, ValueSite.DockerfileArg, spaceForm: false);
                break;
            case "LABEL":
                Pairs(ctx, body, end, ValueSite.DockerfileLabel, spaceForm: false);
                break;
            case "RUN" or "CMD" or "ENTRYPOINT" or "HEALTHCHECK" or "SHELL":
                int commandStart = body;
                if (keyword == "HEALTHCHECK")
                {
                    var match = HealthcheckCmd().Match(text, body, end - body);
                    commandStart = match.Success ? match.Index + match.Length : end;
                }

                commandStart = SkipOptions(text, commandStart, end);
                bool json = commandStart < end && text[commandStart] == '[';
                var words = CommandWords.Split(ctx.File, commandStart, end, list: json, shellComments: !json && escape == '\\');
                CommandScanner.Scan(ctx, words, assignments: true, commandContext: false, ValueSite.Command);
                if (keyword == "RUN")
                {
                    Heredocs(ctx, text[body..end], delimiters, ref lastLine);
                }

                break;
        }
    }

    /// <summary>K=V pairs, or (ENV only) the legacy "ENV K value with spaces" form.</summary>
    private static void Pairs(ScanContext ctx, int start, int end, ValueSite site, bool spaceForm)
    {
        string text = ctx.Text;
        var words = CommandWords.Split(ctx.File, start, end);
        if (words.Count == 0)
        {
            return;
        }

        int firstEq = EqualsOutsideQuotes(text, words[0]);
        if (firstEq < 0 && spaceForm)
        {
            string key = text[words[0].Start..words[0].End];
            if (words.Count < 2)
            {
                return;
            }

            int valueStart = words[1].Start;
            int valueEnd = words[^1].End;
            if (words.Count == 2)
            {
                CommandWords.StripQuotes(text, ref valueStart, ref valueEnd, out char q);
                ctx.Assignment(key, valueStart, valueEnd, site, dollarIsLiteral: q == '\'');
            }
            else
            {
                ctx.Assignment(key, valueStart, valueEnd, site);
            }

            return;
        }

        foreach (var word in words)
        {
            int eq = EqualsOutsideQuotes(text, word);
            if (eq < 0)
            {
                continue;
            }

            string key = CommandWords.Unquoted(new Word(ctx.File, word.Start, eq)) ?? string.Empty;
            int valueStart = eq + 1;
            int valueEnd = word.End;
            CommandWords.StripQuotes(text, ref valueStart, ref valueEnd, out char quote);
            ctx.Assignment(key, valueStart, valueEnd, site, dollarIsLiteral: quote == '\'');
        }
    }

    /// <summary>RUN heredocs (&lt;&lt;EOF ... EOF): the body lines are shell.</summary>
    private static void Heredocs(ScanContext ctx, string instruction, Dictionary<string, int[]> delimiters, ref int lastLine)
    {
        var match = HeredocStart().Match(instruction);
        if (!match.Success)
        {
            return;
        }

        string delimiter = match.Groups["word"].Value;
        int lineCount = ctx.Lines.LineCount;
        if (!delimiters.TryGetValue(delimiter, out int[]? closings))
        {
            if (delimiters.Count >= 16)
            {
                return;
            }

            // The lines that could close this delimiter, found once per delimiter: many RUN <<EOF stay linear.
            closings = Enumerable.Range(1, lineCount).Where(l => IsDelimiter(ctx, l, delimiter)).ToArray();
            delimiters[delimiter] = closings;
        }

        int index = Array.BinarySearch(closings, lastLine + 1);
        index = index < 0 ? ~index : index;
        if (index >= closings.Length)
        {
            // Never closed: not a heredoc after all (or a broken one); the lines stay instructions.
            return;
        }

        int closing = closings[index];
        for (int line = lastLine + 1; line <= lineCount; line++)
        {
            var (start, end) = ctx.LineBounds(line);
            lastLine = line;
            if (line == closing)
            {
                return;
            }

            int p = SkipSpaces(ctx.Text, start, end);
            if (p < end && ctx.Text[p] != '#')
            {
                CommandScanner.Scan(ctx, CommandWords.Split(ctx.File, p, end, shellComments: true), assignments: true, commandContext: false, ValueSite.Command);
            }
        }
    }

    private static bool IsDelimiter(ScanContext ctx, int line, string delimiter)
    {
        var (start, end) = ctx.LineBounds(line);
        return ctx.Text.AsSpan(start, end - start).Trim().SequenceEqual(delimiter);
    }

    private static bool IsCommentOrBlank(ScanContext ctx, int line)
    {
        var (start, end) = ctx.LineBounds(line);
        int p = SkipSpaces(ctx.Text, start, end);
        return p >= end || ctx.Text[p] == '#';
    }

    /// <summary>The parser directive "# escape=`" before the first instruction; '\' otherwise.</summary>
    private static char EscapeDirective(ScanContext ctx)
    {
        for (int line = 1; line <= Math.Min(ctx.Lines.LineCount, 20); line++)
        {
            var (start, end) = ctx.LineBounds(line);
            var match = EscapeLine().Match(ctx.Text, start, end - start);
            if (match.Success)
            {
                return match.Groups["c"].Value[0];
            }

            int p = SkipSpaces(ctx.Text, start, end);
            if (p < end && ctx.Text[p] != '#')
            {
                break;
            }
        }

        return '\\';
    }

    private static int SkipOptions(string text, int start, int end)
    {
        int p = start;
        while (p + 1 < end && text[p] == '-' && text[p + 1] == '-')
        {
            while (p < end && !char.IsWhiteSpace(text[p]))
            {
                p++;
            }

            p = SkipSpaces(text, p, end);
        }

        return p;
    }

    private static int EqualsOutsideQuotes(string text, Word word)
    {
        for (int i = word.Start; i < word.End; i++)
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

    private static bool EndsWithEscape(string text, int start, int end, char escape)
    {
        int e = end;
        while (e > start && char.IsWhiteSpace(text[e - 1]))
        {
            e--;
        }

        return e > start && text[e - 1] == escape;
    }

    private static int SkipSpaces(string text, int p, int end)
    {
        while (p < end && char.IsWhiteSpace(text[p]))
        {
            p++;
        }

        return p;
    }

    [GeneratedRegex(@"\bCMD\b\s*", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HealthcheckCmd();

    [GeneratedRegex(@"(?<!<)<<(?!<)-?\s*[""']?(?<word>[A-Za-z_][A-Za-z0-9_]*)[""']?", RegexOptions.CultureInvariant)]
    private static partial Regex HeredocStart();

    [GeneratedRegex(@"^\s*#\s*escape\s*=\s*(?<c>[\\`])\s*$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex EscapeLine();
}
