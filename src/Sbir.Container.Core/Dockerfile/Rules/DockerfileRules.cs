using Sbir.Container.Diagnostics;

namespace Sbir.Container.Dockerfile.Rules;

/// <summary>
/// The Dockerfile checks (SBC31xx): hadolint's rules that matter for a multi-stage Python image, under the
/// same IDs so that existing <c># hadolint ignore=</c> pragmas keep working, plus what hadolint misses
/// (ARGs resolved in FROM, implicit root, tini, build tools in the final stage, uv and Poetry; secret values are the secret scan's, SBC2xxx).
/// Parse problems are the parser's (SBC30xx, <see cref="DockerfileDocument.Diagnostics"/>); this only reads
/// what was parsed, and never throws on any document.
/// </summary>
public static class DockerfileRules
{
    /// <summary>
    /// Checks <paramref name="document"/>. Findings carry the document's path and the span of the
    /// instruction or of the part at fault; findings suppressed by a pragma come back as SBC3199 (info).
    /// Ordered by position, then code.
    /// </summary>
    public static IReadOnlyList<Diagnostic> Check(DockerfileDocument document, DockerfileRuleOptions options)
    {
        ArgumentNullException.ThrowIfNull(document);
        var context = new RuleContext(document, options ?? new DockerfileRuleOptions());

        StageRules.Check(context);
        PackageRules.Check(context);
        PythonRules.Check(context);
        LayerRules.Check(context);
        ContextRules.Check(context);

        var pragmas = Pragmas.Read(document);
        var diagnostics = new List<Diagnostic>(context.Findings.Count);
        foreach (var finding in context.Findings)
        {
            string? pragma = pragmas.Suppressing(finding);
            if (pragma is null)
            {
                diagnostics.Add(finding.Diagnostic);
                continue;
            }

            var descriptor = finding.Diagnostic.Descriptor;
            string rule = descriptor.HelpId is null ? descriptor.Code : $"{descriptor.Code} (hadolint {descriptor.HelpId})";
            diagnostics.Add(DiagnosticCatalog.DockerfileRuleSuppressed.Create(document.Path, finding.Anchor.Span, rule, pragma));
        }

        return diagnostics
            .OrderBy(d => d.Span.Line)
            .ThenBy(d => d.Span.Column)
            .ThenBy(d => d.Code, StringComparer.Ordinal)
            .ToList();
    }
}
