namespace Sbir.Container.Diagnostics;

// SBC30xx: reading the Dockerfile. Rules about its content (SBC31xx and up) are added by the Dockerfile checks.
public static partial class DiagnosticCatalog
{
    /// <summary>A word in instruction position that is not a Dockerfile instruction.</summary>
    public static readonly DiagnosticDescriptor DockerfileUnknownInstruction = new(
        "SBC3001", "Unknown Dockerfile instruction", DiagnosticSeverity.Error,
        "Unknown instruction '{0}'",
        "Use one of FROM, RUN, CMD, LABEL, EXPOSE, ENV, ADD, COPY, ENTRYPOINT, VOLUME, USER, WORKDIR, ARG, ONBUILD, STOPSIGNAL, HEALTHCHECK, SHELL; a line that continues the previous instruction needs a trailing '{1}' on that line.");

    /// <summary>The file ends in the middle of an instruction.</summary>
    public static readonly DiagnosticDescriptor DockerfileDanglingContinuation = new(
        "SBC3002", "Dangling line continuation", DiagnosticSeverity.Warning,
        "The last instruction ends with a line continuation ('{0}') but nothing follows",
        "Remove the trailing '{0}' or add the rest of the instruction.");

    /// <summary>A heredoc whose terminator never comes.</summary>
    public static readonly DiagnosticDescriptor DockerfileUnterminatedHeredoc = new(
        "SBC3003", "Unterminated heredoc", DiagnosticSeverity.Error,
        "The heredoc '<<{0}' is never closed: no line reads '{0}'",
        "End the heredoc with a line containing only '{0}'.");

    /// <summary>An exec-form instruction whose JSON array does not parse.</summary>
    public static readonly DiagnosticDescriptor DockerfileInvalidExecForm = new(
        "SBC3004", "Invalid exec form", DiagnosticSeverity.Warning,
        "{0} starts with '[' but is not a JSON array of strings, so docker runs it through /bin/sh -c as text",
        "Write it as a JSON array with double quotes, for example {0} [\"tini\", \"--\", \"app\"].");

    /// <summary>The Dockerfile is empty or has no FROM.</summary>
    public static readonly DiagnosticDescriptor DockerfileNoFrom = new(
        "SBC3005", "No FROM instruction", DiagnosticSeverity.Error,
        "The Dockerfile has no FROM instruction",
        "Start the file with 'FROM image AS stage' (parser directives, comments and ARG may come before it).");

    /// <summary>The Dockerfile is not text.</summary>
    public static readonly DiagnosticDescriptor DockerfileNotText = new(
        "SBC3006", "Dockerfile is not text", DiagnosticSeverity.Error,
        "The Dockerfile is not UTF-8 text ({0})",
        "Save it as UTF-8 text; check that the path names the Dockerfile and not a binary file.");
}
