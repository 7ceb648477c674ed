namespace Sbir.Container.Secrets;

/// <summary>A word of a command line: offsets of its raw text (quotes included) in <paramref name="Source"/>.</summary>
/// <param name="Source">The text the word is in.</param>
/// <param name="Start">Where its raw text starts.</param>
/// <param name="End">Where its raw text ends.</param>
/// <param name="Literal">True when the shell expands nothing in it: every '$' is escaped or single-quoted.</param>
/// <param name="Decoded">The word as the shell reads it (quotes and escapes removed), when known.</param>
internal readonly record struct Word(ScanSource Source, int Start, int End, bool Literal = false, string? Decoded = null)
{
    public int Length => End - Start;

    /// <summary>The text the word is read from.</summary>
    public string Text => Source.Text;
}

/// <summary>
/// Word helpers of the command rules: positions of quoted words, and the words of an exec-form JSON array
/// (<c>CMD ["cypher-shell", "-p", "x"]</c>), whose places the core's parser does not keep. Shell text is read by the
/// core's shell parser (<see cref="ShellSecretScanner"/>), not here.
/// </summary>
internal static class CommandWords
{
    /// <summary>The words of [start, end): quotes group, a backslash escapes; with <paramref name="list"/>, '[', ']' and ',' separate too.</summary>
    public static List<Word> Split(ScanSource source, int start, int end, bool list = false)
    {
        string text = source.Text;
        var words = new List<Word>();
        end = Math.Min(end, text.Length);
        int i = Math.Max(0, start);
        while (i < end)
        {
            char c = text[i];
            if (char.IsWhiteSpace(c) || (list && c is '[' or ']' or ','))
            {
                i++;
                continue;
            }

            if (c == '\\' && i + 1 < end && text[i + 1] is '\n' or '\r')
            {
                i += 2;
                continue;
            }

            int wordStart = i;
            while (i < end)
            {
                c = text[i];
                if (char.IsWhiteSpace(c) || (list && c is ',' or ']'))
                {
                    break;
                }

                if (c == '\\')
                {
                    if (i + 1 < end && text[i + 1] is '\n' or '\r')
                    {
                        break;
                    }

                    i = Math.Min(end, i + 2);
                    continue;
                }

                if (c is '"' or '\'')
                {
                    i = QuoteEnd(text, i, end);
                    continue;
                }

                i++;
            }

            words.Add(new Word(source, wordStart, i));
        }

        return words;
    }

    /// <summary>The index after the quote that closes the one at <paramref name="open"/> (or <paramref name="end"/>).</summary>
    public static int QuoteEnd(string text, int open, int end)
    {
        char quote = text[open];
        for (int j = open + 1; j < end; j++)
        {
            if (quote == '"' && text[j] == '\\')
            {
                j++;
                continue;
            }

            if (text[j] == quote)
            {
                return j + 1;
            }
        }

        return end;
    }

    /// <summary>
    /// The word without its quoting, for matching option and program names; null for words over 256 characters,
    /// which are never either.
    /// </summary>
    public static string? Unquoted(Word word)
    {
        string text = word.Text;
        if (word.Length > 256)
        {
            return null;
        }

        var sb = new System.Text.StringBuilder(word.Length);
        char quote = '\0';
        for (int i = word.Start; i < word.End; i++)
        {
            char c = text[i];
            if (quote == '\0' && c is '"' or '\'')
            {
                quote = c;
                continue;
            }

            if (c == quote)
            {
                quote = '\0';
                continue;
            }

            if (c == '\\' && quote != '\'' && i + 1 < word.End)
            {
                i++;
                c = text[i];
                if (c is '"' or '\'' && quote == '\0')
                {
                    // \" inside a YAML or JSON string that is itself the command: a quote for the inner shell.
                    quote = c;
                    continue;
                }

                if (c == quote && quote != '\0')
                {
                    quote = '\0';
                    continue;
                }
            }

            sb.Append(c);
        }

        return sb.ToString();
    }

    /// <summary>
    /// Narrows [start, end) to the inside of one pair of quotes around the whole text ("x", 'x', or \"x\" inside a
    /// double-quoted YAML or JSON string). <paramref name="quote"/> is the quote removed, or '\0'.
    /// </summary>
    public static void StripQuotes(string text, ref int start, ref int end, out char quote)
    {
        quote = '\0';
        int length = end - start;
        if (length >= 4 && text[start] == '\\' && text[start + 1] is '"' or '\'' && text[end - 2] == '\\' && text[end - 1] == text[start + 1])
        {
            quote = text[start + 1];
            start += 2;
            end -= 2;
            return;
        }

        if (length >= 2 && text[start] is '"' or '\'' && text[end - 1] == text[start])
        {
            quote = text[start];
            start++;
            end--;
            return;
        }

        if (length >= 1 && text[start] is '"' or '\'')
        {
            // Unterminated on this line: take what follows the quote.
            quote = text[start];
            start++;
        }
    }
}
