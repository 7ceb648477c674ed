using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile;

/// <summary>A <c>--name=value</c> flag of an instruction, such as <c>--from=builder</c> or <c>--mount=type=cache,...</c>.</summary>
public sealed record InstructionFlag(string Name, string? Value);

/// <summary>A heredoc attached to RUN, COPY or ADD: <c>&lt;&lt;EOF ... EOF</c>.</summary>
/// <param name="Delimiter">The terminator word.</param>
/// <param name="Body">The lines between the instruction and the terminator.</param>
/// <param name="StripTabs">True for <c>&lt;&lt;-</c>, which strips leading tabs.</param>
/// <param name="Quoted">True when the delimiter was quoted, which turns off expansion in the body.</param>
/// <param name="BodyStartLine">1-based line of the first body line.</param>
public sealed record Heredoc(string Delimiter, string Body, bool StripTabs, bool Quoted, int BodyStartLine);

/// <summary>Where a part of an instruction's joined text starts in the file.</summary>
/// <param name="TextIndex">The index in <see cref="DockerfileInstruction.Text"/> where the part starts.</param>
/// <param name="Line">Its 1-based line.</param>
/// <param name="Column">Its 1-based column.</param>
public sealed record TextOrigin(int TextIndex, int Line, int Column);

/// <summary>
/// One instruction, with continuation lines joined as docker joins them and its exact place in the file.
/// </summary>
/// <param name="Keyword">The instruction, upper case (RUN, COPY, ...).</param>
/// <param name="Text">Everything after the keyword, continuations joined, trimmed.</param>
/// <param name="Flags">Leading <c>--flag=value</c> arguments, in order.</param>
/// <param name="Arguments">The text after the flags.</param>
/// <param name="ExecForm">The JSON array when the arguments are in exec form, else null.</param>
/// <param name="Heredocs">Heredoc bodies attached to this instruction.</param>
/// <param name="Span">From the keyword to the end of the last continuation line.</param>
/// <param name="StageIndex">The stage the instruction belongs to; -1 for instructions before the first FROM.</param>
public sealed record DockerfileInstruction(
    string Keyword,
    string Text,
    IReadOnlyList<InstructionFlag> Flags,
    string Arguments,
    IReadOnlyList<string>? ExecForm,
    IReadOnlyList<Heredoc> Heredocs,
    SourceSpan Span,
    int StageIndex)
{
    /// <summary>
    /// Where each part of <see cref="Text"/> is in the file: the text is joined from continuation lines, and each origin
    /// says that from its text index on, the characters run from its line and column. Empty for instructions built in code.
    /// </summary>
    public IReadOnlyList<TextOrigin> Origins { get; init; } = [];

    /// <summary>The 1-based line and column of character <paramref name="textIndex"/> of <see cref="Text"/>, or null when not known.</summary>
    public (int Line, int Column)? PositionOf(int textIndex)
    {
        if (textIndex < 0 || textIndex >= Text.Length)
        {
            return null;
        }

        for (int k = Origins.Count - 1; k >= 0; k--)
        {
            if (Origins[k].TextIndex <= textIndex)
            {
                return (Origins[k].Line, Origins[k].Column + textIndex - Origins[k].TextIndex);
            }
        }

        return null;
    }

    /// <summary>The first flag called <paramref name="name"/> (without dashes), or null.</summary>
    public InstructionFlag? Flag(string name) => Flags.FirstOrDefault(f => f.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>"RUN apt-get update", for messages; long text is shortened.</summary>
    public string Display(int max = 80)
    {
        string text = System.Text.RegularExpressions.Regex.Replace(Keyword + " " + Text, @"\s+", " ").Trim();
        return text.Length <= max ? text : text[..(max - 1)] + "…";
    }
}

/// <summary>A build stage: a FROM and the instructions up to the next FROM.</summary>
/// <param name="Index">0-based position among the stages.</param>
/// <param name="Name">The name after AS, lower case as docker treats it, or null.</param>
/// <param name="BaseImage">The image reference after FROM, unexpanded (may contain ${ARG}).</param>
/// <param name="From">The FROM instruction itself.</param>
/// <param name="Instructions">The instructions of the stage, FROM excluded.</param>
public sealed record DockerfileStage(int Index, string? Name, string BaseImage, DockerfileInstruction From, IReadOnlyList<DockerfileInstruction> Instructions)
{
    /// <summary>The name, or the index as docker accepts it in COPY --from.</summary>
    public string DisplayName => Name ?? Index.ToString(System.Globalization.CultureInfo.InvariantCulture);
}

/// <summary>A comment line, kept for pragmas such as <c># hadolint ignore=DL3008</c>.</summary>
/// <param name="Line">1-based line.</param>
/// <param name="Text">The text after '#', trimmed.</param>
public sealed record DockerfileComment(int Line, string Text);

/// <summary>A parsed Dockerfile: instructions, stages, comments, directives and parse diagnostics.</summary>
public sealed class DockerfileDocument
{
    internal DockerfileDocument(
        string? path,
        IReadOnlyList<DockerfileInstruction> instructions,
        IReadOnlyList<DockerfileStage> stages,
        IReadOnlyList<DockerfileComment> comments,
        IReadOnlyDictionary<string, string> directives,
        char escapeCharacter,
        IReadOnlyList<Diagnostic> diagnostics)
    {
        Path = path;
        Instructions = instructions;
        Stages = stages;
        Comments = comments;
        Directives = directives;
        EscapeCharacter = escapeCharacter;
        Diagnostics = diagnostics;
    }

    /// <summary>The file path, used in diagnostics.</summary>
    public string? Path { get; }

    /// <summary>All instructions in file order.</summary>
    public IReadOnlyList<DockerfileInstruction> Instructions { get; }

    /// <summary>The stages in file order.</summary>
    public IReadOnlyList<DockerfileStage> Stages { get; }

    /// <summary>Comment lines (parser directives excluded).</summary>
    public IReadOnlyList<DockerfileComment> Comments { get; }

    /// <summary>Parser directives at the top of the file (<c>syntax</c>, <c>escape</c>, <c>check</c>), keys lower case.</summary>
    public IReadOnlyDictionary<string, string> Directives { get; }

    /// <summary>The escape character: '\' or '`'.</summary>
    public char EscapeCharacter { get; }

    /// <summary>Problems found while reading the file.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>ARG instructions before the first FROM: the only ones usable in FROM lines.</summary>
    public IEnumerable<DockerfileInstruction> GlobalArgs => Instructions.Where(i => i.StageIndex < 0 && i.Keyword == "ARG");

    /// <summary>The stage called <paramref name="name"/> (case-insensitive), or null.</summary>
    public DockerfileStage? Stage(string name)
        => Stages.FirstOrDefault(s => s.Name is not null && s.Name.Equals(name, StringComparison.OrdinalIgnoreCase));

    /// <summary>The final stage: what a build without --target produces.</summary>
    public DockerfileStage? FinalStage => Stages.Count == 0 ? null : Stages[^1];

    /// <summary>
    /// Why this Dockerfile needs BuildKit, or null when the legacy builder can build it:
    /// a syntax directive, RUN --mount/--network/--security, heredocs, COPY/ADD --link, --chmod or --checksum.
    /// </summary>
    public string? BuildKitRequirement()
    {
        if (Directives.ContainsKey("syntax"))
        {
            return "it has a '# syntax=' directive";
        }

        foreach (var instruction in Instructions)
        {
            if (instruction.Heredocs.Count > 0)
            {
                return $"line {instruction.Span.Line} uses a heredoc";
            }

            foreach (var flag in instruction.Flags)
            {
                string name = flag.Name.ToLowerInvariant();
                bool buildKitOnly = instruction.Keyword switch
                {
                    "RUN" => name is "mount" or "network" or "security",
                    "COPY" or "ADD" => name is "link" or "chmod" or "checksum" or "parents" or "exclude" or "keep-git-dir",
                    _ => false,
                };
                if (buildKitOnly)
                {
                    return $"line {instruction.Span.Line} uses {instruction.Keyword} --{name}";
                }
            }
        }

        return null;
    }
}
