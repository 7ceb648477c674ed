namespace Sbir.Container.Diagnostics;

// SBC50xx: the container engine and its CLI; SBC51xx: image builds.
public static partial class DiagnosticCatalog
{
    /// <summary>The docker-compatible CLI cannot be found or started.</summary>
    public static readonly DiagnosticDescriptor EngineCliNotFound = new(
        "SBC5001", "Container CLI not found", DiagnosticSeverity.Error,
        "The container CLI '{0}' was not found{1}",
        "Install Docker (https://docs.docker.com/engine/install/) or Podman, or set SbirDockerCli to the full path of a docker-compatible CLI, for example -p:SbirDockerCli=/usr/bin/docker.");

    /// <summary>The CLI runs but the daemon does not answer.</summary>
    public static readonly DiagnosticDescriptor EngineUnreachable = new(
        "SBC5002", "Container engine unreachable", DiagnosticSeverity.Error,
        "The container engine at {0} does not answer ({1}): {2}",
        "Start the engine (Docker Desktop, or 'sudo systemctl start docker' / 'dockerd'), or point DOCKER_HOST or the docker context ('docker context use NAME') at a running one, then run 'docker info' to check.");

    /// <summary>The daemon socket exists but this user may not use it.</summary>
    public static readonly DiagnosticDescriptor EnginePermissionDenied = new(
        "SBC5003", "Permission denied on the engine socket", DiagnosticSeverity.Error,
        "Permission denied talking to the container engine at {0}: {1}",
        "Add your user to the 'docker' group ('sudo usermod -aG docker $USER', then log in again) or use rootless Docker or Podman.");

    /// <summary>The build needs BuildKit and the chosen CLI cannot use it.</summary>
    public static readonly DiagnosticDescriptor BuildKitUnavailable = new(
        "SBC5004", "BuildKit unavailable", DiagnosticSeverity.Error,
        "This build needs BuildKit ({0}), but {1} cannot use it: {2}",
        "Set SbirDockerCli to a BuildKit-capable client{3}, or install the docker buildx plugin (https://docs.docker.com/go/buildx/).");

    /// <summary>The CLI answered in a way the SDK does not understand.</summary>
    public static readonly DiagnosticDescriptor EngineProbeFailed = new(
        "SBC5005", "Container CLI not recognised", DiagnosticSeverity.Error,
        "'{0} version' did not answer as a docker-compatible CLI (exit code {1}): {2}",
        "Set SbirDockerCli to a Docker (20.10 or newer) or Podman (4 or newer) CLI.");

    /// <summary>Cache export needs the buildx plugin.</summary>
    public static readonly DiagnosticDescriptor CacheExportUnsupported = new(
        "SBC5006", "Cache export unsupported by this builder", DiagnosticSeverity.Error,
        "SbirContainerCacheTo is set ('{0}'), but {1} cannot export a build cache: {2}",
        "Install the docker buildx plugin and use a builder with the docker-container driver ('docker buildx create --use'), or clear SbirContainerCacheTo; SbirContainerCacheFrom with image references works with every BuildKit.");

    /// <summary>A Dockerfile instruction failed during the build.</summary>
    public static readonly DiagnosticDescriptor BuildStepFailed = new(
        "SBC5101", "Build step failed", DiagnosticSeverity.Error,
        "{0} failed in stage '{1}'{2}. Last output:{3}",
        "Fix the command at this line of the Dockerfile; the full output is in the build log above (rerun with -v:n to see it stream).");

    /// <summary>The build failed and the failing instruction could not be identified.</summary>
    public static readonly DiagnosticDescriptor BuildFailed = new(
        "SBC5102", "Image build failed", DiagnosticSeverity.Error,
        "Building stage '{0}' failed (exit code {1}). Last output:{2}",
        "Read the docker output above for the cause; rerun with -v:n to see it stream.");

    /// <summary>The base image is neither local nor pullable.</summary>
    public static readonly DiagnosticDescriptor BaseImageUnavailable = new(
        "SBC5103", "Base image unavailable", DiagnosticSeverity.Error,
        "The base image '{0}' is not in the local engine and could not be pulled: {1}",
        "{2}");

    /// <summary>A docker command other than the build failed.</summary>
    public static readonly DiagnosticDescriptor DockerCommandFailed = new(
        "SBC5104", "Docker command failed", DiagnosticSeverity.Error,
        "'{0}' failed with exit code {1}: {2}",
        "Run the same command by hand to see the full output; check 'docker info' for the engine's state.");

    /// <summary>The stage to build does not exist in the Dockerfile.</summary>
    public static readonly DiagnosticDescriptor StageNotFound = new(
        "SBC5105", "Build stage not found", DiagnosticSeverity.Error,
        "The Dockerfile has no stage named '{0}' (stages: {1}){4}",
        "Name the stage with 'FROM image AS {0}', or set {2} to one of the stages listed{3}.");
}
