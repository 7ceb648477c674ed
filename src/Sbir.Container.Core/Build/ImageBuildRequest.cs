using Sbir.Container.Engine;

namespace Sbir.Container.Build;

/// <summary>
/// A BuildKit secret for the build: the value comes from an environment variable of the docker
/// process (set from the environment or from .env) or from a file; it is never a build argument and
/// never on the command line.
/// </summary>
/// <param name="Id">The id the Dockerfile mounts: <c>RUN --mount=type=secret,id=ID</c>.</param>
/// <param name="EnvironmentVariable">The variable holding the value, or null.</param>
/// <param name="File">The file holding the value, or null.</param>
/// <param name="Value">The resolved value of <paramref name="EnvironmentVariable"/>; passed only in the child's environment.</param>
public sealed record BuildSecret(string Id, string? EnvironmentVariable, string? File, string? Value)
{
    /// <inheritdoc />
    public override string ToString() => $"BuildSecret {{ Id = {Id}, EnvironmentVariable = {EnvironmentVariable}, File = {File} }}";
}

/// <summary>Everything DockerBuild needs, already resolved from MSBuild properties, items and config/docker.yaml.</summary>
public sealed record ImageBuildRequest
{
    /// <summary>The project directory (for messages and relative paths).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>Absolute path of the Dockerfile.</summary>
    public required string DockerfilePath { get; init; }

    /// <summary>Absolute path of the build context.</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>Repository of the runtime image, registry included (for example ghcr.io/acme/sbir-etl).</summary>
    public required string Repository { get; init; }

    /// <summary>Tags for both images.</summary>
    public required IReadOnlyList<string> Tags { get; init; }

    /// <summary>The stage built as the product.</summary>
    public required string RuntimeStage { get; init; }

    /// <summary>The property that names <see cref="RuntimeStage"/>, for the fix of a missing stage (the test image is built from SbirContainerTestStage).</summary>
    public string RuntimeStageProperty { get; init; } = "SbirContainerRuntimeStage";

    /// <summary>The stage built and kept as the builder image, or null to skip it.</summary>
    public string? BuilderStage { get; init; }

    /// <summary>Repository of the builder image; default <c>{Repository}-builder</c>.</summary>
    public string? BuilderRepository { get; init; }

    /// <summary>Build arguments in order (name, value). Values are not secret: one that is stops the build (SBC2010).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> BuildArgs { get; init; } = [];

    /// <summary>Build arguments whose value was withheld before it became an MSBuild item, because it holds a secret: each stops the build (SBC2010).</summary>
    public IReadOnlyList<string> WithheldBuildArgs { get; init; } = [];

    /// <summary>
    /// The project's secret values (.env, the environment): no build argument may hold one, and docker's output is masked
    /// with them. Loaded on first use (parsing config/docker.yaml and .env): before any docker process starts and when
    /// there are build arguments to check, so a no-op build that the engine's socket confirms reads neither file.
    /// </summary>
    public Lazy<Secrets.SecretValueSet> KnownSecrets { get; init; } = new(() => new Secrets.SecretValueSet());

    /// <summary>Base image, passed as the build argument <see cref="BaseImageArg"/>; null keeps the Dockerfile's default.</summary>
    public string? BaseImage { get; init; }

    /// <summary>The Dockerfile ARG that receives <see cref="BaseImage"/>.</summary>
    public string BaseImageArg { get; init; } = "BASE_IMAGE";

    /// <summary>Labels for both images; <see cref="OciLabels.Created"/> is left out of the incremental check.</summary>
    public IReadOnlyDictionary<string, string> Labels { get; init; } = new Dictionary<string, string>();

    /// <summary>BuildKit secrets.</summary>
    public IReadOnlyList<BuildSecret> Secrets { get; init; } = [];

    /// <summary>--cache-from values (image references or BuildKit cache specs).</summary>
    public IReadOnlyList<string> CacheFrom { get; init; } = [];

    /// <summary>--cache-to value, or null.</summary>
    public string? CacheTo { get; init; }

    /// <summary>--platform value, or null.</summary>
    public string? Platform { get; init; }

    /// <summary>Folder for the state, hash cache and image-ID files (under obj/).</summary>
    public required string StateDirectory { get; init; }

    /// <summary>Build even when nothing changed.</summary>
    public bool Force { get; init; }

    /// <summary>SbirDockerCli: the CLI name or path; empty for "docker".</summary>
    public string? Cli { get; init; }

    /// <summary>SbirContainerBuilder.</summary>
    public BuilderPreference Builder { get; init; } = BuilderPreference.Auto;

    /// <summary>The builder image's repository.</summary>
    public string EffectiveBuilderRepository => string.IsNullOrWhiteSpace(BuilderRepository) ? Repository + "-builder" : BuilderRepository!;

    /// <summary>repository:tag for each tag of the runtime image.</summary>
    public IReadOnlyList<string> RuntimeReferences => Tags.Select(t => $"{Repository}:{t}").ToList();

    /// <summary>repository:tag for each tag of the builder image.</summary>
    public IReadOnlyList<string> BuilderReferences => BuilderStage is null ? [] : Tags.Select(t => $"{EffectiveBuilderRepository}:{t}").ToList();

    /// <summary>All build arguments docker receives: the base image first, then the others.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> EffectiveBuildArgs
    {
        get
        {
            var list = new List<KeyValuePair<string, string>>();
            if (!string.IsNullOrWhiteSpace(BaseImage))
            {
                list.Add(new(BaseImageArg, BaseImage!));
            }

            foreach (var argument in BuildArgs)
            {
                if (!(argument.Key == BaseImageArg && !string.IsNullOrWhiteSpace(BaseImage)))
                {
                    list.Add(argument);
                }
            }

            return list;
        }
    }
}
