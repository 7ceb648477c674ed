using System.Text;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>A word of an instruction's text: its value with quotes and escapes removed, and where it is in <see cref="DockerfileInstruction.Text"/>.</summary>
/// <param name="Value">The word as the shell or docker reads it.</param>
/// <param name="Start">Offset of the first character in the text it was read from; -1 when unknown (exec form).</param>
/// <param name="Length">Length in that text.</param>
/// <param name="Expands">True when the shell expands part of it: a '$' or '`' that no backslash escapes and no single
/// quote protects. A word without one is a literal, whatever '$' it holds ("abc\$def" is the literal abc$def).</param>
internal readonly record struct TextWord(string Value, int Start, int Length, bool Expands = false)
{
    /// <summary>The offset just after the word.</summary>
    public int End => Start + Length;
}

/// <summary>
/// Positions and words inside an instruction. The parser joins continuation lines and keeps no raw
/// lines, so the column of a part of the text is exact for an instruction on one line and falls back
/// to the span of the whole instruction otherwise.
/// </summary>
internal static class InstructionText
{
    /// <summary>The offset of <see cref="DockerfileInstruction.Arguments"/> inside <see cref="DockerfileInstruction.Text"/> (the flags come first).</summary>
    public static int ArgumentsOffset(DockerfileInstruction instruction)
        => Math.Max(0, instruction.Text.Length - instruction.Arguments.Length);

    /// <summary>The span of <paramref name="length"/> characters at <paramref name="offset"/> of the instruction's text, or the instruction's span when that place is not known exactly.</summary>
    public static SourceSpan Locate(DockerfileInstruction instruction, int offset, int length)
    {
        SourceSpan span = instruction.Span;
        string text = instruction.Text;
        if (offset < 0 || length <= 0 || offset + length > text.Length || span.Line != span.EndLine || instruction.Heredocs.Count > 0)
        {
            return span;
        }

        // The line is: indentation, keyword, at least one blank, the text (trailing blanks are assumed absent).
        int textColumn = span.EndColumn - text.Length + 1;
        if (textColumn < span.Column + instruction.Keyword.Length + 1)
        {
            return span;
        }

        return new SourceSpan(span.Line, textColumn + offset, span.Line, textColumn + offset + length - 1);
    }

    /// <summary>The span of a word of the instruction's text.</summary>
    public static SourceSpan Locate(DockerfileInstruction instruction, TextWord word) => Locate(instruction, word.Start, word.Length);

    /// <summary>The span of a flag (<c>--from=builder</c>), or the instruction's span.</summary>
    public static SourceSpan LocateFlag(DockerfileInstruction instruction, InstructionFlag flag)
    {
        string token = "--" + flag.Name + (flag.Value is null ? string.Empty : "=" + flag.Value);
        int at = instruction.Text.IndexOf(token, StringComparison.Ordinal);
        return at < 0 ? instruction.Span : Locate(instruction, at, token.Length);
    }

    /// <summary>
    /// Splits text into words the way docker reads ARG, ENV, COPY and USER arguments: blanks separate words,
    /// single and double quotes group, the escape character escapes the next character.
    /// </summary>
    public static List<TextWord> Words(string text, int baseOffset = 0, char escape = '\\')
    {
        var words = new List<TextWord>();
        int i = 0;
        var value = new StringBuilder();
        while (i < text.Length)
        {
            while (i < text.Length && char.IsWhiteSpace(text[i]))
            {
                i++;
            }

            if (i >= text.Length)
            {
                break;
            }

            int start = i;
            value.Clear();
            while (i < text.Length && !char.IsWhiteSpace(text[i]))
            {
                char c = text[i];
                if (c == '"' || c == '\'')
                {
                    int close = i + 1;
                    while (close < text.Length && text[close] != c)
                    {
                        if (c == '"' && text[close] == escape && close + 1 < text.Length)
                        {
                            close++;
                        }

                        close++;
                    }

                    for (int k = i + 1; k < Math.Min(close, text.Length); k++)
                    {
                        if (c == '"' && text[k] == escape && k + 1 < close)
                        {
                            k++;
                        }

                        value.Append(text[k]);
                    }

                    i = Math.Min(close + 1, text.Length);
                    continue;
                }

                if (c == escape && i + 1 < text.Length)
                {
                    value.Append(text[i + 1]);
                    i += 2;
                    continue;
                }

                value.Append(c);
                i++;
            }

            words.Add(new TextWord(value.ToString(), baseOffset + start, i - start));
        }

        return words;
    }

