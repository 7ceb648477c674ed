using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Tasks.Logging;

/// <summary>
/// Turns core diagnostics into MSBuild errors, warnings and messages in the canonical form
/// (file, line, column, code), and passes every text through the secret masker first.
/// </summary>
internal sealed class TaskDiagnosticLogger
{
    private readonly TaskLoggingHelper _log;
    private readonly SecretMasker _masker;
    private readonly string? _projectFile;

    /// <param name="log">The task's logging helper.</param>
    /// <param name="masker">Masks secret values in every text.</param>
    /// <param name="projectFile">The user's project file: where a diagnostic about a property points,
    /// instead of the SDK's .targets file in the NuGet cache, which MSBuild would name otherwise.</param>
    public TaskDiagnosticLogger(TaskLoggingHelper log, SecretMasker masker, string? projectFile = null)
    {
        _log = log;
        _masker = masker;
        _projectFile = projectFile;
    }

    /// <summary>Logs one diagnostic with its code, file and position.</summary>
    public void Log(Diagnostic diagnostic)
    {
        string message = _masker.Apply(diagnostic.Message);
        string file = diagnostic.File ?? _projectFile ?? string.Empty;
        var span = diagnostic.Span;
        switch (diagnostic.Severity)
        {
            case DiagnosticSeverity.Error:
                _log.LogError(null, diagnostic.Code, diagnostic.Code, file, span.Line, span.Column, span.EndLine, span.EndColumn, "{0}", message);
                break;
            case DiagnosticSeverity.Warning:
                _log.LogWarning(null, diagnostic.Code, diagnostic.Code, file, span.Line, span.Column, span.EndLine, span.EndColumn, "{0}", message);
                break;
            case DiagnosticSeverity.Info:
                // Information stays out of the default log unless its descriptor says otherwise.
                // With a file, MSBuild prints "file(line,col): message CODE: text" itself; without one, the code goes in the text.
                var importance = diagnostic.Descriptor.ShownAtMinimalVerbosity ? MessageImportance.High : MessageImportance.Normal;
                _log.LogMessage(null, diagnostic.Code, diagnostic.Code, file, span.Line, span.Column, span.EndLine, span.EndColumn, importance, "{0}", string.IsNullOrEmpty(file) ? $"{diagnostic.Code}: {message}" : message);
                break;
        }
    }

    /// <summary>Logs a plain message (masked) at <paramref name="importance"/>.</summary>
    public void Message(string text, MessageImportance importance = MessageImportance.Normal)
        => _log.LogMessage(importance, "{0}", _masker.Apply(text));
}
