using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Secrets;

namespace Sbir.Container.Tasks;

/// <summary>
/// Builds the builder and runtime stages of the Dockerfile as tagged images (the DockerBuild target).
/// Skips docker when nothing that affects the images changed. Streams docker's plain progress at
/// normal verbosity and ends with a one-line summary.
/// </summary>
public sealed class DockerBuildImage : SbirTask
{
    /// <summary>The project directory: relative paths are resolved against it.</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The Dockerfile (SbirDockerfile).</summary>
    [Required] public string Dockerfile { get; set; } = string.Empty;

    /// <summary>The build context (SbirContainerContext).</summary>
    [Required] public string Context { get; set; } = string.Empty;

    /// <summary>Repository of the runtime image (SbirContainerImageName).</summary>
    [Required] public string ImageName { get; set; } = string.Empty;

    /// <summary>Registry prefix (SbirContainerRegistry), or empty for the local engine only.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>Tags (SbirContainerImageTags).</summary>
    public string[] ImageTags { get; set; } = [];

    /// <summary>Base image (SbirContainerBaseImage), passed as the build argument <see cref="BaseImageArgument"/>.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>The Dockerfile ARG that receives the base image (SbirContainerBaseImageArg).</summary>
    public string BaseImageArgument { get; set; } = "BASE_IMAGE";

    /// <summary>The stage built as the product (SbirContainerRuntimeStage).</summary>
    [Required] public string RuntimeStage { get; set; } = string.Empty;

    /// <summary>The property that set <see cref="RuntimeStage"/>, named in the fix when the stage is missing.</summary>
    public string RuntimeStageProperty { get; set; } = "SbirContainerRuntimeStage";

    /// <summary>The stage kept as the builder image (SbirContainerBuilderStage); empty for none.</summary>
    public string BuilderStage { get; set; } = string.Empty;

    /// <summary>Repository of the builder image (SbirContainerBuilderImageName); default {ImageName}-builder.</summary>
    public string BuilderImageName { get; set; } = string.Empty;

    /// <summary>SbirContainerBuildArg items: Include = name, Value = value.</summary>
    public ITaskItem[] BuildArgs { get; set; } = [];

    /// <summary>SbirContainerBuildSecret items: Include = id, EnvironmentVariable or File metadata.</summary>
    public ITaskItem[] BuildSecrets { get; set; } = [];

    /// <summary>SbirContainerLabel items: Include = key, Value = value.</summary>
    public ITaskItem[] Labels { get; set; } = [];

    /// <summary>--cache-from values (SbirContainerCacheFrom).</summary>
    public string[] CacheFrom { get; set; } = [];

    /// <summary>--cache-to value (SbirContainerCacheTo).</summary>
    public string CacheTo { get; set; } = string.Empty;

    /// <summary>--platform (SbirContainerPlatform).</summary>
    public string Platform { get; set; } = string.Empty;

    /// <summary>Folder for state files under obj/ (SbirContainerIntermediateDirectory).</summary>
    [Required] public string StateDirectory { get; set; } = string.Empty;

    /// <summary>Build even when up to date (SbirContainerForceBuild).</summary>
    public bool Force { get; set; }

    /// <summary>The docker-compatible CLI (SbirDockerCli).</summary>
    public string DockerCli { get; set; } = string.Empty;

    /// <summary>auto, buildkit or legacy (SbirContainerBuilder).</summary>
    public string Builder { get; set; } = string.Empty;

    /// <summary>The .env file, consulted for build secrets that are not in the environment.</summary>
    public string EnvFile { get; set; } = string.Empty;

    /// <summary>config/docker.yaml (SbirContainerConfigFile): its environment contract says which .env values are secret.</summary>
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>The runtime image ID.</summary>
    [Output] public string ImageId { get; private set; } = string.Empty;

    /// <summary>The runtime image as an item: Include = ID; metadata Repository, Tags, References, BuilderImageId, Size, Skipped.</summary>
    [Output] public ITaskItem? Image { get; private set; }

