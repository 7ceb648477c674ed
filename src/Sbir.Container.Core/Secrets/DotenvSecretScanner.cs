using Sbir.Container.Dotenv;

namespace Sbir.Container.Secrets;

/// <summary>
/// Reads .env files with <see cref="DotenvParser"/> (compose's grammar: quotes, multi-line values, export, KEY: value),
/// so values are found exactly where compose would read them. Absurd files (a line over 16 KiB or with more than 64
/// interpolations), where the parser's expansion could take quadratic time, are read line by line as shell instead.
/// </summary>
internal static class DotenvSecretScanner
{
    public static void Scan(ScanContext ctx)
    {
        if (!Reasonable(ctx))
        {
            ShellSecretScanner.Scan(ctx, ValueSite.Dotenv);
            return;
        }

        var document = DotenvParser.Parse(ctx.Text, ctx.Path);
        foreach (var entry in document.Entries)
        {
            if (entry.Inherited || !entry.ValueSpan.HasPosition)
            {
                continue;
            }

            int start = Offset(ctx, entry.ValueSpan.Line, entry.ValueSpan.Column);
            int end;
            if (entry.Quote == DotenvQuote.None)
            {
                end = start + entry.RawValue.Length;
            }
            else
            {
                end = Offset(ctx, entry.ValueSpan.EndLine, entry.ValueSpan.EndColumn);
                start++;
            }

            if (start < 0 || end > ctx.Text.Length || end <= start)
            {
                continue;
            }

            ctx.Assignment(entry.Key, start, end, ValueSite.Dotenv, dollarIsLiteral: entry.Quote == DotenvQuote.Single);
            ShellSecretScanner.Scan(ctx, ctx.File.Slice(start, end), ValueSite.Dotenv, commandContext: false, requireProgram: true);
        }
    }

    private static int Offset(ScanContext ctx, int line, int column) => ctx.Lines.Offset(line, column);

    private static bool Reasonable(ScanContext ctx)
    {
        for (int line = 1; line <= ctx.Lines.LineCount; line++)
        {
            var (start, end) = ctx.LineBounds(line);
            if (end - start > 16384)
            {
                return false;
            }

            int openings = 0;
            for (int i = ctx.Text.IndexOf("${", start, end - start, StringComparison.Ordinal); i >= 0 && i < end; i = ctx.Text.IndexOf("${", i + 2, end - i - 2, StringComparison.Ordinal))
            {
                if (++openings > 64)
                {
                    return false;
                }

                if (i + 2 >= end)
                {
                    break;
                }
            }
        }

        return true;
    }
}
