namespace Sbir.Container.Diagnostics;

/// <summary>
/// One finding, as data: the core returns these and only the MSBuild tasks log them.
/// </summary>
/// <param name="Descriptor">The catalogue entry.</param>
/// <param name="Severity">The effective severity (after configuration).</param>
/// <param name="File">The file the finding is about, or null.</param>
/// <param name="Span">Where in <paramref name="File"/>.</param>
/// <param name="Message">The formatted message, already free of secret values.</param>
public sealed record Diagnostic(
    DiagnosticDescriptor Descriptor,
    DiagnosticSeverity Severity,
    string? File,
    SourceSpan Span,
    string Message)
{
    /// <summary>The stable code, for example SBC5001.</summary>
    public string Code => Descriptor.Code;

    /// <summary>A copy with another severity.</summary>
    public Diagnostic WithSeverity(DiagnosticSeverity severity) => this with { Severity = severity };

    /// <summary>
    /// The canonical MSBuild form, <c>file(line,col): error SBCnnnn: message</c>, as MSBuild, VS Code
    /// and GitHub Actions problem matchers read it.
    /// </summary>
    public override string ToString()
    {
        string kind = Severity switch
        {
            DiagnosticSeverity.Error => "error",
            DiagnosticSeverity.Warning => "warning",
            _ => "info",
        };
        string origin = File is null ? "Sbir.Container.Sdk" : File + Span;
        return $"{origin}: {kind} {Code}: {Message}";
    }
}
