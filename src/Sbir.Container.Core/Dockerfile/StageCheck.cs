using Sbir.Container.Diagnostics;
using Sbir.Container.Text;

namespace Sbir.Container.Dockerfile;

/// <summary>
/// The stage a target builds must exist: checked by ContainerValidate (before docker runs) and again by
/// the build itself. A misspelt name points at the FROM line of the stage it was probably meant to be.
/// </summary>
public static class StageCheck
{
    /// <summary>SBC5105 for the builder stage (SbirContainerBuilderStage), whose fix also says it can be none.</summary>
    public static Diagnostic? MissingBuilder(DockerfileDocument dockerfile, string path, string stage)
        => Missing(dockerfile, path, stage, "SbirContainerBuilderStage", ", or to none to build no builder image");

    /// <summary>SBC5105 when <paramref name="stage"/> is not a stage of <paramref name="dockerfile"/>, else null.</summary>
    /// <param name="dockerfile">The parsed Dockerfile.</param>
    /// <param name="path">Its path, for the diagnostic.</param>
    /// <param name="stage">The stage that must exist.</param>
    /// <param name="property">The property that names the stage, for the fix.</param>
    /// <param name="extraFix">More advice after the fix (for the builder stage: that none builds no builder image).</param>
    public static Diagnostic? Missing(DockerfileDocument dockerfile, string path, string stage, string property, string extraFix = "")
    {
        if (dockerfile.Stages.Count == 0 || dockerfile.Stage(stage) is not null)
        {
            return null;
        }

        var names = dockerfile.Stages.Select(s => s.DisplayName).ToList();
        string? close = DidYouMean.Suggest(stage, names);
        var span = close is null ? SourceSpan.None : dockerfile.Stages.First(s => s.DisplayName == close).From.Span;
        return DiagnosticCatalog.StageNotFound.Create(path, span, stage, string.Join(", ", names), property, extraFix, close is null ? string.Empty : $"; did you mean '{close}' here?");
    }
}
