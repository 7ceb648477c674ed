namespace Sbir.Container.Secrets;

/// <summary>
/// Reads shell scripts by logical line (backslash continuations joined, comments dropped): NAME=value words
/// (export, local, inline env of a command) are key-aware assignments, and every line is a command line.
/// </summary>
internal static class ShellSecretScanner
{
    public static void Scan(ScanContext ctx, ValueSite site = ValueSite.Shell)
        => ScanLines(ctx, 1, ctx.Lines.LineCount, site, commandContext: false, requireProgram: false);

    /// <summary>Scans lines <paramref name="first"/> to <paramref name="lineCount"/> (a whole script, or a YAML run: | block).</summary>
    public static void ScanLines(ScanContext ctx, int first, int lineCount, ValueSite site, bool commandContext, bool requireProgram)
    {
        string text = ctx.Text;
        for (int line = first; line <= lineCount; line++)
        {
            var (start, end) = ctx.LineBounds(line);
            int p = start;
            while (p < end && char.IsWhiteSpace(text[p]))
            {
                p++;
            }

            if (p >= end || text[p] == '#')
            {
                continue;
            }

            int last = line;
            int logicalEnd = end;
            while (EndsWithBackslash(text, ctx.LineBounds(last).Start, logicalEnd) && last < lineCount && last - line < 10000)
            {
                last++;
                logicalEnd = ctx.LineBounds(last).End;
            }

            CommandScanner.Scan(ctx, CommandWords.Split(ctx.File, p, logicalEnd, shellComments: true), assignments: !requireProgram, commandContext, site, requireProgram);
            line = last;
        }
    }

    private static bool EndsWithBackslash(string text, int start, int end)
    {
        int backslashes = 0;
        for (int i = end - 1; i >= start && text[i] == '\\'; i--)
        {
            backslashes++;
        }

        return backslashes % 2 == 1;
    }
}
