namespace Sbir.Container.Engine;

/// <summary>How images are built with the chosen CLI.</summary>
public enum BuilderKind
{
    /// <summary>The legacy (pre-BuildKit) docker builder: no build secrets, no RUN --mount, no cache export.</summary>
    Legacy,

    /// <summary>BuildKit built into the docker CLI (18.09 to 22.x), switched on with DOCKER_BUILDKIT=1.</summary>
    BuildKitBuiltIn,

    /// <summary>BuildKit through the buildx plugin (docker 23 and newer, or 19.03+ with the plugin installed).</summary>
    Buildx,

    /// <summary>Podman (Buildah): secrets and multi-stage builds work, BuildKit-only flags do not apply.</summary>
    Podman,
}

/// <summary>What the engine probe learned about the CLI and the daemon behind it.</summary>
/// <param name="CliPath">Full path of the CLI that was probed.</param>
/// <param name="ClientVersion">The CLI's own version, for example 28.2.2.</param>
/// <param name="ServerVersion">The engine's version, for example 20.10.24.</param>
/// <param name="Endpoint">Where the engine was reached: DOCKER_HOST or the context's endpoint.</param>
/// <param name="Context">The docker context in use, when the CLI reports one.</param>
/// <param name="IsPodman">True when the CLI is Podman, under its own name or behind the <c>docker</c> name.</param>
/// <param name="HasBuildxPlugin">True when <c>docker buildx version</c> answers.</param>
/// <param name="Builder">The builder the SDK will use.</param>
public sealed record EngineInfo(
    string CliPath,
    string ClientVersion,
    string ServerVersion,
    string Endpoint,
    string? Context,
    bool IsPodman,
    bool HasBuildxPlugin,
    BuilderKind Builder)
{
    /// <summary>True when the chosen builder runs BuildKit (or Buildah), so build secrets and RUN --mount work.</summary>
    public bool SupportsBuildSecrets => Builder != BuilderKind.Legacy;

    /// <summary>A one-line description for logs: "docker 28.2.2 (legacy builder) → engine 20.10.24 at unix:///var/run/docker.sock".</summary>
    public string Describe()
    {
        string cli = IsPodman ? "podman" : "docker";
        string builder = Builder switch
        {
            BuilderKind.Legacy => "legacy builder",
            BuilderKind.BuildKitBuiltIn => "built-in BuildKit",
            BuilderKind.Buildx => "BuildKit via buildx",
            _ => "Buildah",
        };
        return $"{CliPath} ({cli} {ClientVersion}, {builder}) -> engine {ServerVersion} at {Endpoint}";
    }
}
