using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using Sbir.Container.IO;

namespace Sbir.Container.Configuration;

/// <summary>
/// What the targets take from config/docker.yaml for one profile, as flat values: the settings step of every target
/// (ReadContainerConfig) returns these. Parsing the YAML costs a fresh MSBuild process about 50 ms (most of it the YAML
/// library starting), so the settings of a file that gave no finding and no build argument are kept under obj/ by the
/// file's content hash (<see cref="Load"/>): an unchanged file is answered from there, any change is parsed again.
/// </summary>
public sealed record ConfigSettings
{
    /// <summary>Bumped whenever a field is added or changes meaning, so older cache files are parsed again.</summary>
    public const int CurrentFormat = 1;

    /// <summary>container.image.</summary>
    public string Image { get; init; } = string.Empty;

    /// <summary>container.registry.</summary>
    public string Registry { get; init; } = string.Empty;

    /// <summary>container.tags.</summary>
    public List<string> Tags { get; init; } = [];

    /// <summary>container.baseImage.</summary>
    public string BaseImage { get; init; } = string.Empty;

    /// <summary>container.baseImageArg.</summary>
    public string BaseImageArgument { get; init; } = string.Empty;

    /// <summary>container.dockerfile.</summary>
    public string Dockerfile { get; init; } = string.Empty;

    /// <summary>container.context.</summary>
    public string Context { get; init; } = string.Empty;

    /// <summary>container.stages.builder.</summary>
    public string BuilderStage { get; init; } = string.Empty;

    /// <summary>container.stages.runtime.</summary>
    public string RuntimeStage { get; init; } = string.Empty;

    /// <summary>container.stages.test.</summary>
    public string TestStage { get; init; } = string.Empty;

    /// <summary>compose.projectName.</summary>
    public string ComposeProjectName { get; init; } = string.Empty;

    /// <summary>compose.profiles.&lt;profile&gt;.files.</summary>
    public List<string> ComposeFiles { get; init; } = [];

    /// <summary>compose.profiles.&lt;profile&gt;.profiles.</summary>
    public List<string> ComposeProfiles { get; init; } = [];

    /// <summary>compose.profiles.&lt;profile&gt;.buildImage ("true"/"false"), empty when the profile is not defined.</summary>
    public string ComposeBuildImage { get; init; } = string.Empty;

    /// <summary>The profile names the file defines.</summary>
    public List<string> KnownComposeProfiles { get; init; } = [];

    /// <summary>compose.health.waitTimeout in whole seconds (rounded up), or empty.</summary>
    public string ComposeWaitTimeout { get; init; } = string.Empty;

    /// <summary>How many commands test.smoke lists.</summary>
    public int TestSmokeCount { get; init; }

    /// <summary>environment.files.env as written, or empty.</summary>
    public string EnvFile { get; init; } = string.Empty;

    /// <summary>The settings of <paramref name="config"/> for <paramref name="profile"/> (empty or undefined: no compose files).</summary>
    public static ConfigSettings From(ContainerConfig config, string? profile)
    {
        var c = config.Container;
        var compose = config.Compose;
        var selected = !string.IsNullOrWhiteSpace(profile) && compose.Profiles.TryGetValue(profile, out var p) ? p : null;
        return new ConfigSettings
        {
            Image = c.Image ?? string.Empty,
            Registry = c.Registry ?? string.Empty,
            Tags = c.Tags.ToList(),
            BaseImage = c.BaseImage ?? string.Empty,
            BaseImageArgument = c.BaseImageArg ?? string.Empty,
            Dockerfile = c.Dockerfile ?? string.Empty,
            Context = c.Context ?? string.Empty,
            BuilderStage = c.BuilderStage ?? string.Empty,
            RuntimeStage = c.RuntimeStage ?? string.Empty,
            TestStage = c.TestStage ?? string.Empty,
            ComposeProjectName = compose.ProjectName ?? string.Empty,
            ComposeFiles = selected?.Files.ToList() ?? [],
            ComposeProfiles = selected?.ComposeProfiles.ToList() ?? [],
            ComposeBuildImage = selected is null ? string.Empty : selected.BuildImage ? "true" : "false",
            KnownComposeProfiles = compose.Profiles.Keys.ToList(),
            ComposeWaitTimeout = compose.WaitTimeout is { } wait ? ((int)Math.Ceiling(wait.TotalSeconds)).ToString(CultureInfo.InvariantCulture) : string.Empty,
            TestSmokeCount = config.Test.Smoke.Count,
            EnvFile = config.Environment.EnvFile,
        };
    }

    /// <summary>
    /// The settings of the configuration file at <paramref name="configPath"/> for <paramref name="profile"/> from the
    /// cache folder <paramref name="cacheDirectory"/>, when a file there was written for the same <paramref name="key"/>
    /// (<see cref="KeyOf"/>: content, profile and SDK build); else null (the caller parses, and calls <see cref="Save"/>
    /// with the same key when the parse found nothing to report, so the file is read once for both).
    /// </summary>
    public static ConfigSettings? Load(string cacheDirectory, string configPath, string? profile, string key)
    {
        return StateFile.Read(CachePath(cacheDirectory, configPath, profile), e =>
            e.Int("Format") == CurrentFormat && e.String("Key") == key ? FromJson(e.GetProperty("Settings")) : null);
    }

