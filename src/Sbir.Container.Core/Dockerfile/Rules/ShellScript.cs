using System.Text;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>Maps offsets of shell text back to the Dockerfile.</summary>
internal abstract class ShellSource
{
    /// <summary>The span of <paramref name="length"/> characters at <paramref name="start"/>; a negative start means "somewhere in this source".</summary>
    public abstract SourceSpan Locate(int start, int length);
}

/// <summary>Shell text whose parts cannot be placed more exactly than one span (exec form, <c>sh -c "..."</c>).</summary>
internal sealed class FixedShellSource(SourceSpan span) : ShellSource
{
    public override SourceSpan Locate(int start, int length) => span;
}

/// <summary>Shell text that is the arguments of a RUN instruction.</summary>
internal sealed class ArgumentsShellSource(DockerfileInstruction instruction) : ShellSource
{
    private readonly int _offset = InstructionText.ArgumentsOffset(instruction);

    public override SourceSpan Locate(int start, int length)
        => start < 0 ? instruction.Span : InstructionText.Locate(instruction, _offset + start, length);
}

/// <summary>Shell text that is the body of a heredoc: lines are exact, columns too unless tabs were stripped (<c>&lt;&lt;-</c>).</summary>
internal sealed class HeredocShellSource(DockerfileInstruction instruction, Heredoc heredoc) : ShellSource
{
    public override SourceSpan Locate(int start, int length)
    {
        string body = heredoc.Body;
        if (start < 0 || start > body.Length)
        {
            return instruction.Span;
        }

        int line = heredoc.BodyStartLine;
        int lineStart = 0;
        for (int k = 0; k < start; k++)
        {
            if (body[k] == '\n')
            {
                line++;
                lineStart = k + 1;
            }
        }

        if (heredoc.StripTabs)
        {
            return SourceSpan.Lines(line, line);
        }

        int column = start - lineStart + 1;
        int lineEnd = body.IndexOf('\n', start);
        int end = Math.Min(start + Math.Max(1, length), lineEnd < 0 ? body.Length : lineEnd);
        return new SourceSpan(line, column, line, Math.Max(column, end - lineStart));
    }
}

/// <summary>An I/O redirection such as <c>&gt; /usr/local/bin/tool</c> or <c>&lt;&lt;EOF</c>.</summary>
internal readonly record struct ShellRedirect(string Operator, TextWord Target);

/// <summary>One simple command of a shell script: the program and its arguments, with assignments and wrappers (sudo, env) set aside.</summary>
internal sealed class ShellCommand
{
    private static readonly HashSet<string> Shells = new(StringComparer.Ordinal) { "sh", "bash", "dash", "ash", "zsh", "ksh" };

    public required IReadOnlyList<TextWord> Words { get; init; }

    public required IReadOnlyList<TextWord> Assignments { get; init; }

    public required IReadOnlyList<ShellRedirect> Redirects { get; init; }

    public required ShellSource Source { get; init; }

    /// <summary>The sudo word, when the command ran through sudo.</summary>
    public TextWord? Sudo { get; init; }

    /// <summary>True when the output of this command is piped into the next one.</summary>
    public bool PipesIntoNext { get; init; }

    /// <summary>The program's file name without directories (<c>/usr/bin/apt-get</c> is apt-get), or empty.</summary>
    public string Name => Words.Count == 0 ? string.Empty : BaseName(Words[0].Value);

    /// <summary>True when the program is a POSIX shell.</summary>
    public bool IsShell => Shells.Contains(Name);

    /// <summary>The span of the whole command.</summary>
    public SourceSpan Span => Words.Count == 0 ? Source.Locate(-1, 0) : Locate(Words[0], Words[^1]);

    /// <summary>The span of one word.</summary>
    public SourceSpan Locate(TextWord word) => Source.Locate(word.Start, word.Length);

    /// <summary>The span from one word to another.</summary>
    public SourceSpan Locate(TextWord first, TextWord last)
        => first.Start < 0 || last.Start < first.Start ? Source.Locate(-1, 0) : Source.Locate(first.Start, last.End - first.Start);

    /// <summary>True when an argument equals one of <paramref name="options"/>.</summary>
    public bool Has(params string[] options) => Words.Skip(1).Any(w => options.Contains(w.Value, StringComparer.Ordinal));

