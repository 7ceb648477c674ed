namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Variable references in Dockerfile text (<c>$NAME</c>, <c>${NAME}</c>, <c>${NAME:-default}</c>).</summary>
internal static class Variables
{
    /// <summary>
    /// The first variable of <paramref name="text"/> that has no value (or an empty one) in
    /// <paramref name="values"/> and no default (<c>${NAME:-default}</c>), written as in the text; null when all resolve.
    /// </summary>
    public static string? FirstUnresolved(string text, IReadOnlyDictionary<string, string> values)
    {
        for (int i = 0; i < text.Length; i++)
        {
            if (text[i] != '$' || i + 1 >= text.Length)
            {
                continue;
            }

            if (text[i + 1] == '{')
            {
                int close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    return text[i..];
                }

                string inner = text[(i + 2)..close];
                int op = inner.IndexOfAny([':', '-', '+', '?', '=']);
                string name = op < 0 ? inner : inner[..op];
                bool hasDefault = op >= 0 && inner[op..].TrimStart(':').StartsWith('-') && inner.Length > op + 1;
                bool conditional = op >= 0 && inner[op..].TrimStart(':').StartsWith('+');
                if (!hasDefault && !conditional && !HasValue(name, values))
                {
                    return text[i..(close + 1)];
                }

                i = close;
                continue;
            }

            int j = i + 1;
            while (j < text.Length && (char.IsAsciiLetterOrDigit(text[j]) || text[j] == '_'))
            {
                j++;
            }

            if (j > i + 1 && !HasValue(text[(i + 1)..j], values))
            {
                return text[i..j];
            }

            i = j - 1;
        }

        return null;
    }

    /// <summary>The name inside a reference returned by <see cref="FirstUnresolved"/> (<c>${A:-x}</c> is A).</summary>
    public static string NameOf(string reference)
    {
        string inner = reference.TrimStart('$').TrimStart('{').TrimEnd('}');
        int op = inner.IndexOfAny([':', '-', '+', '?', '=']);
        return op < 0 ? inner : inner[..op];
    }

    /// <summary>True when the text holds anything besides variable references: literal characters or a non-empty default.</summary>
    public static bool HasLiteral(string text)
    {
        for (int i = 0; i < text.Length; i++)
        {
            char c = text[i];
            if (c != '$' || i + 1 >= text.Length)
            {
                if (!char.IsWhiteSpace(c))
                {
                    return true;
                }

                continue;
            }

            if (text[i + 1] == '{')
            {
                int close = text.IndexOf('}', i + 2);
                if (close < 0)
                {
                    return true;
                }

                string inner = text[(i + 2)..close];
                int op = inner.IndexOfAny([':', '-', '+', '?', '=']);
                if (op >= 0 && inner[op..].TrimStart(':').Length > 1 && inner[op..].TrimStart(':')[0] is '-' or '=' or '+')
                {
                    // ${NAME:-literal}: the default is a literal unless it is itself a reference.
                    string word = inner[op..].TrimStart(':')[1..];
                    if (HasLiteral(word))
                    {
                        return true;
                    }
                }

                i = close;
                continue;
            }

            int j = i + 1;
            while (j < text.Length && (char.IsAsciiLetterOrDigit(text[j]) || text[j] == '_'))
            {
                j++;
            }

            if (j == i + 1)
            {
                return true;
            }

            i = j - 1;
        }

        return false;
    }

    private static bool HasValue(string name, IReadOnlyDictionary<string, string> values)
        => values.TryGetValue(name, out string? value) && value.Length > 0;
}