    /// <summary>Keeps <paramref name="settings"/> under <paramref name="key"/>, read before the parse (a failure to write only means parsing next time).</summary>
    public static void Save(string cacheDirectory, string configPath, string? profile, string key, ConfigSettings settings)
    {
        try
        {
            string path = CachePath(cacheDirectory, configPath, profile);
            Directory.CreateDirectory(cacheDirectory);
            using var stream = new MemoryStream();
            using (var json = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true }))
            {
                json.WriteStartObject();
                json.WriteNumber("Format", CurrentFormat);
                json.WriteString("Key", key);
                json.WritePropertyName("Settings");
                settings.WriteJson(json);
                json.WriteEndObject();
            }

            File.WriteAllBytes(path + ".tmp", stream.ToArray());
            File.Move(path + ".tmp", path, overwrite: true);
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
        {
            // The next read parses the YAML again.
        }
    }

    /// <summary>The cache file of a configuration file and profile: one per pair, so DockerTest's test profile and ComposeUp's do not evict each other.</summary>
    private static string CachePath(string cacheDirectory, string configPath, string? profile)
        => Path.Combine(cacheDirectory, Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(Path.GetFullPath(configPath) + "\n" + profile)))[..16] + ".json");

    /// <summary>The cache key of a configuration file: the content hash of the file with the profile and the SDK build; null when the file cannot be read as a regular file (the parse then reports why).</summary>
    public static string? KeyOf(string configPath, string? profile)
    {
        var content = SafeFile.Read(configPath);
        if (!content.Succeeded && content.Kind != FileKind.Missing)
        {
            return null;
        }

        using var hash = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        hash.AppendData(Encoding.UTF8.GetBytes($"{typeof(ConfigSettings).Assembly.ManifestModule.ModuleVersionId}\n{Path.GetFullPath(configPath)}\n{profile}\n{content.Kind}\n"));
        hash.AppendData(content.Bytes ?? []);
        return Convert.ToHexString(hash.GetHashAndReset());
    }

    private void WriteJson(Utf8JsonWriter json)
    {
        json.WriteStartObject();
        void List(string name, List<string> values)
        {
            json.WriteStartArray(name);
            values.ForEach(json.WriteStringValue);
            json.WriteEndArray();
        }

        json.WriteString(nameof(Image), Image);
        json.WriteString(nameof(Registry), Registry);
        List(nameof(Tags), Tags);
        json.WriteString(nameof(BaseImage), BaseImage);
        json.WriteString(nameof(BaseImageArgument), BaseImageArgument);
        json.WriteString(nameof(Dockerfile), Dockerfile);
        json.WriteString(nameof(Context), Context);
        json.WriteString(nameof(BuilderStage), BuilderStage);
        json.WriteString(nameof(RuntimeStage), RuntimeStage);
        json.WriteString(nameof(TestStage), TestStage);
        json.WriteString(nameof(ComposeProjectName), ComposeProjectName);
        List(nameof(ComposeFiles), ComposeFiles);
        List(nameof(ComposeProfiles), ComposeProfiles);
        json.WriteString(nameof(ComposeBuildImage), ComposeBuildImage);
        List(nameof(KnownComposeProfiles), KnownComposeProfiles);
        json.WriteString(nameof(ComposeWaitTimeout), ComposeWaitTimeout);
        json.WriteNumber(nameof(TestSmokeCount), TestSmokeCount);
        json.WriteString(nameof(EnvFile), EnvFile);
        json.WriteEndObject();
    }

    private static ConfigSettings FromJson(JsonElement e)
    {
        List<string> List(string name) => e.List(name, v => v.GetString() ?? throw new InvalidOperationException(name));
        return new ConfigSettings
        {
            Image = e.String(nameof(Image)),
            Registry = e.String(nameof(Registry)),
            Tags = List(nameof(Tags)),
            BaseImage = e.String(nameof(BaseImage)),
            BaseImageArgument = e.String(nameof(BaseImageArgument)),
            Dockerfile = e.String(nameof(Dockerfile)),
            Context = e.String(nameof(Context)),
            BuilderStage = e.String(nameof(BuilderStage)),
            RuntimeStage = e.String(nameof(RuntimeStage)),
            TestStage = e.String(nameof(TestStage)),
            ComposeProjectName = e.String(nameof(ComposeProjectName)),
            ComposeFiles = List(nameof(ComposeFiles)),
            ComposeProfiles = List(nameof(ComposeProfiles)),
            ComposeBuildImage = e.String(nameof(ComposeBuildImage)),
            KnownComposeProfiles = List(nameof(KnownComposeProfiles)),
            ComposeWaitTimeout = e.String(nameof(ComposeWaitTimeout)),
            TestSmokeCount = e.Int(nameof(TestSmokeCount)),
            EnvFile = e.String(nameof(EnvFile)),
        };
    }
}
