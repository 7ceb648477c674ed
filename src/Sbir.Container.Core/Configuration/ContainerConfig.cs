namespace Sbir.Container.Configuration;

/// <summary>
/// The <c>container:</c> section of config/docker.yaml: defaults for the image build. Every value is
/// optional; an MSBuild property set by the user always wins over it.
/// </summary>
public sealed record ContainerSettings
{
    /// <summary>Repository name of the runtime image (container.image).</summary>
    public string? Image { get; init; }

    /// <summary>Registry prefix, host or host/namespace (container.registry).</summary>
    public string? Registry { get; init; }

    /// <summary>Tags (container.tags).</summary>
    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>Base image passed to the Dockerfile's base-image argument (container.baseImage).</summary>
    public string? BaseImage { get; init; }

    /// <summary>Name of that Dockerfile ARG (container.baseImageArg).</summary>
    public string? BaseImageArg { get; init; }

    /// <summary>True when every external base image must be pinned by digest (container.requireDigest; SBC3115).</summary>
    public bool RequireDigest { get; init; }

    /// <summary>Dockerfile path relative to the project (container.dockerfile).</summary>
    public string? Dockerfile { get; init; }

    /// <summary>Build context relative to the project (container.context).</summary>
    public string? Context { get; init; }

    /// <summary>Name of the builder stage (container.stages.builder).</summary>
    public string? BuilderStage { get; init; }

    /// <summary>Name of the runtime stage (container.stages.runtime).</summary>
    public string? RuntimeStage { get; init; }

    /// <summary>Name of the test stage (container.stages.test).</summary>
    public string? TestStage { get; init; }

    /// <summary>Build arguments (container.buildArgs).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();
}

/// <summary>One compose profile of config/docker.yaml: which files, which compose profiles.</summary>
/// <param name="Name">dev, test, prod, ...</param>
/// <param name="Files">Compose files, relative to the project directory, in order.</param>
/// <param name="ComposeProfiles">Values for --profile.</param>
/// <param name="BuildImage">Whether ComposeUp builds the image first (default true).</param>
public sealed record ComposeProfileSettings(string Name, IReadOnlyList<string> Files, IReadOnlyList<string> ComposeProfiles, bool BuildImage = true);

/// <summary>The <c>compose:</c> section of config/docker.yaml.</summary>
public sealed record ComposeSettings
{
    /// <summary>The compose project name (compose.projectName).</summary>
    public string? ProjectName { get; init; }

    /// <summary>The profiles by name.</summary>
    public IReadOnlyDictionary<string, ComposeProfileSettings> Profiles { get; init; } = new Dictionary<string, ComposeProfileSettings>(StringComparer.OrdinalIgnoreCase);

    /// <summary>How long ComposeUp waits for health (compose.health.waitTimeout), or null.</summary>
    public TimeSpan? WaitTimeout { get; init; }

    /// <summary>
    /// SBC5206 when <paramref name="profile"/> names no profile of compose.profiles (a misspelt -p:Profile=prdo would
    /// otherwise check and run nothing and pass), listing the known ones; null when it is known, empty, or the file
    /// defines no profiles (then the project's docker-compose.yml serves every profile).
    /// </summary>
    public Diagnostics.Diagnostic? UnknownProfile(string? profile, string? configFile)
    {
        if (string.IsNullOrWhiteSpace(profile) || Profiles.Count == 0 || Profiles.ContainsKey(profile.Trim()))
        {
            return null;
        }

        return Diagnostics.DiagnosticCatalog.ComposeUnknownProfile.Create(
            configFile, Diagnostics.SourceSpan.None, profile.Trim(), string.Join(", ", Profiles.Keys), Text.DidYouMean.Hint(profile.Trim(), Profiles.Keys));
    }
}

/// <summary>The <c>test:</c> section of config/docker.yaml: what DockerTest runs besides pytest in the test image.</summary>
public sealed record TestSettings
{
    /// <summary>The pytest marker of tests that need the compose test stack (test.stackMarker); only they start it. Null: the default, stack.</summary>
    public string? StackMarker { get; init; }

    /// <summary>Commands run in the runtime image, each of which must exit 0 (test.smoke).</summary>
    public IReadOnlyList<IReadOnlyList<string>> Smoke { get; init; } = [];
}

/// <summary>config/docker.yaml as read: the sections the SDK uses, and the file it came from.</summary>
public sealed record ContainerConfig
{
    /// <summary>An empty configuration, used when the file does not exist.</summary>
    public static ContainerConfig Empty { get; } = new();

    /// <summary>Absolute path of the file, or null when there is none.</summary>
    public string? Path { get; init; }

    /// <summary>The container section.</summary>
    public ContainerSettings Container { get; init; } = new();

    /// <summary>The compose section.</summary>
    public ComposeSettings Compose { get; init; } = new();

    /// <summary>The test section.</summary>
    public TestSettings Test { get; init; } = new();

    /// <summary>The environment section: the contract .env is checked against.</summary>
    public EnvironmentContract Environment { get; init; } = new();

    /// <summary>The application's settings keys (dotted paths of the settings: tree), for SBIR_ETL__ variables.</summary>
    public IReadOnlySet<string> SettingsKeys { get; init; } = new HashSet<string>(StringComparer.Ordinal);

    /// <summary>Severity overrides from the rules: section, by code (SBC2001) or hadolint ID (DL3008).</summary>
    public IReadOnlyDictionary<string, Diagnostics.DiagnosticSeverity> Rules { get; init; } = new Dictionary<string, Diagnostics.DiagnosticSeverity>(StringComparer.OrdinalIgnoreCase);
}
