namespace Sbir.Container.Diagnostics;

// SBC3130-3139: what the image will contain, read from the build context and the Dockerfile's COPY and ADD
// (Sbir.Container.Context.ImageContents): sources outside the context, scripts that cannot run in the image.
public static partial class DiagnosticCatalog
{
    /// <summary>
    /// A script the image will run has Windows (CRLF) line endings: the kernel looks for an interpreter named
    /// "/bin/sh\r" and the container dies with "exec ... no such file or directory". Arguments: the file, the copy.
    /// </summary>
    public static readonly DiagnosticDescriptor ScriptCrlf = new(
        "SBC3130", "Script with CRLF line endings", DiagnosticSeverity.Error,
        "{0} has Windows line endings (CRLF) from this line on and is copied into the image by {1}; the container would die with \"exec ... no such file or directory\", because the kernel looks for an interpreter whose name ends in a carriage return",
        "Convert it to LF (dos2unix {0}, or your editor's line-ending setting), and keep it LF on every checkout with a .gitattributes line such as '*.sh text eol=lf' (the sample ships one).");

    /// <summary>A COPY or ADD source that is not a file of the build context. Arguments: the source, why.</summary>
    public static readonly DiagnosticDescriptor CopyOutsideContext = new(
        "SBC3131", "Source outside the build context", DiagnosticSeverity.Error,
        "{0} '{1}' does not name a file of the build context: {2}",
        "Give the path relative to the build context (SbirContainerContext, default the project folder), and move the file into the context if it is not there; a file from elsewhere on the host never reaches the build.");
}
