using System.Text.RegularExpressions;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>
/// hadolint's ignore pragmas, which also accept our codes:
/// <list type="bullet">
/// <item><c># hadolint ignore=DL3008,SBC3106</c> in the block of comment lines directly above an instruction: that instruction only;</item>
/// <item><c># hadolint stage ignore=...</c>: the stage of the next instruction (the stage a FROM starts);</item>
/// <item><c># hadolint global ignore=...</c> anywhere: the whole file.</item>
/// </list>
/// A reason may follow (<c># hadolint ignore=DL3008 # pinned by the base image</c>). IDs are compared without case.
/// </summary>
internal sealed partial class Pragmas
{
    private readonly List<Pragma> _global = [];
    private readonly Dictionary<int, List<Pragma>> _byStage = [];
    private readonly Dictionary<int, List<Pragma>> _byLine = [];
    private readonly HashSet<int> _commentLines = [];

    private Pragmas()
    {
    }

    /// <summary>Reads the pragmas of a document.</summary>
    public static Pragmas Read(DockerfileDocument document)
    {
        var pragmas = new Pragmas();
        int[] instructionLines = document.Instructions.Select(i => i.Span.Line).ToArray();
        foreach (var comment in document.Comments)
        {
            pragmas._commentLines.Add(comment.Line);
            Match m = PragmaPattern().Match(comment.Text);
            if (!m.Success)
            {
                continue;
            }

            var ids = m.Groups["ids"].Value.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
                .ToHashSet(StringComparer.OrdinalIgnoreCase);
            var pragma = new Pragma(ids, comment.Text.Length <= 120 ? comment.Text : comment.Text[..119] + "…");
            switch (m.Groups["scope"].Value.ToLowerInvariant())
            {
                case "global":
                    pragmas._global.Add(pragma);
                    break;
                case "stage":
                    int next = Array.FindIndex(instructionLines, line => line > comment.Line);
                    if (next >= 0)
                    {
                        Add(pragmas._byStage, document.Instructions[next].StageIndex, pragma);
                    }

                    break;
                default:
                    Add(pragmas._byLine, comment.Line, pragma);
                    break;
            }
        }

        return pragmas;
    }

    /// <summary>The text of the pragma that suppresses <paramref name="finding"/>, or null.</summary>
    public string? Suppressing(RuleFinding finding)
    {
        string code = finding.Diagnostic.Code;
        string? help = finding.Diagnostic.Descriptor.HelpId;

        for (int line = finding.Anchor.Span.Line - 1; line > 0 && _commentLines.Contains(line); line--)
        {
            if (_byLine.TryGetValue(line, out var pragmas) && First(pragmas, code, help) is { } text)
            {
                return text;
            }
        }

        if (_byStage.TryGetValue(finding.Anchor.StageIndex, out var stage) && First(stage, code, help) is { } stageText)
        {
            return stageText;
        }

        return First(_global, code, help);
    }

    private static string? First(List<Pragma> pragmas, string code, string? help)
        => pragmas.FirstOrDefault(p => p.Ids.Contains(code) || (help is not null && p.Ids.Contains(help)))?.Text;

    private static void Add(Dictionary<int, List<Pragma>> map, int key, Pragma pragma)
    {
        if (!map.TryGetValue(key, out var list))
        {
            list = [];
            map[key] = list;
        }

        list.Add(pragma);
    }

    [GeneratedRegex(@"^hadolint\s+(?:(?<scope>global|stage)\s+)?ignore\s*=\s*(?<ids>[A-Za-z0-9]+(?:\s*,\s*[A-Za-z0-9]+)*)", RegexOptions.IgnoreCase | RegexOptions.NonBacktracking)]
    private static partial Regex PragmaPattern();

    private sealed record Pragma(HashSet<string> Ids, string Text);
}
