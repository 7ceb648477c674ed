using Sbir.Container.Diagnostics;

namespace Sbir.Container.Build;

/// <summary>What DockerBuild did.</summary>
public sealed record ImageBuildResult
{
    /// <summary>True when no error was reported.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>True when docker was not run because nothing changed.</summary>
    public bool Skipped { get; init; }

    /// <summary>Why the image was (re)built, or why it was skipped.</summary>
    public IReadOnlyList<string> Reasons { get; init; } = [];

    /// <summary>The runtime image ID.</summary>
    public string? ImageId { get; init; }

    /// <summary>The builder image ID, when a builder stage was built.</summary>
    public string? BuilderImageId { get; init; }

    /// <summary>Size of the runtime image in bytes.</summary>
    public long? Size { get; init; }

    /// <summary>Size of the builder image in bytes.</summary>
    public long? BuilderSize { get; init; }

    /// <summary>The file holding <see cref="ImageId"/>.</summary>
    public string? ImageIdFile { get; init; }

    /// <summary>Wall time of the whole operation.</summary>
    public TimeSpan Elapsed { get; init; }

    /// <summary>Errors and warnings.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; init; } = [];

    /// <summary>The engine description, when the engine was probed.</summary>
    public string? Engine { get; init; }
}
