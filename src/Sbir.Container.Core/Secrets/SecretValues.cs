using Sbir.Container.Text;

namespace Sbir.Container.Secrets;

/// <summary>What a value written after a secret-named key or a password option is.</summary>
internal enum ValueKind
{
    /// <summary>Nothing to report: empty, null, a mask, a /run/secrets path, a reference or a template.</summary>
    Clean,

    /// <summary>A literal: the secret itself.</summary>
    Literal,

    /// <summary><c>${VAR}</c> or <c>$VAR</c>: fine in an environment, but compose expands it on the host inside commands.</summary>
    HostReference,

    /// <summary><c>$${VAR}</c>: compose passes <c>${VAR}</c> through for the container's shell.</summary>
    ContainerReference,

    /// <summary><c>${VAR:-literal}</c>: the default is a literal.</summary>
    LiteralDefault,
}

/// <summary>A classified value; offsets of the default are relative to the value.</summary>
internal readonly record struct ValueClass(ValueKind Kind, string? Variable = null, int DefaultStart = 0, int DefaultEnd = 0);

/// <summary>Classifies values and recognises placeholders.</summary>
internal static class SecretValues
{
    private static readonly string[] PlaceholderWords =
    [
        "changeme", "change-me", "change_me", "change me", "replaceme", "replace-me", "replace_me", "replace me",
        "example", "placeholder", "...", "\u2026",
    ];

    private static readonly string[] PlaceholderWholeWords = ["todo", "tbd", "fixme", "secret-here", "password-here"];

    /// <summary>
    /// Classifies <paramref name="value"/> (already without quotes). <paramref name="dollarIsLiteral"/>: single-quoted shell
    /// or .env text, or a shell word whose dollars are all escaped. <paramref name="composeEscapes"/>: a compose value
    /// outside commands, where '$$' is a literal '$' (neo4j/abc$$def is the literal neo4j/abc$def), unless the whole
    /// value is a reference the container's shell expands ($${VAR}).
    /// </summary>
    public static ValueClass Classify(string value, bool dollarIsLiteral = false, bool composeEscapes = false)
    {
        if (string.IsNullOrWhiteSpace(value) || IsNullLike(value) || IsMask(value)
            || value.StartsWith("/run/secrets/", StringComparison.Ordinal))
        {
            return new ValueClass(ValueKind.Clean);
        }

        if (!dollarIsLiteral)
        {
            if (value.StartsWith("$$", StringComparison.Ordinal))
            {
                return value.Length > 2 && (value[2] == '{' || IsNameStart(value[2]))
                    ? new ValueClass(ValueKind.ContainerReference)
                    : new ValueClass(ValueKind.Literal);
            }

            if (value[0] == '$')
            {
                if (value.StartsWith("${{", StringComparison.Ordinal))
                {
                    return new ValueClass(ValueKind.Clean);
                }

                var references = References(value);
                if (references.Count > 0 && references[0].Offset == 0 && references[0].Length == value.Length)
                {
                    var reference = references[0];
                    if (reference.HasDefault && !string.IsNullOrEmpty(reference.Argument)
                        && Classify(reference.Argument).Kind == ValueKind.Literal)
                    {
                        int start = 2 + reference.Name.Length + reference.Operator!.Length;
                        return new ValueClass(ValueKind.LiteralDefault, reference.Name, start, start + reference.Argument.Length);
                    }

                    return new ValueClass(ValueKind.HostReference, reference.Name);
                }

                return new ValueClass(ValueKind.Clean);
            }

            if (ContainsReference(composeEscapes ? value.Replace("$$", string.Empty, StringComparison.Ordinal) : value))
            {
                return new ValueClass(ValueKind.Clean);
            }
        }

        if (value.Contains("{{", StringComparison.Ordinal) || IsFormatTemplate(value))
        {
            return new ValueClass(ValueKind.Clean);
        }

        return new ValueClass(ValueKind.Literal);
    }

    /// <summary>
    /// Interpolation.References, skipped for absurd text (over 8 KiB with more than 64 openings), where its
    /// brace matching would take quadratic time.
    /// </summary>
    public static IReadOnlyList<VariableReference> References(string text)
    {
        if (text.Length > 8192 && CountOf(text, "${", 65) > 64)
        {
            return [];
        }

        return Interpolation.References(text);
    }

    /// <summary>True for documented placeholders: empty, change-me, replace-me, &lt;...&gt;, your-..., xxx, example, ..., TODO.</summary>
    public static bool IsPlaceholder(string value)
    {
        string v = value.Trim().Trim('"', '\'').Trim();
        if (v.Length == 0 || IsMask(v))
        {
            return true;
        }

        string lower = v.ToLowerInvariant();
        if (PlaceholderWords.Any(w => lower.Contains(w, StringComparison.Ordinal)) || PlaceholderWholeWords.Contains(lower))
        {
            return true;
        }

        if ((v[0] == '<' && v[^1] == '>') || lower.StartsWith("your", StringComparison.Ordinal))
        {
            return true;
        }

        int xs = lower.Count(c => c == 'x');
        return xs >= 3 && lower.All(c => c is 'x' or '-' or '_' or '*' or '.');
    }

