using System.Text;
using System.Text.RegularExpressions;

namespace Sbir.Container.Context;

/// <summary>
/// A .dockerignore pattern (or one segment of a COPY source) as a matcher of slash paths, with docker's meaning:
/// <c>*</c> any run of characters but '/', <c>?</c> one character but '/', <c>**</c> any number of whole segments,
/// <c>\</c> escapes the next character, <c>[...]</c> a character class. <see cref="ToRegex"/> is the definition; a
/// pattern without a class is matched by a small glob matcher that gives the same answers without building a regular
/// expression (a .dockerignore of forty lines cost a no-op build 4-8 ms in Regex construction, twice).
/// </summary>
public sealed class PathPattern
{
    private readonly Token[]? _tokens;
    private readonly Regex? _regex;

    private PathPattern(Token[]? tokens, Regex? regex)
    {
        _tokens = tokens;
        _regex = regex;
    }

    /// <summary>Compiles <paramref name="pattern"/>: a glob when it has no character class, else its regular expression.</summary>
    public static PathPattern Compile(string pattern)
        => pattern.Contains('[') ? new PathPattern(null, ToRegex(pattern)) : new PathPattern(Tokenize(pattern), null);

    /// <summary>True when the whole of <paramref name="path"/> matches.</summary>
    public bool IsMatch(string path) => _regex?.IsMatch(path) ?? Match(_tokens!, 0, path, 0);

    private enum Kind
    {
        Literal,
        OneCharacter,
        AnyInSegment,
        AnyRest,
        AnyDirectories,
    }

    // A class, not a struct: generic code over reference types is precompiled once for all of them, while a List of a
    // struct of this assembly is compiled on the spot in every build that reads a .dockerignore.
    private sealed record Token(Kind Kind, string Text);

    /// <summary>The tokens of a pattern without a class, read exactly as <see cref="ToRegex"/> reads it.</summary>
    private static Token[] Tokenize(string pattern)
    {
        var tokens = new List<Token>();
        var literal = new StringBuilder();
        void Flush()
        {
            if (literal.Length > 0)
            {
                tokens.Add(new Token(Kind.Literal, literal.ToString()));
                literal.Clear();
            }
        }

        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    Flush();
                    if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        i++;
                        if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                        {
                            i++;
                        }

                        tokens.Add(new Token(i + 1 >= pattern.Length ? Kind.AnyRest : Kind.AnyDirectories, string.Empty));
                    }
                    else
                    {
                        tokens.Add(new Token(Kind.AnyInSegment, string.Empty));
                    }

                    break;
                case '?':
                    Flush();
                    tokens.Add(new Token(Kind.OneCharacter, string.Empty));
                    break;
                case '\\':
                    literal.Append(i + 1 < pattern.Length ? pattern[++i] : '\\');
                    break;
                default:
                    literal.Append(c);
                    break;
            }
        }

        Flush();
        return tokens.ToArray();
    }

    /// <summary>
    /// Backtracking match of tokens[t..] against path[p..]. As in the regular expression, '.' (in '**') does not match a
    /// line feed and '[^/]' (in '*' and '?') does.
    /// </summary>
    private static bool Match(Token[] tokens, int t, string path, int p)
    {
        while (t < tokens.Length)
        {
            var token = tokens[t];
            switch (token.Kind)
            {
                case Kind.Literal:
                    if (path.Length - p < token.Text.Length || string.CompareOrdinal(path, p, token.Text, 0, token.Text.Length) != 0)
                    {
                        return false;
                    }

                    p += token.Text.Length;
                    t++;
                    break;
                case Kind.OneCharacter:
                    if (p >= path.Length || path[p] == '/')
                    {
                        return false;
                    }

                    p++;
                    t++;
                    break;
                case Kind.AnyInSegment:
                    for (int k = p; ; k++)
                    {
                        if (Match(tokens, t + 1, path, k))
                        {
                            return true;
                        }

                        if (k >= path.Length || path[k] == '/')
                        {
                            return false;
                        }
                    }

                case Kind.AnyRest:
                    // Only ever the last token ('**' at the end).
                    return path.IndexOf('\n', p) < 0;
                case Kind.AnyDirectories:
                    // '(.*/)?': nothing, or any run ending in '/'.
                    if (Match(tokens, t + 1, path, p))
                    {
                        return true;
                    }

                    for (int k = p; k < path.Length && path[k] != '\n'; k++)
                    {
                        if (path[k] == '/' && Match(tokens, t + 1, path, k + 1))
                        {
                            return true;
                        }
                    }

                    return false;
            }
        }

        return p == path.Length;
    }

    /// <summary>The pattern as a regular expression: the definition of what it matches, used for character classes.</summary>
    internal static Regex ToRegex(string pattern)
    {
        var regex = new StringBuilder("^");
        for (int i = 0; i < pattern.Length; i++)
        {
            char c = pattern[i];
            switch (c)
            {
                case '*':
                    if (i + 1 < pattern.Length && pattern[i + 1] == '*')
                    {
                        i++;
                        if (i + 1 < pattern.Length && pattern[i + 1] == '/')
                        {
                            i++;
                        }

                        regex.Append(i + 1 >= pattern.Length ? ".*" : "(.*/)?");
                    }
                    else
                    {
                        regex.Append("[^/]*");
                    }

                    break;
                case '?':
                    regex.Append("[^/]");
                    break;
                case '\\':
                    if (i + 1 < pattern.Length)
                    {
                        i++;
                        regex.Append(Regex.Escape(pattern[i].ToString()));
                    }
                    else
                    {
                        regex.Append(@"\\");
                    }

                    break;
                case '[':
                    int close = pattern.IndexOf(']', i + 1);
                    if (close > i + 1)
                    {
                        string set = pattern[(i + 1)..close];
                        if (set.StartsWith('!'))
                        {
                            set = "^" + set[1..];
                        }

                        regex.Append('[').Append(set.Replace("\\", "\\\\")).Append(']');
                        i = close;
                    }
                    else
                    {
                        regex.Append(@"\[");
                    }

                    break;
                default:
                    regex.Append(Regex.Escape(c.ToString()));
                    break;
            }
        }

        // \z, not $: docker's Go regexp ends a pattern at the end of the text, where .NET's $ also matches before a final line feed.
        regex.Append(@"\z");
        try
        {
            return new Regex(regex.ToString(), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(1));
        }
        catch (ArgumentException)
        {
            // A malformed character class: docker would reject the pattern; match it literally instead of failing.
            return new Regex("^" + Regex.Escape(pattern) + @"\z", RegexOptions.CultureInvariant);
        }
    }

}
