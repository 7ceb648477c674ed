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

    /// <inheritdoc />
    protected override Task ExecuteCoreAsync()
    {
        if (CheckSettings && ContainerConfigLoader.CheckPresence(ConfigFile, ConfigFileRequired) is { } presence)
        {
            Diagnostics.Log(presence);
        }

        var result = ContainerConfigLoader.Load(ConfigFile);
        LogDiagnostics(result.Diagnostics);
        var c = result.Config.Container;
        ImageName = c.Image ?? string.Empty;
        Registry = c.Registry ?? string.Empty;
        ImageTags = c.Tags.ToArray();
        BaseImage = c.BaseImage ?? string.Empty;
        BaseImageArgument = c.BaseImageArg ?? string.Empty;
        Dockerfile = c.Dockerfile ?? string.Empty;
        Context = c.Context ?? string.Empty;
        BuilderStage = c.BuilderStage ?? string.Empty;
        RuntimeStage = c.RuntimeStage ?? string.Empty;
        TestStage = c.TestStage ?? string.Empty;
        if (c.BuildArgs.Count > 0)
        {
            // Before any value becomes an item (which MSBuild logs), those that hold a secret are withheld.
            string projectDirectory = Path.GetDirectoryName(Path.GetFullPath(string.IsNullOrEmpty(ProjectFile) ? ConfigFile : ProjectFile))!;
            string envFile = FullPath(EnvFileOverride.Length > 0 ? EnvFileOverride : result.Config.Environment.EnvFile, projectDirectory);
            var known = SecretValueSet.From(Dotenv.DotenvParser.ParseFileIfPresent(envFile, Environment.Get), result.Config.Environment, Environment.Get);
            known.RegisterWith(Masker);
            BuildArgs = c.BuildArgs.Select(a => BuildArgItems.Create(a.Key, a.Value, known)).ToArray();
        }

        EnvFile = result.Config.Environment.EnvFile;
        TestSmokeCount = result.Config.Test.Smoke.Count;

        var compose = result.Config.Compose;
        if (CheckSettings && compose.UnknownProfile(Profile, result.Config.Path) is { } unknown)
        {
            // Every target reads the configuration first: a misspelt profile stops ContainerValidate as well as ComposeUp.
            Diagnostics.Log(unknown);
        }

        ComposeProjectName = compose.ProjectName ?? string.Empty;
        KnownComposeProfiles = compose.Profiles.Keys.ToArray();
        ComposeWaitTimeout = compose.WaitTimeout is { } wait ? ((int)Math.Ceiling(wait.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture) : string.Empty;
        if (!string.IsNullOrWhiteSpace(Profile) && compose.Profiles.TryGetValue(Profile, out var profile))
        {
            ComposeFiles = profile.Files.ToArray();
            ComposeProfiles = profile.ComposeProfiles.ToArray();
            ComposeBuildImage = profile.BuildImage ? "true" : "false";
        }

        return Task.CompletedTask;
    }
}
