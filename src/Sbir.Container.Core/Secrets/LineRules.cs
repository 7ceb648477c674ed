using System.Text.RegularExpressions;

namespace Sbir.Container.Secrets;

/// <summary>
/// The rules that need no structure, run over every line that is not a comment, whatever the file:
/// literal defaults in <c>${VAR:-default}</c> / <c>${VAR-default}</c> (nested ones included, and <c>$${VAR:-default}</c>
/// passed to the container's shell), shell's <c>${VAR:=default}</c> in scripts, and credentials in URLs of any scheme.
/// </summary>
internal static class LineRules
{
    /// <summary>Lines longer than this get the linear rules only (URLs, provider tokens), not interpolation parsing.</summary>
    private const int MaxInterpolatedLine = 65536;

    public static void Scan(ScanContext ctx)
    {
        string text = ctx.Text;
        bool shellDefaults = ctx.Kind is SecretFileKind.Shell or SecretFileKind.Generic or SecretFileKind.Dockerfile;
        for (int line = 1; line <= ctx.Lines.LineCount; line++)
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

            if (end - start <= MaxInterpolatedLine && text.IndexOf('$', p, end - p) >= 0)
            {
                Defaults(ctx, start, end, line, shellDefaults);
            }

            if (text.IndexOf("://", p, end - p, StringComparison.Ordinal) >= 0)
            {
                Urls(ctx, p, end);
            }
        }
    }

    private static void Defaults(ScanContext ctx, int start, int end, int line, bool shellDefaults)
    {
        // "$$" is compose's escape for a '$' the container's shell expands: $${VAR:-default} is still a committed default.
        string content = ctx.Text[start..end].Replace("$$", " $", StringComparison.Ordinal);
        bool command = ctx.IsCommandLine(line);
        foreach (var reference in SecretValues.References(content))
        {
            if (reference.HasDefault && reference.Argument is { Length: > 0 } argument)
            {
                int argumentStart = start + reference.Offset + 2 + reference.Name.Length + reference.Operator!.Length;
                ctx.LiteralDefault(reference.Name, reference.Operator, argument, argumentStart, command);
            }
        }

        if (shellDefaults && content.Contains('=', StringComparison.Ordinal))
        {
            foreach (Match match in ShellAssignDefault().Matches(content))
            {
                var argument = match.Groups["arg"];
                ctx.LiteralDefault(match.Groups["name"].Value, match.Groups["op"].Value, argument.Value, start + argument.Index, false);
            }
        }
    }

    /// <summary>scheme://user:password@host for any scheme; the password may not be a reference, a mask or a template.</summary>
    private static void Urls(ScanContext ctx, int start, int end)
    {
        string text = ctx.Text;
        int index = start;
        while (index < end && (index = text.IndexOf("://", index, end - index, StringComparison.Ordinal)) >= 0)
        {
            int schemeStart = index;
            while (schemeStart > start && index - schemeStart < 32 && IsSchemeChar(text[schemeStart - 1]))
            {
                schemeStart--;
            }

            while (schemeStart < index && !char.IsAsciiLetter(text[schemeStart]))
            {
                schemeStart++;
            }

            int authorityStart = index + 3;
            if (schemeStart == index)
            {
                index = authorityStart;
                continue;
            }

            int limit = Math.Min(end, authorityStart + 2048);
            int k = authorityStart;
            int depth = 0;
            int at = -1;
            while (k < limit)
            {
                char c = text[k];
                if (c == '$' && k + 1 < limit && text[k + 1] == '{')
                {
                    depth++;
                    k += 2;
                    continue;
                }

                if (c == '}' && depth > 0)
                {
                    depth--;
                }
                else if (depth == 0)
                {
                    if (char.IsWhiteSpace(c) || c is '/' or '?' or '#' or '"' or '\'' or '`' or '<' or '>' or '\\' or ',' or ']' or ')' or ';' or '|')
                    {
                        break;
                    }

                    if (c == '@')
                    {
                        at = k;
                    }
                }

                k++;
            }

            index = Math.Max(k, authorityStart);
            if (at < 0)
            {
                continue;
            }

            string userInfo = text[authorityStart..at];
            int colon = SecretValues.TopLevelIndexOf(userInfo, ':');
            if (colon < 0 || colon == userInfo.Length - 1)
            {
                continue;
            }

            int passwordStart = authorityStart + colon + 1;
            string password = text[passwordStart..at];
            string scheme = text[schemeStart..(authorityStart - 3)];
            string host = text[(at + 1)..k];
            var kind = SecretValues.Classify(password);
            if (kind.Kind == ValueKind.Literal)
            {
                ctx.UrlPassword(scheme, host, passwordStart, at);
            }
            else if (kind.Kind == ValueKind.LiteralDefault && !ctx.IsSecretName(kind.Variable))
            {
                ctx.UrlPassword(scheme, host, passwordStart + kind.DefaultStart, passwordStart + kind.DefaultEnd);
            }
        }
    }

    private static bool IsSchemeChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '+' or '.' or '-';

    // Without backtracking: a long line of unclosed "${A:=" openings stays linear.
    private static readonly Regex ShellAssignDefaultPattern = new(@"\$\{(?<name>[A-Za-z_][A-Za-z0-9_]*)(?<op>:?=)(?<arg>[^}$]*)\}", RegexOptions.CultureInvariant | RegexOptions.NonBacktracking);

    private static Regex ShellAssignDefault() => ShellAssignDefaultPattern;
}