    /// <summary>A name=value pair of ARG or ENV, with the place of the name.</summary>
    /// <param name="Name">The variable name.</param>
    /// <param name="Value">The value with quotes removed, or null for <c>ARG NAME</c> without a default.</param>
    /// <param name="NameWord">Where the name is, as a word of the instruction's text.</param>
    internal readonly record struct Assignment(string Name, string? Value, TextWord NameWord);

    /// <summary>The assignments of an ARG (<c>ARG A=1 B</c>) or ENV (<c>ENV A=1 B="2 3"</c> or the legacy <c>ENV A value with blanks</c>).</summary>
    public static List<Assignment> Assignments(DockerfileInstruction instruction, char escape = '\\')
    {
        var result = new List<Assignment>();
        string text = instruction.Text;
        var words = Words(text, 0, escape);
        if (words.Count == 0)
        {
            return result;
        }

        if (instruction.Keyword == "ENV" && !words[0].Value.Contains('='))
        {
            // Legacy form: ENV NAME the rest of the line.
            TextWord name = words[0];
            string rest = text[name.End..].Trim();
            string legacy = words.Count > 1 ? string.Join(' ', words.Skip(1).Select(w => w.Value)) : rest;
            result.Add(new Assignment(name.Value, legacy, name));
            return result;
        }

        foreach (var word in words)
        {
            int eq = word.Value.IndexOf('=');
            if (eq == 0)
            {
                continue;
            }

            if (eq < 0)
            {
                result.Add(new Assignment(word.Value, null, word));
                continue;
            }

            // The name never has quotes, so its length in the text is its length.
            result.Add(new Assignment(word.Value[..eq], word.Value[(eq + 1)..], new TextWord(word.Value[..eq], word.Start, eq)));
        }

        return result;
    }

    /// <summary>The sources and destination of COPY or ADD (JSON form included), heredoc sources left out.</summary>
    public static (List<TextWord> Sources, TextWord? Destination) CopyArguments(DockerfileInstruction instruction, char escape = '\\')
    {
        string arguments = instruction.Arguments.Trim();
        List<TextWord> words;
        if (arguments.StartsWith('['))
        {
            words = [];
            try
            {
                var json = System.Text.Json.JsonSerializer.Deserialize<string[]>(arguments);
                if (json is not null)
                {
                    words.AddRange(json.Where(s => s is not null).Select(s => new TextWord(s, -1, 0)));
                }
            }
            catch (System.Text.Json.JsonException)
            {
                words = Words(instruction.Arguments, ArgumentsOffset(instruction), escape);
            }
        }
        else
        {
            words = Words(instruction.Arguments, ArgumentsOffset(instruction), escape);
        }

        if (words.Count < 2)
        {
            return ([], null);
        }

        var sources = words.Take(words.Count - 1).Where(w => !w.Value.StartsWith("<<", StringComparison.Ordinal)).ToList();
        return (sources, words[^1]);
    }

    /// <summary>The key=value parts of every <c>--mount</c> flag of a RUN, keys without case.</summary>
    public static List<Dictionary<string, string>> Mounts(DockerfileInstruction instruction)
        => instruction.Flags
            .Where(f => f.Name.Equals("mount", StringComparison.OrdinalIgnoreCase) && f.Value is not null)
            .Select(f => ParseMount(f.Value!))
            .ToList();

    /// <summary>The key=value parts of one <c>--mount</c> value (<c>type=cache,target=/root/.cache/pip</c>).</summary>
    public static Dictionary<string, string> ParseMount(string value)
    {
        var parts = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (string part in value.Split(','))
        {
            int eq = part.IndexOf('=');
            string key = (eq < 0 ? part : part[..eq]).Trim().Trim('"');
            string partValue = eq < 0 ? "true" : part[(eq + 1)..].Trim().Trim('"');
            if (key.Length > 0)
            {
                parts[key] = partValue;
            }
        }

        return parts;
    }

    /// <summary>The target of a mount (target, dst or destination).</summary>
    public static string? MountTarget(IReadOnlyDictionary<string, string> mount)
        => mount.TryGetValue("target", out string? t) ? t : mount.TryGetValue("dst", out t) ? t : mount.TryGetValue("destination", out t) ? t : null;

    /// <summary>True for <c>type=cache</c> and <c>type=tmpfs</c> mounts, which keep their files out of the layer.</summary>
    public static bool IsCacheOrTmpfs(IReadOnlyDictionary<string, string> mount)
        => mount.TryGetValue("type", out string? type) && (type.Equals("cache", StringComparison.OrdinalIgnoreCase) || type.Equals("tmpfs", StringComparison.OrdinalIgnoreCase));
}
