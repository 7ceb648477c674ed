namespace Sbir.Container.Diagnostics;

/// <summary>How a diagnostic is reported. Rules can be configured down to <see cref="Off"/>.</summary>
public enum DiagnosticSeverity
{
    /// <summary>Not reported at all (a rule switched off in config/docker.yaml).</summary>
    Off = 0,

    /// <summary>Reported as a normal-importance message with its code (for example a suppression).</summary>
    Info = 1,

    /// <summary>Reported as an MSBuild warning.</summary>
    Warning = 2,

    /// <summary>Reported as an MSBuild error: the target fails.</summary>
    Error = 3,
}