    /// <summary>The first argument that does not start with '-', skipping the values of <paramref name="optionsWithValue"/>, and its index.</summary>
    public (TextWord? Word, int Index) Subcommand(IReadOnlySet<string>? optionsWithValue = null, int from = 1)
    {
        for (int k = from; k < Words.Count; k++)
        {
            string value = Words[k].Value;
            if (value.StartsWith('-'))
            {
                if (optionsWithValue is not null && optionsWithValue.Contains(value))
                {
                    k++;
                }

                continue;
            }

            return (Words[k], k);
        }

        return (null, -1);
    }

    /// <summary>The file name of a path.</summary>
    public static string BaseName(string path)
    {
        int slash = path.LastIndexOf('/');
        return slash < 0 ? path : path[(slash + 1)..];
    }
}

/// <summary>
/// A small reader of POSIX shell text: enough structure for the rules (simple commands, their words,
/// redirections and pipes), not an interpreter. Command lists (&amp;&amp;, ||, ;, |, &amp;, new lines),
/// line continuations, quotes, <c>$(...)</c>, comments, heredocs inside the text, and
/// <c>sh -c "..."</c> are handled. It never throws and runs in linear time.
/// </summary>
internal static class ShellParser
{
    private static readonly HashSet<string> ReservedWords = new(StringComparer.Ordinal)
    {
        "if", "then", "else", "elif", "fi", "do", "done", "while", "until", "!", "{", "}", "time", "esac",
    };

    private static readonly HashSet<string> SudoOptionsWithValue = new(StringComparer.Ordinal) { "-u", "-g", "-C", "-D", "-h", "-p", "-r", "-t", "-U", "-T" };

    /// <summary>
    /// Reads the simple commands of <paramref name="text"/>. The script of <c>sh -c "..."</c> is read too (its commands
    /// follow the one that runs it, placed by <see cref="FixedShellSource"/>) unless <paramref name="depth"/> says the
    /// caller reads nested scripts itself (4 or more).
    /// </summary>
    public static List<ShellCommand> Parse(string text, ShellSource source, int depth = 0)
    {
        var commands = new List<ShellCommand>();
        var words = new List<TextWord>();
        var redirects = new List<ShellRedirect>();
        var pendingHeredocs = new List<(string Delimiter, bool StripTabs)>();
        int n = text.Length;
        int i = 0;

        void Finish(bool pipe)
        {
            if (words.Count > 0 || redirects.Count > 0)
            {
                Build(words, redirects, pipe, source, commands, depth);
            }

            words = [];
            redirects = [];
        }

        while (i < n)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\r')
            {
                i++;
                continue;
            }

            if (c == '\\' && i + 1 < n && text[i + 1] == '\n')
            {
                i += 2;
                continue;
            }

            if (c == '\n')
            {
                Finish(false);
                i++;
                if (pendingHeredocs.Count > 0)
                {
                    i = SkipHeredocBodies(text, i, pendingHeredocs);
                    pendingHeredocs.Clear();
                }

                continue;
            }

            if (c == '#')
            {
                while (i < n && text[i] != '\n')
                {
                    i++;
                }

                continue;
            }

            if (c == ';')
            {
                Finish(false);
                i += i + 1 < n && text[i + 1] == ';' ? 2 : 1;
                continue;
            }

            if (c == '|')
            {
                if (i + 1 < n && text[i + 1] == '|')
                {
                    Finish(false);
                    i += 2;
                }
                else
                {
                    Finish(true);
                    i += i + 1 < n && text[i + 1] == '&' ? 2 : 1;
                }

                continue;
            }

            if (c == '&')
            {
                if (i + 1 < n && text[i + 1] == '>')
                {
                    int opStart = i;
                    i += 2;
                    if (i < n && text[i] == '>')
                    {
                        i++;
                    }

                    ReadRedirectTarget(text, ref i, text[opStart..i], redirects, pendingHeredocs);
                    continue;
                }

                Finish(false);
                i += i + 1 < n && text[i + 1] == '&' ? 2 : 1;
                continue;
            }

            if (c is '(' or ')')
            {
                Finish(false);
                i++;
                continue;
            }

            int digits = i;
            while (digits < n && char.IsAsciiDigit(text[digits]))
            {
                digits++;
            }

            if (digits < n && text[digits] is '<' or '>')
            {
                int opStart = i;
                i = digits;
                char first = text[i];
                i++;
                if (i < n && (text[i] == first || text[i] is '&' or '|'))
                {
                    i++;
                }

                // <<< (here-string) and <<- (heredoc with tabs stripped).
                if (i - digits == 2 && first == '<' && text[i - 1] == '<' && i < n && text[i] is '<' or '-')
                {
                    i++;
                }

                string op = text[opStart..i];
                if (op.EndsWith('&'))
                {
                    while (i < n && (char.IsAsciiDigit(text[i]) || text[i] == '-'))
                    {
                        i++;
                    }

                    continue;
                }

                ReadRedirectTarget(text, ref i, op, redirects, pendingHeredocs);
                continue;
            }

            words.Add(ReadWord(text, ref i));
        }

