using Sbir.Container.Configuration;
using Sbir.Container.Core.Tests.Fakes;

namespace Sbir.Container.Core.Tests.Configuration;

public class ConfigSettingsTests : IDisposable
{
    private const string Yaml = """
        container:
          image: sbir-etl
          tags: [latest, "1.0"]
          baseImage: python:3.11-slim
          stages: { builder: builder, runtime: runtime, test: test }
        compose:
          projectName: sbir
          profiles:
            dev: { files: [docker-compose.yml, docker/dev.yml], profiles: [dev], buildImage: true }
            prod: { files: [docker-compose.yml], buildImage: false }
          health: { waitTimeout: 90.5s }
        test:
          smoke: ["python -V"]
        environment:
          files: { env: .env.local }
        """;

    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private string Cache => Path.Combine(_dir.Path, "obj", "settings");

    [Fact]
    public void Settings_are_the_files_values_for_the_profile()
    {
        string config = _dir.Write("config/docker.yaml", Yaml);
        var settings = ConfigSettings.From(ContainerConfigLoader.Load(config).Config, "dev");
        Assert.Equal("sbir-etl", settings.Image);
        Assert.Equal(["latest", "1.0"], settings.Tags);
        Assert.Equal(["docker-compose.yml", "docker/dev.yml"], settings.ComposeFiles);
        Assert.Equal(["dev"], settings.ComposeProfiles);
        Assert.Equal("true", settings.ComposeBuildImage);
        Assert.Equal(["dev", "prod"], settings.KnownComposeProfiles);
        Assert.Equal("91", settings.ComposeWaitTimeout);
        Assert.Equal(1, settings.TestSmokeCount);
        Assert.Equal(".env.local", settings.EnvFile);
        Assert.Equal(string.Empty, ConfigSettings.From(ContainerConfigLoader.Load(config).Config, "staging").ComposeBuildImage);
    }

    [Fact]
    public void Kept_settings_are_given_back_only_for_the_same_content_and_profile()
    {
        string config = _dir.Write("config/docker.yaml", Yaml);
        var settings = ConfigSettings.From(ContainerConfigLoader.Load(config).Config, "dev");
        Assert.Null(Load(config, "dev"));
        Save(config, "dev", settings);

        var kept = Load(config, "dev");
        Assert.NotNull(kept);
        Assert.Equal(settings.ComposeFiles, kept.ComposeFiles);
        Assert.Equal(System.Text.Json.JsonSerializer.Serialize(settings), System.Text.Json.JsonSerializer.Serialize(kept));
        Assert.Null(Load(config, "prod"));

        // Same size and time stamp, other content: still parsed again (the key is the content).
        var written = File.GetLastWriteTimeUtc(config);
        File.WriteAllText(config, Yaml.Replace("sbir-etl", "sbir-elt"));
        File.SetLastWriteTimeUtc(config, written);
        Assert.Null(Load(config, "dev"));
    }

    [Fact]
    public void A_damaged_cache_file_is_parsed_again()
    {
        string config = _dir.Write("config/docker.yaml", Yaml);
        Save(config, null, ConfigSettings.From(ContainerConfigLoader.Load(config).Config, null));
        foreach (string file in Directory.GetFiles(Cache))
        {
            File.WriteAllText(file, "{\"Format\": 1, \"Key\": 3}");
        }

        Assert.Null(Load(config, null));
    }

    // As the task does: the file's key read once, then the cache asked or written under it.
    private ConfigSettings? Load(string config, string? profile)
        => ConfigSettings.KeyOf(config, profile) is { } key ? ConfigSettings.Load(Cache, config, profile, key) : null;

    private void Save(string config, string? profile, ConfigSettings settings)
    {
        if (ConfigSettings.KeyOf(config, profile) is { } key)
        {
            ConfigSettings.Save(Cache, config, profile, key, settings);
        }
    }
}
