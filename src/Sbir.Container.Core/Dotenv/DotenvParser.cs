using System.Text;
using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;
using Sbir.Container.Text;

namespace Sbir.Container.Dotenv;

/// <summary>
/// Reads .env files with docker compose's grammar (compose-go's dotenv reader): comments; an optional
/// <c>export</c> prefix; <c>KEY=value</c> and <c>KEY: value</c>; unquoted values to the end of the line
/// with ' #' starting a comment; 'single' quotes taken literally; "double" quotes with escapes and
/// multi-line values; a bare <c>KEY</c> taking the host's value; <c>$VAR</c>, <c>${VAR}</c>,
/// <c>${VAR:-d}</c>, <c>${VAR-d}</c>, <c>${VAR:?m}</c>, <c>${VAR?m}</c>, <c>${VAR:+a}</c> and <c>$$</c>
/// expanded from the host environment first, then from variables defined earlier in the file.
/// Where compose stops at the first error, this reader reports it with its line and goes on with the next line.
/// </summary>
public static partial class DotenvParser
{
    /// <summary>The largest .env file read: real ones are a few kilobytes, and a few megabytes of one line still parse in time.</summary>
    public const long MaxFileSize = IO.SafeFile.DefaultLimit;

    /// <summary>
    /// Reads <paramref name="path"/>; invalid UTF-8 and NUL bytes are reported, the rest is still read. A path that is
    /// not a regular file (a FIFO, /dev/zero), is too large or cannot be read gives an empty document with that error.
    /// </summary>
    public static DotenvDocument ParseFile(string path, Func<string, string?>? host = null)
    {
        var content = IO.SafeFile.Read(path, MaxFileSize);
        if (!content.Succeeded)
        {
            return new DotenvDocument(path, [], content.Error is { } error ? [error] : []);
        }

        byte[] bytes = content.Bytes!;
        var extra = new List<Diagnostic>();
        string text;
        try
        {
            text = new UTF8Encoding(false, true).GetString(bytes);
        }
        catch (DecoderFallbackException ex)
        {
            extra.Add(DiagnosticCatalog.EnvNotText.Create(path, SourceSpan.OnLine(LineOf(bytes, ex.Index)), $"invalid UTF-8 at byte {ex.Index}"));
            text = Encoding.UTF8.GetString(bytes);
        }

        int nul = Array.IndexOf(bytes, (byte)0);
        if (nul >= 0)
        {
            extra.Add(DiagnosticCatalog.EnvNotText.Create(path, SourceSpan.OnLine(LineOf(bytes, nul)), "it contains NUL bytes"));
            text = text.Replace('\0', ' ');
        }

        var document = Parse(text, path, host);
        return extra.Count == 0 ? document : new DotenvDocument(path, document.Entries, extra.Concat(document.Diagnostics).ToList());
    }

    /// <summary>
    /// <see cref="ParseFile"/> when something is at <paramref name="path"/> (a file, or a folder or FIFO that is then
    /// refused with its reason), null when nothing is.
    /// </summary>
    public static DotenvDocument? ParseFileIfPresent(string path, Func<string, string?>? host = null)
        => File.Exists(path) || Directory.Exists(path) ? ParseFile(path, host) : null;

    /// <summary>Parses .env text. <paramref name="host"/> gives the host environment (null: empty).</summary>
    public static DotenvDocument Parse(string text, string? path = null, Func<string, string?>? host = null)
    {
        host ??= static _ => null;
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = " " + text[1..];
        }

        var map = new LineMap(text);
        var entries = new List<DotenvEntry>();
        var diagnostics = new List<Diagnostic>();
        var fileValues = new Dictionary<string, string>(StringComparer.Ordinal);
        string? Lookup(string name) => host(name) ?? (fileValues.TryGetValue(name, out var v) ? v : null);

