using Sbir.Container.Build;
using Sbir.Container.Configuration;
using Sbir.Container.Dotenv;
using Sbir.Container.Registry;

namespace Sbir.Container.Swarm;

/// <summary>A project's stack settings as the SDK's properties give them (paths may be relative to the project).</summary>
public sealed record StackProjectSettings
{
    /// <summary>The project directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>SbirStackName.</summary>
    public required string StackName { get; init; }

    /// <summary>The SBIR profile.</summary>
    public string Profile { get; init; } = "prod";

    /// <summary>The profile's compose files (config/docker.yaml); none: the first of docker-compose.yml, compose.yaml, compose.yml.</summary>
    public IReadOnlyList<string> Files { get; init; } = [];

    /// <summary>The compose profiles the SBIR profile enables.</summary>
    public IReadOnlyList<string> ComposeProfiles { get; init; } = [];

    /// <summary>SbirContainerEnvFile (default .env).</summary>
    public string? EnvFile { get; init; }

    /// <summary>SbirContainerConfigFile: the environment contract.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>SbirComposeImageVariable.</summary>
    public string ImageVariable { get; init; } = "SBIR_IMAGE";

    /// <summary>SbirContainerRegistry.</summary>
    public string? Registry { get; init; }

    /// <summary>SbirContainerImageName.</summary>
    public string ImageName { get; init; } = string.Empty;

    /// <summary>SbirContainerImageTags.</summary>
    public IReadOnlyList<string> ImageTags { get; init; } = [];

    /// <summary>SbirContainerIntermediateDirectory, where DockerPush records the digest.</summary>
    public string StateDirectory { get; init; } = "obj/SbirContainer";

    /// <summary>SbirStackRequireDigest: null for auto.</summary>
    public bool? RequireDigest { get; init; }

    /// <summary>SbirStackDataLabel.</summary>
    public required string DataLabel { get; init; }

    /// <summary>SbirStackEndpointMode.</summary>
    public string EndpointMode { get; init; } = "vip";

    /// <summary>SbirStackDagsterConfig; empty looks in the usual places.</summary>
    public string? DagsterConfig { get; init; }
}

/// <summary>
/// Turns a project's settings into what the planner reads: the files, the variables as compose resolves
/// them, the contract, and the image DockerPush pushed.
/// </summary>
public static class StackProject
{
    /// <summary>
    /// The planner's input, and the secret values it may meet (to mask them in the log before anything
    /// runs). Variables resolve from <paramref name="host"/> (the process environment) first, then .env; as
    /// ComposeUp gives compose the image it built, the stack gets the image DockerPush pushed, by digest,
    /// when neither names the image variable.
    /// </summary>
    public static (StackPlanInput Input, IReadOnlyList<string> Secrets) Resolve(StackProjectSettings settings, Func<string, string?> host)
    {
        string Full(string path) => Path.GetFullPath(path, settings.ProjectDirectory);
        string envFile = Full(string.IsNullOrWhiteSpace(settings.EnvFile) ? ".env" : settings.EnvFile);
        var values = File.Exists(envFile) ? DotenvParser.ParseFile(envFile, host).Values : new Dictionary<string, string>();
        var contract = string.IsNullOrWhiteSpace(settings.ConfigFile) ? new EnvironmentContract() : ContainerConfigLoader.Load(settings.ConfigFile).Config.Environment;
        var secrets = values.Where(v => contract.IsSecret(v.Key)).Select(v => v.Value)
            .Concat(contract.SecretNames.Select(host).OfType<string>())
            .ToList();

        string repository = ImageReference.Qualify(settings.Registry, settings.ImageName.Trim());
        string digestFile = ImagePusher.DigestFile(Full(settings.StateDirectory), repository);
        string? pushed = File.Exists(digestFile) ? File.ReadAllText(digestFile).Trim() : null;
        pushed = pushed is not null && ImageReference.DigestOf(pushed) is not null ? pushed : null;

        string? Lookup(string name)
            => host(name) ?? (values.TryGetValue(name, out var v) ? v : null) ?? (name == settings.ImageVariable ? pushed : null);

        var files = settings.Files.Where(f => f.Trim().Length > 0).Select(Full).ToList();
        if (files.Count == 0)
        {
            files.AddRange(new[] { "docker-compose.yml", "compose.yaml", "compose.yml" }.Select(Full).Where(File.Exists).Take(1));
        }

        var input = new StackPlanInput
        {
            ProjectDirectory = settings.ProjectDirectory,
            StackName = settings.StackName,
            ProfileName = settings.Profile,
            Files = files,
            ComposeProfiles = settings.ComposeProfiles.Where(p => p.Trim().Length > 0).ToList(),
            Lookup = Lookup,
            Contract = contract,
            ImageVariable = settings.ImageVariable,
            AppRepository = repository,
            AppTags = settings.ImageTags.Select(t => t.Trim()).Where(t => t.Length > 0).DefaultIfEmpty("latest").ToList(),
            PushedReference = pushed,
            RequireDigest = settings.RequireDigest,
            DataLabel = settings.DataLabel,
            EndpointMode = settings.EndpointMode,
            DagsterConfig = DagsterStorage.Locate(settings.ProjectDirectory, settings.DagsterConfig),
        };
        return (input, secrets);
    }
}
