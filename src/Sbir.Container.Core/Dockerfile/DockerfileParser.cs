using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile;

/// <summary>
/// Reads a Dockerfile the way BuildKit's parser does: parser directives, comments (also between
/// continuation lines), line continuations with the escape character, heredocs on RUN/COPY/ADD, flags,
/// exec form. It never throws on bad input: problems come back as diagnostics with exact lines, and
/// everything readable is still returned.
/// </summary>
public static partial class DockerfileParser
{
    /// <summary>Every instruction docker knows.</summary>
    public static readonly IReadOnlySet<string> KnownInstructions = new HashSet<string>(StringComparer.Ordinal)
    {
        "FROM", "RUN", "CMD", "LABEL", "MAINTAINER", "EXPOSE", "ENV", "ADD", "COPY", "ENTRYPOINT",
        "VOLUME", "USER", "WORKDIR", "ARG", "ONBUILD", "STOPSIGNAL", "HEALTHCHECK", "SHELL",
    };

    private static readonly HashSet<string> FlagInstructions = new(StringComparer.Ordinal) { "FROM", "RUN", "COPY", "ADD", "HEALTHCHECK" };
    private static readonly HashSet<string> ExecFormInstructions = new(StringComparer.Ordinal) { "RUN", "CMD", "ENTRYPOINT", "SHELL", "VOLUME" };
    private static readonly HashSet<string> HeredocInstructions = new(StringComparer.Ordinal) { "RUN", "COPY", "ADD" };
    private static readonly HashSet<string> Directives = new(StringComparer.OrdinalIgnoreCase) { "syntax", "escape", "check" };

    /// <summary>Reads and parses the file at <paramref name="path"/>. Invalid UTF-8 is reported and read leniently.</summary>
    public static DockerfileDocument ParseFile(string path)
    {
        var content = IO.SafeFile.Read(path);
        if (!content.Succeeded)
        {
            // Not a regular file, too large or unreadable: no stages, and the reason rather than "no FROM".
            return new DockerfileDocument(path, [], [], [], new Dictionary<string, string>(), '\\', content.Error is { } error ? [error] : []);
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
            extra.Add(DiagnosticCatalog.DockerfileNotText.Create(path, SourceSpan.OnLine(LineOfOffset(bytes, ex.Index)), $"invalid UTF-8 at byte {ex.Index}"));
            text = Encoding.UTF8.GetString(bytes);
        }

        if (text.Contains('\0'))
        {
            extra.Add(DiagnosticCatalog.DockerfileNotText.Create(path, SourceSpan.OnLine(LineOfOffset(bytes, Array.IndexOf(bytes, (byte)0))), "it contains NUL bytes"));
        }

        var document = Parse(text, path);
        return extra.Count == 0 ? document : WithDiagnostics(document, extra);
    }