    /// <summary>
    /// True when an example-file value looks like a real secret rather than a placeholder: a provider token, 20
    /// characters or more, or 8 or more that mix lower-case letters with capitals, digits or symbols.
    /// </summary>
    public static bool LooksReal(string value, out string reason)
    {
        reason = string.Empty;
        if (IsPlaceholder(value))
        {
            return false;
        }

        if (ProviderTokens.KindOf(value) is { } kind)
        {
            reason = string.Format(System.Globalization.CultureInfo.InvariantCulture, Diagnostics.DiagnosticCatalog.SecretTexts.LooksLikeToken, kind);
            return true;
        }

        if (value.Length >= 20)
        {
            reason = Diagnostics.DiagnosticCatalog.SecretTexts.LooksLong;
            return true;
        }

        int classes = (value.Any(char.IsAsciiLetterLower) ? 1 : 0) + (value.Any(char.IsAsciiLetterUpper) ? 1 : 0)
            + (value.Any(char.IsAsciiDigit) ? 1 : 0) + (value.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('_' or '-' or '.' or ' ')) ? 1 : 0);
        if (value.Length >= 8 && classes >= 2)
        {
            reason = Diagnostics.DiagnosticCatalog.SecretTexts.LooksMixed;
            return true;
        }

        return false;
    }

    /// <summary>
    /// Finds the password in a *_AUTH value: after the first top-level '/' (neo4j/secret[/true]) or else ':'
    /// (admin:secret), or the whole value. Returns false for 'none' (Neo4j's "no authentication") and empty passwords.
    /// <paramref name="prefix"/> is what precedes the password, for the suggested fix (the user when it is a plain name).
    /// </summary>
    public static bool TrySplitAuth(string value, out int start, out int end, out string prefix)
    {
        start = 0;
        end = value.Length;
        prefix = string.Empty;
        if (value.Equals("none", StringComparison.OrdinalIgnoreCase))
        {
            return false;
        }

        int separator = TopLevelIndexOf(value, '/');
        if (separator < 0)
        {
            separator = TopLevelIndexOf(value, ':');
        }

        if (separator >= 0)
        {
            string user = value[..separator];
            prefix = (IsPlainName(user) ? user : "<user>") + value[separator];
            start = separator + 1;
            foreach (string flag in new[] { "/true", "/false" })
            {
                if (end - start > flag.Length && value.EndsWith(flag, StringComparison.OrdinalIgnoreCase))
                {
                    end -= flag.Length;
                }
            }
        }

        return end > start;
    }

    /// <summary>Index of <paramref name="c"/> outside <c>${...}</c>, or -1.</summary>
    public static int TopLevelIndexOf(string value, char c, int from = 0)
    {
        int depth = 0;
        for (int i = from; i < value.Length; i++)
        {
            if (value[i] == '$' && i + 1 < value.Length && value[i + 1] == '{')
            {
                depth++;
                i++;
                continue;
            }

            if (value[i] == '}' && depth > 0)
            {
                depth--;
                continue;
            }

            if (depth == 0 && value[i] == c)
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>True for a user or host name that can be shown in a message: letters, digits, '.', '_', '-', at most 64.</summary>
    public static bool IsPlainName(string text)
        => text.Length is > 0 and <= 64 && text.All(c => char.IsAsciiLetterOrDigit(c) || c is '.' or '_' or '-');

    /// <summary>True when the text holds a shell or compose reference: $NAME, ${...}, $(...), $1, $$NAME, or backticks.</summary>
    public static bool ContainsReference(string value)
    {
        for (int i = 0; i < value.Length; i++)
        {
            char c = value[i];
            if (c == '`')
            {
                return true;
            }

            if (c == '$' && i + 1 < value.Length)
            {
                char n = value[i + 1];
                if (n is '{' or '(' or '$' || IsNameStart(n) || char.IsAsciiDigit(n))
                {
                    return true;
                }
            }
        }

        return false;
    }

    public static bool IsNameStart(char c) => c == '_' || char.IsAsciiLetter(c);

    public static bool IsNameChar(char c) => c == '_' || char.IsAsciiLetterOrDigit(c);

    private static bool IsNullLike(string value)
        => value is "~" || value.Equals("null", StringComparison.OrdinalIgnoreCase)
            || value.Equals("true", StringComparison.OrdinalIgnoreCase) || value.Equals("false", StringComparison.OrdinalIgnoreCase);

    private static bool IsMask(string value) => value.Length > 0 && value.All(c => c == '*');

    /// <summary>A format-string placeholder standing for the value: {password}, %(password)s, %s.</summary>
    private static bool IsFormatTemplate(string value)
    {
        if (value.Length >= 3 && value[0] == '{' && value[^1] == '}' && value[1..^1].All(c => IsNameChar(c) || c == '.'))
        {
            return true;
        }

        return value is "%s" or "%d" || (value.StartsWith("%(", StringComparison.Ordinal) && value.EndsWith(")s", StringComparison.Ordinal));
    }

    private static int CountOf(string text, string what, int stopAt)
    {
        int count = 0;
        int i = 0;
        while (count < stopAt && (i = text.IndexOf(what, i, StringComparison.Ordinal)) >= 0)
        {
            count++;
            i += what.Length;
        }

        return count;
    }
}