        Finish(false);
        return commands;
    }

    private static void ReadRedirectTarget(string text, ref int i, string op, List<ShellRedirect> redirects, List<(string, bool)> pendingHeredocs)
    {
        while (i < text.Length && text[i] is ' ' or '\t')
        {
            i++;
        }

        if (i >= text.Length || text[i] is '\n' or ';' or '|' or '&' or '(' or ')' or '<' or '>')
        {
            return;
        }

        TextWord target = ReadWord(text, ref i);
        redirects.Add(new ShellRedirect(op, target));
        string bare = op.TrimStart('0', '1', '2', '3', '4', '5', '6', '7', '8', '9');
        if (bare is "<<" or "<<-")
        {
            pendingHeredocs.Add((target.Value, bare == "<<-"));
        }
    }

    /// <summary>Skips the bodies of heredocs opened on the line that just ended.</summary>
    private static int SkipHeredocBodies(string text, int i, List<(string Delimiter, bool StripTabs)> heredocs)
    {
        foreach (var (delimiter, stripTabs) in heredocs)
        {
            while (i < text.Length)
            {
                int end = text.IndexOf('\n', i);
                string line = (end < 0 ? text[i..] : text[i..end]).TrimEnd('\r');
                i = end < 0 ? text.Length : end + 1;
                if ((stripTabs ? line.TrimStart('\t') : line) == delimiter)
                {
                    break;
                }
            }
        }

        return i;
    }

    /// <summary>Reads one word, removing quotes and escapes; <c>$(...)</c>, <c>${...}</c> and backquotes stay as written.</summary>
    private static TextWord ReadWord(string text, ref int i)
    {
        int n = text.Length;
        int start = i;
        bool expands = false;
        var value = new StringBuilder();
        while (i < n)
        {
            char c = text[i];
            if (c is ' ' or '\t' or '\r' or '\n' or ';' or '&' or '|' or '(' or ')' or '<' or '>')
            {
                break;
            }

            if (c == '\'')
            {
                int close = text.IndexOf('\'', i + 1);
                close = close < 0 ? n : close;
                value.Append(text, i + 1, close - i - 1);
                i = Math.Min(n, close + 1);
                continue;
            }

            if (c == '"')
            {
                i++;
                while (i < n && text[i] != '"')
                {
                    if (text[i] == '\\' && i + 1 < n)
                    {
                        if (text[i + 1] == '\n')
                        {
                            i += 2;
                            continue;
                        }

                        if (text[i + 1] is '"' or '\\' or '$' or '`')
                        {
                            value.Append(text[i + 1]);
                            i += 2;
                            continue;
                        }
                    }

                    if (text[i] is '$' or '`')
                    {
                        expands = true;
                    }

                    if (text[i] == '$' && i + 1 < n && text[i + 1] == '(')
                    {
                        i = AppendSubstitution(text, i, value);
                        continue;
                    }

                    value.Append(text[i]);
                    i++;
                }

                i = Math.Min(n, i + 1);
                continue;
            }

            if (c == '\\' && i + 1 < n)
            {
                if (text[i + 1] != '\n')
                {
                    value.Append(text[i + 1]);
                }

                i += 2;
                continue;
            }

            if (c is '$' or '`')
            {
                expands = true;
            }

            if (c == '$' && i + 1 < n && text[i + 1] == '(')
            {
                i = AppendSubstitution(text, i, value);
                continue;
            }

            if (c == '$' && i + 1 < n && text[i + 1] == '{')
            {
                int close = text.IndexOf('}', i + 2);
                close = close < 0 ? n - 1 : close;
                value.Append(text, i, close - i + 1);
                i = close + 1;
                continue;
            }

            if (c == '`')
            {
                int close = text.IndexOf('`', i + 1);
                close = close < 0 ? n - 1 : close;
                value.Append(text, i, close - i + 1);
                i = close + 1;
                continue;
            }

            value.Append(c);
            i++;
        }

        return new TextWord(value.ToString(), start, Math.Max(1, i - start), expands);
    }

    /// <summary>Copies <c>$( ... )</c> with its nesting (quotes inside respected) and returns the offset after it.</summary>
    private static int AppendSubstitution(string text, int i, StringBuilder value)
    {
        int n = text.Length;
        int depth = 0;
        int k = i + 1;
        char quote = '\0';
        for (; k < n; k++)
        {
            char c = text[k];
            if (quote != '\0')
            {
                if (c == '\\' && quote == '"')
                {
                    k++;
                }
                else if (c == quote)
                {
                    quote = '\0';
                }

                continue;
            }

            if (c is '\'' or '"')
            {
                quote = c;
            }
            else if (c == '\\')
            {
                k++;
            }
            else if (c == '(')
            {
                depth++;
            }
            else if (c == ')' && --depth == 0)
            {
                break;
            }
        }

        int end = Math.Min(n, k + 1);
        value.Append(text, i, end - i);
        return end;
    }

    private static void Build(List<TextWord> raw, List<ShellRedirect> redirects, bool pipe, ShellSource source, List<ShellCommand> commands, int depth)
    {
        int k = 0;
        while (k < raw.Count && ReservedWords.Contains(raw[k].Value))
        {
            k++;
        }

        var assignments = new List<TextWord>();
        TextWord? sudo = null;
        bool changed = true;
        while (changed && k < raw.Count)
        {
            changed = false;
            while (k < raw.Count && IsAssignment(raw[k].Value))
            {
                assignments.Add(raw[k]);
                k++;
                changed = true;
            }

            if (k >= raw.Count)
            {
                break;
            }

            switch (ShellCommand.BaseName(raw[k].Value))
            {
                case "sudo":
                    sudo ??= raw[k];
                    k++;
                    while (k < raw.Count && raw[k].Value.StartsWith('-'))
                    {
                        bool withValue = SudoOptionsWithValue.Contains(raw[k].Value);
                        bool end = raw[k].Value == "--";
                        k += withValue ? 2 : 1;
                        if (end)
                        {
                            break;
                        }
                    }

                    changed = true;
                    break;
                case "env":
                    k++;
                    while (k < raw.Count && raw[k].Value.StartsWith('-'))
                    {
                        k += raw[k].Value is "-u" or "--unset" or "-C" or "--chdir" or "-S" ? 2 : 1;
                    }

                    changed = true;
                    break;
                case "command" or "exec" or "nohup" or "builtin" or "time":
                    if (k + 1 < raw.Count && !raw[k + 1].Value.StartsWith('-'))
                    {
                        k++;
                        changed = true;
                    }

                    break;
                case "nice":
                    k++;
                    if (k < raw.Count && raw[k].Value == "-n")
                    {
                        k += 2;
                    }
                    else if (k < raw.Count && raw[k].Value.StartsWith('-'))
                    {
                        k++;
                    }

                    changed = true;
                    break;
            }
        }

        var words = k >= raw.Count ? [] : raw.GetRange(k, raw.Count - k);
        var command = new ShellCommand
        {
            Words = words,
            Assignments = assignments,
            Redirects = redirects,
            Source = source,
            Sudo = sudo,
            PipesIntoNext = pipe,
        };
        commands.Add(command);

        // sh -c "script": the script is shell text too.
        if (command.IsShell && depth < 4)
        {
            for (int w = 1; w + 1 < words.Count; w++)
            {
                string option = words[w].Value;
                if (option.StartsWith('-') && !option.StartsWith("--", StringComparison.Ordinal) && option.EndsWith('c'))
                {
                    commands.AddRange(Parse(words[w + 1].Value, new FixedShellSource(command.Locate(words[w + 1])), depth + 1));
                    break;
                }
            }
        }
    }

    private static bool IsAssignment(string word)
    {
        int eq = word.IndexOf('=');
        if (eq <= 0 || !(char.IsAsciiLetter(word[0]) || word[0] == '_'))
        {
            return false;
        }

        for (int k = 1; k < eq; k++)
        {
            if (!(char.IsAsciiLetterOrDigit(word[k]) || word[k] == '_'))
            {
                return false;
            }
        }

        return true;
    }
}