    /// <summary>Parses Dockerfile text. <paramref name="path"/> only labels diagnostics.</summary>
    public static DockerfileDocument Parse(string text, string? path = null)
    {
        if (text.Length > 0 && text[0] == '\uFEFF')
        {
            text = text[1..];
        }

        string[] lines = text.Replace("\r\n", "\n").Split('\n');
        var diagnostics = new List<Diagnostic>();
        var directives = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var comments = new List<DockerfileComment>();
        var instructions = new List<DockerfileInstruction>();
        var stages = new List<(int Index, string? Name, string Image, DockerfileInstruction From, List<DockerfileInstruction> Body)>();
        char escape = '\\';
        bool inDirectives = true;

        int i = 0;
        while (i < lines.Length)
        {
            string line = lines[i].TrimEnd('\r');
            string trimmed = line.TrimStart();

            if (inDirectives)
            {
                Match directive = DirectivePattern().Match(line);
                if (directive.Success && Directives.Contains(directive.Groups["key"].Value) && !directives.ContainsKey(directive.Groups["key"].Value))
                {
                    string key = directive.Groups["key"].Value.ToLowerInvariant();
                    string value = directive.Groups["value"].Value.Trim();
                    directives[key] = value;
                    if (key == "escape" && value is "`" or "\\")
                    {
                        escape = value[0];
                    }

                    i++;
                    continue;
                }

                inDirectives = false;
            }

            if (trimmed.Length == 0)
            {
                i++;
                continue;
            }

            if (trimmed[0] == '#')
            {
                comments.Add(new DockerfileComment(i + 1, trimmed[1..].Trim()));
                i++;
                continue;
            }

            int startLine = i + 1;
            int startColumn = line.Length - trimmed.Length + 1;
            var logical = new StringBuilder();
            var pieces = new List<(int LogicalStart, int Line)>();
            int last = i;
            string current = line;
            while (true)
            {
                string rstrip = current.TrimEnd(' ', '\t', '\r');
                pieces.Add((logical.Length, last + 1));
                if (rstrip.Length > 0 && rstrip[^1] == escape)
                {
                    logical.Append(rstrip, 0, rstrip.Length - 1);
                    int next = last + 1;
                    // Comment lines and empty lines inside a continuation are dropped, as BuildKit does.
                    while (next < lines.Length && (lines[next].Trim().Length == 0 || lines[next].TrimStart().StartsWith('#')))
                    {
                        if (lines[next].TrimStart().StartsWith('#'))
                        {
                            comments.Add(new DockerfileComment(next + 1, lines[next].TrimStart()[1..].Trim()));
                        }

                        next++;
                    }

                    if (next >= lines.Length)
                    {
                        diagnostics.Add(DiagnosticCatalog.DockerfileDanglingContinuation.Create(path, SourceSpan.OnLine(last + 1, rstrip.Length, 1), escape));
                        break;
                    }

                    last = next;
                    current = lines[next];
                    continue;
                }

                logical.Append(current.TrimEnd('\r'));
                break;
            }

            string logicalText = logical.ToString().Trim();
            int keywordEnd = 0;
            while (keywordEnd < logicalText.Length && !char.IsWhiteSpace(logicalText[keywordEnd]))
            {
                keywordEnd++;
            }

            string keyword = logicalText[..keywordEnd].ToUpperInvariant();
            string rest = logicalText[keywordEnd..].Trim();
            int restStart = LeadingSpaces(logical, 0) + keywordEnd + LeadingSpaces(logicalText, keywordEnd);
            var origins = Origins(pieces, restStart, logical.Length);

            // Heredocs: their bodies follow the instruction's last line.
            var heredocs = new List<Heredoc>();
            if (HeredocInstructions.Contains(keyword))
            {
                foreach (Match m in HeredocPattern().Matches(rest))
                {
                    string delimiter = m.Groups["word"].Value;
                    bool strip = m.Groups["dash"].Success && m.Groups["dash"].Value == "-";
                    bool quoted = m.Groups["quote"].Value.Length > 0;
                    int bodyStart = last + 1;
                    var body = new StringBuilder();
                    int j = bodyStart;
                    bool closed = false;
                    while (j < lines.Length)
                    {
                        string bodyLine = lines[j].TrimEnd('\r');
                        string candidate = strip ? bodyLine.TrimStart('\t') : bodyLine;
                        if (candidate == delimiter)
                        {
                            closed = true;
                            break;
                        }

                        body.Append(candidate).Append('\n');
                        j++;
                    }

                    if (!closed)
                    {
                        diagnostics.Add(DiagnosticCatalog.DockerfileUnterminatedHeredoc.Create(path, SourceSpan.OnLine(startLine, startColumn, logicalText.Length), delimiter));
                        last = lines.Length - 1;
                    }
                    else
                    {
                        last = j;
                    }

                    heredocs.Add(new Heredoc(delimiter, body.ToString(), strip, quoted, bodyStart + 1));
                }
            }

            var flags = new List<InstructionFlag>();
            string arguments = rest;
            if (FlagInstructions.Contains(keyword))
            {
                // Walk an index rather than re-slicing the rest for each flag: a line of many flags stays linear.
                int at = 0;
                while (string.CompareOrdinal(rest, at, "--", 0, 2) == 0)
                {
                    int end = at;
                    while (end < rest.Length && !char.IsWhiteSpace(rest[end]))
                    {
                        end++;
                    }

                    string token = rest[(at + 2)..end];
                    int eq = token.IndexOf('=');
                    flags.Add(eq < 0 ? new InstructionFlag(token, null) : new InstructionFlag(token[..eq], token[(eq + 1)..]));
                    at = end;
                    while (at < rest.Length && char.IsWhiteSpace(rest[at]))
                    {
                        at++;
                    }
                }

                arguments = rest[at..];
            }

            IReadOnlyList<string>? execForm = null;
            string execCandidate = keyword == "HEALTHCHECK" && arguments.StartsWith("CMD", StringComparison.OrdinalIgnoreCase)
                ? arguments[3..].TrimStart()
                : arguments;
            if ((ExecFormInstructions.Contains(keyword) || keyword == "HEALTHCHECK") && execCandidate.StartsWith('['))
            {
                execForm = TryParseJsonArray(execCandidate);
                if (execForm is null && keyword != "VOLUME")
                {
                    diagnostics.Add(DiagnosticCatalog.DockerfileInvalidExecForm.Create(path, SourceSpan.OnLine(startLine, startColumn, keyword.Length), keyword));
                }
            }

            int stageIndex = keyword == "FROM" ? stages.Count : stages.Count - 1;
            int endLine = last + 1;
            var span = new SourceSpan(startLine, startColumn, endLine, Math.Max(1, lines[last].TrimEnd('\r').Length));
            var instruction = new DockerfileInstruction(keyword, rest, flags, arguments, execForm, heredocs, span, stageIndex) { Origins = origins };
            instructions.Add(instruction);

            if (!KnownInstructions.Contains(keyword))
            {
                diagnostics.Add(DiagnosticCatalog.DockerfileUnknownInstruction.Create(path, SourceSpan.OnLine(startLine, startColumn, keyword.Length), logicalText[..keywordEnd], escape));
            }

            if (keyword == "FROM")
            {
                var (image, name) = SplitFrom(arguments);
                stages.Add((stages.Count, name, image, instruction, []));
            }
            else if (stageIndex >= 0)
            {
                stages[stageIndex].Body.Add(instruction);
            }

            i = last + 1;
        }

        if (stages.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalog.DockerfileNoFrom.Create(path, SourceSpan.None));
        }