        int pos = 0;
        while (true)
        {
            pos = StatementStart(text, pos);
            if (pos < 0)
            {
                break;
            }

            int statementStart = pos;
            bool exported = false;
            if (string.CompareOrdinal(text, pos, "export", 0, 6) == 0)
            {
                // "export" is a prefix only when followed by space (exportFOO=1 is a variable).
                int after = pos + 6;
                if (after < text.Length && IsSpace(text[after]))
                {
                    exported = true;
                    pos = after;
                    while (pos < text.Length && IsSpace(text[pos]))
                    {
                        pos++;
                    }
                }
            }

            // The key runs to '=', ':' or the end of the line.
            int keyStart = pos;
            int k = pos;
            char? bad = null;
            while (k < text.Length && text[k] is not ('=' or ':' or '\n'))
            {
                char c = text[k];
                if (!IsSpace(c) && !(char.IsLetterOrDigit(c) || c is '_' or '.' or '-' or '[' or ']'))
                {
                    bad ??= c;
                }

                k++;
            }

            string rawKey = text[keyStart..k];
            string key = rawKey.TrimEnd();
            var keySpan = map.Span(keyStart, keyStart + Math.Max(1, key.Length));
            int lineEnd = text.IndexOf('\n', k);
            if (lineEnd < 0)
            {
                lineEnd = text.Length;
            }

            if (bad is { } badChar)
            {
                // The text before '=' may be a secret pasted on its own line: only a name-like start is shown.
                diagnostics.Add(DiagnosticCatalog.EnvInvalidName.Create(path, map.Span(text.IndexOf(badChar, keyStart), text.IndexOf(badChar, keyStart) + 1), badChar, NameHint(key)));
                pos = SkipLine(text, statementStart);
                continue;
            }

            if (key.Contains(' ') || key.Contains('\t'))
            {
                diagnostics.Add(DiagnosticCatalog.EnvNameWithSpace.Create(path, keySpan, NameHint(key), k >= text.Length || text[k] == '\n' ? " and the line has no '='" : string.Empty));
                pos = SkipLine(text, statementStart);
                continue;
            }

            if (k >= text.Length || text[k] == '\n')
            {
                // A bare KEY: the value comes from the host environment.
                string? inherited = host(key);
                entries.Add(new DotenvEntry(key, inherited, string.Empty, DotenvQuote.None, true, exported, keySpan, keySpan));
                if (inherited is not null)
                {
                    fileValues[key] = inherited;
                }

                pos = k >= text.Length ? text.Length : k + 1;
                continue;
            }

            int valueStart = k + 1;
            while (valueStart < text.Length && IsSpace(text[valueStart]))
            {
                valueStart++;
            }

            char quote = valueStart < text.Length ? text[valueStart] : '\0';
            string value;
            string raw;
            DotenvQuote kind;
            SourceSpan valueSpan;
            InterpolationError? error = null;
            if (quote is '"' or '\'')
            {
                if (!TryReadQuoted(text, valueStart, quote, out raw, out int close))
                {
                    diagnostics.Add(DiagnosticCatalog.EnvUnterminatedQuote.Create(path, map.Span(valueStart, lineEnd), key, quote == '"' ? "double" : "single"));
                    pos = SkipLine(text, statementStart);
                    continue;
                }

                kind = quote == '"' ? DotenvQuote.Double : DotenvQuote.Single;
                valueSpan = map.Span(valueStart, close + 1);
                value = kind == DotenvQuote.Double ? Interpolation.Substitute(ExpandEscapes(raw), Lookup, out error) : raw;
                pos = close + 1;

                // Whatever follows on the line: spaces and a comment are fine; anything else compose would
                // read as another statement.
                int restEnd = text.IndexOf('\n', pos);
                string rest = text[pos..(restEnd < 0 ? text.Length : restEnd)];
                string trimmedRest = rest.Trim();
                if (trimmedRest.Length > 0 && !trimmedRest.StartsWith('#'))
                {
                    diagnostics.Add(DiagnosticCatalog.EnvTextAfterQuote.Create(path, map.Span(pos, pos + rest.Length), key, trimmedRest.Length));
                }
            }
            else
            {
                int end = text.IndexOf('\n', valueStart);
                if (end < 0)
                {
                    end = text.Length;
                }

                raw = text[valueStart..end];
                int comment = raw.IndexOf(" #", StringComparison.Ordinal);
                if (comment >= 0)
                {
                    raw = raw[..comment];
                }

                raw = raw.TrimEnd();
                kind = DotenvQuote.None;
                valueSpan = map.Span(valueStart, valueStart + Math.Max(1, raw.Length));
                value = Interpolation.Substitute(raw, Lookup, out error);
                pos = end;
            }

            if (error is not null)
            {
                diagnostics.Add(DiagnosticCatalog.EnvInterpolationFailed.Create(path, valueSpan, key, error.Message));
            }

            entries.Add(new DotenvEntry(key, value, raw, kind, false, exported, keySpan, valueSpan));
            fileValues[key] = value;
        }

