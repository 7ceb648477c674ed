using System.Text.RegularExpressions;
using Sbir.Container.Dockerfile;

namespace Sbir.Container.Build;

/// <summary>
/// Finds the Dockerfile instruction that docker says failed: by its text (docker prints the
/// instruction with continuation lines joined), within the stage BuildKit names, with the legacy
/// builder's step number to break ties between identical instructions.
/// </summary>
public static partial class FailingInstruction
{
    /// <summary>The instruction, or null when none matches.</summary>
    public static DockerfileInstruction? Find(DockerfileDocument dockerfile, string? stage, string instructionText, int stepNumber)
    {
        string wanted = Normalize(instructionText);
        IEnumerable<DockerfileInstruction> candidates = dockerfile.Instructions;
        if (stage is not null)
        {
            int index = StageIndex(dockerfile, stage);
            if (index >= 0)
            {
                candidates = candidates.Where(i => i.StageIndex == index);
            }
        }

        var matches = candidates.Where(i => Normalize(i.Keyword + " " + i.Text) == wanted).ToList();
        if (matches.Count == 0)
        {
            // BuildKit may print flags differently or shorten long text; fall back to a prefix match.
            matches = candidates.Where(i =>
            {
                string text = Normalize(i.Keyword + " " + i.Text);
                return text.StartsWith(wanted.TrimEnd('.', '…'), StringComparison.Ordinal) || wanted.StartsWith(text, StringComparison.Ordinal);
            }).ToList();
        }

        if (matches.Count > 1 && stepNumber > 0 && stepNumber <= dockerfile.Instructions.Count)
        {
            var byStep = dockerfile.Instructions[stepNumber - 1];
            if (matches.Contains(byStep))
            {
                return byStep;
            }
        }

        return matches.FirstOrDefault();
    }

    private static int StageIndex(DockerfileDocument dockerfile, string stage)
    {
        var named = dockerfile.Stage(stage);
        if (named is not null)
        {
            return named.Index;
        }

        // BuildKit calls unnamed stages "stage-N".
        Match m = UnnamedStagePattern().Match(stage);
        return m.Success ? int.Parse(m.Groups["n"].Value, System.Globalization.CultureInfo.InvariantCulture) : -1;
    }

    private static string Normalize(string text) => WhitespacePattern().Replace(text, " ").Trim();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"^stage-(?<n>\d+)$")]
    private static partial Regex UnnamedStagePattern();
}
