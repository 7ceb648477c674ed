using Microsoft.Build.Framework;
using Sbir.Container.Configuration;
using Sbir.Container.Secrets;

namespace Sbir.Container.Tasks;

/// <summary>
/// Reads config/docker.yaml and returns its defaults; the targets apply each one only where the
/// user has not set the property.
/// </summary>
public sealed class ReadContainerConfig : SbirTask
{
    /// <summary>Path of config/docker.yaml; a missing file yields empty outputs.</summary>
    [Required]
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>
    /// True for the first read of a build, with the user's profile: report a missing (when
    /// <see cref="ConfigFileRequired"/>) or empty file, and a profile config/docker.yaml does not define, once. Later
    /// reads for another profile (DockerTest's test profile, which may be absent: tests then run without services) do not.
    /// </summary>
    public bool CheckSettings { get; set; }

    /// <summary>True when the user set SbirContainerConfigFile: the file must then exist.</summary>
    public bool ConfigFileRequired { get; set; }

    /// <summary>The .env file the user named (SbirContainerEnvFile), or empty for environment.files.env, else .env: its secrets keep config build arguments that hold them out of MSBuild's items.</summary>
    public string EnvFileOverride { get; set; } = string.Empty;

    /// <summary>The compose profile to describe (dev, test, prod), or empty.</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>container.image.</summary>
    [Output] public string ImageName { get; private set; } = string.Empty;

    /// <summary>container.registry.</summary>
    [Output] public string Registry { get; private set; } = string.Empty;

    /// <summary>container.tags.</summary>
    [Output] public string[] ImageTags { get; private set; } = [];

    /// <summary>container.baseImage.</summary>
    [Output] public string BaseImage { get; private set; } = string.Empty;

    /// <summary>container.baseImageArg.</summary>
    [Output] public string BaseImageArgument { get; private set; } = string.Empty;

    /// <summary>container.dockerfile.</summary>
    [Output] public string Dockerfile { get; private set; } = string.Empty;

    /// <summary>container.context.</summary>
    [Output] public string Context { get; private set; } = string.Empty;

    /// <summary>container.stages.builder.</summary>
    [Output] public string BuilderStage { get; private set; } = string.Empty;

    /// <summary>container.stages.runtime.</summary>
    [Output] public string RuntimeStage { get; private set; } = string.Empty;

    /// <summary>container.stages.test.</summary>
    [Output] public string TestStage { get; private set; } = string.Empty;

    /// <summary>container.buildArgs as items with a Value metadata.</summary>
    [Output] public ITaskItem[] BuildArgs { get; private set; } = [];

    /// <summary>compose.projectName.</summary>
    [Output] public string ComposeProjectName { get; private set; } = string.Empty;

    /// <summary>compose.profiles.&lt;Profile&gt;.files.</summary>
    [Output] public string[] ComposeFiles { get; private set; } = [];

    /// <summary>compose.profiles.&lt;Profile&gt;.profiles.</summary>
    [Output] public string[] ComposeProfiles { get; private set; } = [];

    /// <summary>compose.profiles.&lt;Profile&gt;.buildImage ("true"/"false"), empty when the profile is unknown.</summary>
    [Output] public string ComposeBuildImage { get; private set; } = string.Empty;

    /// <summary>The profile names config/docker.yaml defines.</summary>
    [Output] public string[] KnownComposeProfiles { get; private set; } = [];

    /// <summary>compose.health.waitTimeout in seconds.</summary>
    [Output] public string ComposeWaitTimeout { get; private set; } = string.Empty;

    /// <summary>How many commands test.smoke lists (DockerTest builds the runtime image to run them).</summary>
    [Output] public int TestSmokeCount { get; private set; }

    /// <summary>environment.files.env, as written (relative to the project); empty when the file does not say.</summary>
    [Output] public string EnvFile { get; private set; } = string.Empty;

    /// <summary>The SDK's state folder (SbirContainerIntermediateDirectory): settings of an unchanged file are kept there; empty to parse every time.</summary>
    public string StateDirectory { get; set; } = string.Empty;

    /// <inheritdoc />
    protected override Task ExecuteCoreAsync()
    {
        if (CheckSettings && ContainerConfigLoader.CheckPresence(ConfigFile, ConfigFileRequired) is { } presence)
        {
            Diagnostics.Log(presence);
        }

        string? cache = string.IsNullOrWhiteSpace(StateDirectory) ? null : Path.Combine(FullPath(StateDirectory, ProjectDirectory), "settings");
        string? profile = string.IsNullOrWhiteSpace(Profile) ? null : Profile;
        string? key = cache is null ? null : ConfigSettings.KeyOf(ConfigFile, profile);
        if (cache is not null && key is not null && ConfigSettings.Load(cache, ConfigFile, profile, key) is { } kept)
        {
            // The same file for the same profile gave these settings, no finding and no build argument before.
            Apply(kept);
            return Task.CompletedTask;
        }

        var result = ContainerConfigLoader.Load(ConfigFile);
        LogDiagnostics(result.Diagnostics);
        var buildArgs = result.Config.Container.BuildArgs;
        if (buildArgs.Count > 0)
        {
            // Before any value becomes an item (which MSBuild logs), those that hold a secret are withheld.
            string envFile = FullPath(EnvFileOverride.Length > 0 ? EnvFileOverride : result.Config.Environment.EnvFile, ProjectDirectory);
            var known = SecretValueSet.From(Dotenv.DotenvParser.ParseFileIfPresent(envFile, Environment.Get), result.Config.Environment, Environment.Get);
            known.RegisterWith(Masker);
            BuildArgs = buildArgs.Select(a => BuildArgItems.Create(a.Key, a.Value, known)).ToArray();
        }

        var settings = ConfigSettings.From(result.Config, profile);
        Apply(settings);
        var unknown = result.Config.Compose.UnknownProfile(Profile, result.Config.Path);
        if (CheckSettings && unknown is not null)
        {
            // Every target reads the configuration first: a misspelt profile stops ContainerValidate as well as ComposeUp.
            Diagnostics.Log(unknown);
        }

        // Build arguments depend on .env and the environment as well, and findings must be shown again: neither is kept.
        if (cache is not null && key is not null && buildArgs.Count == 0 && result.Diagnostics.Count == 0 && unknown is null)
        {
            ConfigSettings.Save(cache, ConfigFile, profile, key, settings);
        }

        return Task.CompletedTask;
    }

    private string ProjectDirectory => Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(ProjectFile) ? ConfigFile : ProjectFile))!;

    private void Apply(ConfigSettings settings)
    {
        ImageName = settings.Image;
        Registry = settings.Registry;
        ImageTags = settings.Tags.ToArray();
        BaseImage = settings.BaseImage;
        BaseImageArgument = settings.BaseImageArgument;
        Dockerfile = settings.Dockerfile;
        Context = settings.Context;
        BuilderStage = settings.BuilderStage;
        RuntimeStage = settings.RuntimeStage;
        TestStage = settings.TestStage;
        ComposeProjectName = settings.ComposeProjectName;
        ComposeFiles = settings.ComposeFiles.ToArray();
        ComposeProfiles = settings.ComposeProfiles.ToArray();
        ComposeBuildImage = settings.ComposeBuildImage;
        KnownComposeProfiles = settings.KnownComposeProfiles.ToArray();
        ComposeWaitTimeout = settings.ComposeWaitTimeout;
        TestSmokeCount = settings.TestSmokeCount;
        EnvFile = settings.EnvFile;
    }
}
