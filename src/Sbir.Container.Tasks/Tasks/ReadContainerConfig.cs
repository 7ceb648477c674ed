using Microsoft.Build.Framework;
using Sbir.Container.Configuration;

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
        BuildArgs = c.BuildArgs.Select(a =>
        {
            var item = new Microsoft.Build.Utilities.TaskItem(a.Key);
            item.SetMetadata("Value", a.Value);
            return (ITaskItem)item;
        }).ToArray();

        EnvFile = result.Config.Environment.EnvFile;
        TestSmokeCount = result.Config.Test.Smoke.Count;

        var compose = result.Config.Compose;
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