        var stageRecords = stages.Select(s => new DockerfileStage(s.Index, s.Name, s.Image, s.From, s.Body)).ToList();
        return new DockerfileDocument(path, instructions, stageRecords, comments, directives, escape, diagnostics);
    }

    /// <summary>The number of white-space characters at <paramref name="from"/> (counted without copying a long line).</summary>
    private static int LeadingSpaces(StringBuilder text, int from)
    {
        int k = from;
        while (k < text.Length && char.IsWhiteSpace(text[k]))
        {
            k++;
        }

        return k - from;
    }

    private static int LeadingSpaces(string text, int from)
    {
        int k = from;
        while (k < text.Length && char.IsWhiteSpace(text[k]))
        {
            k++;
        }

        return k - from;
    }

    /// <summary>
    /// Where the instruction's text comes from: the joined lines are pieces of physical lines, each starting at
    /// column 1 of its line; <paramref name="restStart"/> is where <see cref="DockerfileInstruction.Text"/> starts in the join.
    /// </summary>
    private static IReadOnlyList<TextOrigin> Origins(List<(int LogicalStart, int Line)> pieces, int restStart, int logicalLength)
    {
        var origins = new List<TextOrigin>(pieces.Count);
        for (int k = 0; k < pieces.Count; k++)
        {
            int pieceEnd = k + 1 < pieces.Count ? pieces[k + 1].LogicalStart : logicalLength;
            if (pieceEnd <= restStart)
            {
                continue;
            }

            int textIndex = pieces[k].LogicalStart - restStart;
            origins.Add(textIndex >= 0 ? new TextOrigin(textIndex, pieces[k].Line, 1) : new TextOrigin(0, pieces[k].Line, 1 - textIndex));
        }

        return origins;
    }

    /// <summary>Splits the arguments of FROM into the image reference and the stage name (lower case), if any.</summary>
    public static (string Image, string? Name) SplitFrom(string arguments)
    {
        string[] words = arguments.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (words.Length == 0)
        {
            return (string.Empty, null);
        }

        string? name = words.Length >= 3 && words[1].Equals("AS", StringComparison.OrdinalIgnoreCase) ? words[2].ToLowerInvariant() : null;
        return (words[0], name);
    }

    private static IReadOnlyList<string>? TryParseJsonArray(string text)
    {
        try
        {
            return JsonSerializer.Deserialize<string[]>(text);
        }
        catch (JsonException)
        {
            return null;
        }
    }

    private static DockerfileDocument WithDiagnostics(DockerfileDocument document, IEnumerable<Diagnostic> extra)
        => new(document.Path, document.Instructions, document.Stages, document.Comments, document.Directives, document.EscapeCharacter, extra.Concat(document.Diagnostics).ToList());

    private static int LineOfOffset(byte[] bytes, int offset)
    {
        int line = 1;
        for (int k = 0; k < offset && k < bytes.Length; k++)
        {
            if (bytes[k] == (byte)'\n')
            {
                line++;
            }
        }

        return line;
    }

    [GeneratedRegex(@"^#\s*(?<key>[A-Za-z][A-Za-z0-9_-]*)\s*=\s*(?<value>.*)$")]
    private static partial Regex DirectivePattern();

    [GeneratedRegex(@"<<(?<dash>-?)(?<quote>[""']?)(?<word>[A-Za-z_][A-Za-z0-9_]*)\k<quote>")]
    private static partial Regex HeredocPattern();
}