    /// <summary>The file under obj/ that holds the image ID.</summary>
    [Output] public string ImageIdFile { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        if (!TryParseBuilder(Builder, out var preference))
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirContainerBuilder", Builder, "one of auto, buildkit, legacy"));
            return;
        }

        // Every secret value of the project is masked in docker's output, and none may be a build argument (read when the builder first needs them).
        var known = new Lazy<SecretValueSet>(() =>
        {
            var set = SecretValueSet.Load(string.IsNullOrWhiteSpace(ConfigFile) ? null : FullPath(ConfigFile, ProjectDirectory), EnvFilePath, Environment.Get);
            set.RegisterWith(Masker);
            return set;
        });
        var secrets = ResolveSecrets();
        var request = new ImageBuildRequest
        {
            ProjectDirectory = ProjectDirectory,
            DockerfilePath = FullPath(Dockerfile, ProjectDirectory),
            ContextDirectory = FullPath(Context, ProjectDirectory),
            Repository = ImageReference.Qualify(Registry, ImageName.Trim()),
            BuilderRepository = string.IsNullOrWhiteSpace(BuilderImageName) ? null : ImageReference.Qualify(Registry, BuilderImageName.Trim()),
            Tags = ImageTags.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).DefaultIfEmpty("latest").ToList(),
            RuntimeStage = RuntimeStage.Trim(),
            RuntimeStageProperty = RuntimeStageProperty,
            BuilderStage = string.IsNullOrWhiteSpace(BuilderStage) ? null : BuilderStage.Trim(),
            BuildArgs = PassedBuildArgs(),
            WithheldBuildArgs = BuildArgs.Where(BuildArgItems.IsWithheld).Select(i => i.ItemSpec.Trim()).ToList(),
            KnownSecrets = known,
            BaseImage = string.IsNullOrWhiteSpace(BaseImage) ? null : BaseImage.Trim(),
            BaseImageArg = string.IsNullOrWhiteSpace(BaseImageArgument) ? "BASE_IMAGE" : BaseImageArgument.Trim(),
            Labels = LabelValues(),
            Secrets = secrets,
            CacheFrom = CacheFrom.Where(c => !string.IsNullOrWhiteSpace(c)).ToList(),
            CacheTo = string.IsNullOrWhiteSpace(CacheTo) ? null : CacheTo.Trim(),
            Platform = string.IsNullOrWhiteSpace(Platform) ? null : Platform.Trim(),
            StateDirectory = FullPath(StateDirectory, ProjectDirectory),
            Force = Force,
            Cli = DockerCli,
            Builder = preference,
        };

        var progress = new TaskBuildProgress(this);
        var builder = new ImageBuilder(ProcessRunner, Environment, progress);
        var result = await builder.BuildAsync(request, CancellationToken).ConfigureAwait(false);
        LogDiagnostics(result.Diagnostics);
        if (!result.Succeeded || result.ImageId is null)
        {
            return;
        }

        ImageId = result.ImageId;
        ImageIdFile = result.ImageIdFile ?? string.Empty;
        var image = new TaskItem(result.ImageId);
        image.SetMetadata("Repository", request.Repository);
        image.SetMetadata("Tags", string.Join(';', request.Tags));
        image.SetMetadata("References", string.Join(';', request.RuntimeReferences));
        image.SetMetadata("BuilderImageId", result.BuilderImageId ?? string.Empty);
        image.SetMetadata("BuilderReferences", string.Join(';', request.BuilderReferences));
        image.SetMetadata("Size", result.Size?.ToString(CultureInfo.InvariantCulture) ?? string.Empty);
        image.SetMetadata("Skipped", result.Skipped ? "true" : "false");
        image.SetMetadata("ImageIdFile", ImageIdFile);
        Image = image;

        Diagnostics.Message(Summary(request, result), MessageImportance.High);
    }

    /// <summary>The build arguments that carry their value (withheld ones are read by the builder itself).</summary>
    private List<KeyValuePair<string, string>> PassedBuildArgs()
    {
        var passed = new List<KeyValuePair<string, string>>();
        foreach (var item in BuildArgs)
        {
            if (!BuildArgItems.IsWithheld(item))
            {
                passed.Add(new KeyValuePair<string, string>(item.ItemSpec.Trim(), item.GetMetadata("Value")));
            }
        }

        return passed;
    }

    /// <summary>Each label's value; the last item of a key wins.</summary>
    private Dictionary<string, string> LabelValues()
    {
        var labels = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var item in Labels)
        {
            labels[item.ItemSpec] = item.GetMetadata("Value");
        }

        return labels;
    }

    /// <summary>The closing line: image, tags, size, seconds.</summary>
    internal static string Summary(ImageBuildRequest request, ImageBuildResult result)
    {
        string names = string.Join(", ", request.RuntimeReferences);
        string id = result.ImageId is { Length: > 19 } full ? full[..19] : result.ImageId ?? string.Empty;
        string seconds = result.Elapsed.TotalSeconds.ToString("0.0", CultureInfo.InvariantCulture);
        if (result.Skipped)
        {
            return $"DockerBuild: {names} is up to date ({string.Join("; ", result.Reasons)}); docker was not run. Image {id}, checked in {seconds} s.";
        }

        string size = result.Size is { } s ? FormatSize(s) : "size unknown";
        string builder = result.BuilderSize is { } b && request.BuilderReferences.Count > 0 ? $"; builder {request.BuilderReferences[0]} {FormatSize(b)}" : string.Empty;
        return $"DockerBuild: built {names} ({size}{builder}) in {seconds} s. Image {id}.";
    }

    /// <summary>Human-readable bytes, as docker prints them (decimal units).</summary>
    internal static string FormatSize(long bytes)
    {
        string[] units = ["B", "kB", "MB", "GB", "TB"];
        double value = bytes;
        int unit = 0;
        while (value >= 1000 && unit < units.Length - 1)
        {
            value /= 1000;
            unit++;
        }

        return value.ToString(unit == 0 ? "0" : "0.0", CultureInfo.InvariantCulture) + " " + units[unit];
    }

    private static bool TryParseBuilder(string text, out BuilderPreference preference)
    {
        switch ((text ?? string.Empty).Trim().ToLowerInvariant())
        {
            case "":
            case "auto":
                preference = BuilderPreference.Auto;
                return true;
            case "buildkit":
                preference = BuilderPreference.BuildKit;
                return true;
            case "legacy":
                preference = BuilderPreference.Legacy;
                return true;
            default:
                preference = BuilderPreference.Auto;
                return false;
        }
    }

    private string EnvFilePath => FullPath(string.IsNullOrWhiteSpace(EnvFile) ? ".env" : EnvFile, ProjectDirectory);

    private List<BuildSecret> ResolveSecrets()
    {
        var secrets = new List<BuildSecret>();
        IReadOnlyDictionary<string, string>? dotenv = null;
        foreach (var item in BuildSecrets)
        {
            string id = item.ItemSpec.Trim();
            string variable = item.GetMetadata("EnvironmentVariable").Trim();
            string file = item.GetMetadata("File").Trim();
            if (file.Length > 0)
            {
                secrets.Add(new BuildSecret(id, null, FullPath(file, ProjectDirectory), null));
                continue;
            }

            if (variable.Length == 0)
            {
                secrets.Add(new BuildSecret(id, null, null, null));
                continue;
            }

            string? value = Environment.Get(variable);
            if (value is null)
            {
                dotenv ??= Dotenv.DotenvValues.Read(EnvFilePath);
                value = dotenv.TryGetValue(variable, out string? fromFile) ? fromFile : null;
            }

            Masker.Add(value);
            secrets.Add(new BuildSecret(id, variable, null, value));
        }

        return secrets;
    }

    private sealed class TaskBuildProgress(DockerBuildImage task) : IBuildProgress
    {
        public void Status(string message) => task.Diagnostics.Message(message, MessageImportance.Normal);

        public void Output(string line) => task.Diagnostics.Message(line, MessageImportance.Normal);

        // The builder in use and one line per step: what the user waits on, at the default verbosity.
        public void Milestone(string message) => task.Diagnostics.Message(message, MessageImportance.High);
    }
}