        return new DotenvDocument(path, entries, diagnostics);
    }

    /// <summary>
    /// Escapes in double-quoted values: \n, \r, \t and the other C escapes, \\ for a backslash,
    /// \$ for a literal dollar; a backslash before any other character is dropped.
    /// </summary>
    internal static string ExpandEscapes(string value)
    {
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c != '\\' || i + 1 >= value.Length)
            {
                sb.Append(c);
                continue;
            }

            char n = value[++i];
            sb.Append(n switch
            {
                'n' => "\n",
                'r' => "\r",
                't' => "\t",
                'a' => "\a",
                'b' => "\b",
                'f' => "\f",
                'v' => "\v",
                '$' => "$$",
                _ => n.ToString(),
            });
        }

        return sb.ToString();
    }

    /// <summary>Finds the end of a quoted value starting at <paramref name="start"/> (the opening quote).
    /// A quote preceded by a backslash does not close it; the backslash is dropped before that quote only.</summary>
    private static bool TryReadQuoted(string text, int start, char quote, out string raw, out int close)
    {
        var sb = new StringBuilder();
        bool escaped = false;
        for (int i = start + 1; i < text.Length; i++)
        {
            char c = text[i];
            if (c != quote)
            {
                if (!escaped && c == '\\')
                {
                    escaped = true;
                    continue;
                }

                if (escaped)
                {
                    escaped = false;
                    sb.Append('\\');
                }

                sb.Append(c);
                continue;
            }

            if (escaped)
            {
                escaped = false;
                sb.Append(c);
                continue;
            }

            raw = sb.ToString().Replace("\r\n", "\n");
            close = i;
            return true;
        }

        raw = string.Empty;
        close = -1;
        return false;
    }

    /// <summary>Skips whitespace, blank lines and comment lines; returns the start of the next statement or -1.</summary>
    private static int StatementStart(string text, int pos)
    {
        while (pos < text.Length)
        {
            while (pos < text.Length && char.IsWhiteSpace(text[pos]))
            {
                pos++;
            }

            if (pos >= text.Length)
            {
                return -1;
            }

            if (text[pos] != '#')
            {
                return pos;
            }

            int newline = text.IndexOf('\n', pos);
            if (newline < 0)
            {
                return -1;
            }

            pos = newline;
        }

        return -1;
    }

    private static int SkipLine(string text, int pos)
    {
        int newline = text.IndexOf('\n', pos);
        return newline < 0 ? text.Length : newline + 1;
    }

    private static bool IsSpace(char c) => c is '\t' or '\v' or '\f' or '\r' or ' ' or '\u0085' or '\u00A0';

    /// <summary>
    /// " 'NAME'" when the text starts with what looks like a variable name (upper case, digits, '_', up to
    /// 64 characters), else nothing: a malformed line may be a secret pasted on its own, never to be printed.
    /// </summary>
    private static string NameHint(string key)
    {
        int end = 0;
        while (end < key.Length && (char.IsAsciiLetterUpper(key[end]) || char.IsAsciiDigit(key[end]) || key[end] == '_'))
        {
            end++;
        }

        return end is > 0 and <= 64 && !char.IsAsciiDigit(key[0]) ? $" '{key[..end]}'" : string.Empty;
    }

    private static int LineOf(byte[] bytes, int offset)
    {
        int line = 1;
        for (int i = 0; i < offset && i < bytes.Length; i++)
        {
            if (bytes[i] == '\n')
            {
                line++;
            }
        }

        return line;
    }
}

/// <summary>Convenience: the values of a .env file, or an empty map when it is missing.</summary>
public static class DotenvValues
{
    /// <summary>Reads <paramref name="path"/> with no host environment; a missing file gives no values.</summary>
    public static IReadOnlyDictionary<string, string> Read(string path)
        => File.Exists(path) ? DotenvParser.ParseFile(path).Values : new Dictionary<string, string>();
}
