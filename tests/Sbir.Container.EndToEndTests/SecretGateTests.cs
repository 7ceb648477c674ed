using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The secret gate of DockerBuild on the real engine, with the sample (offline twin): a secret under config/ (which the
/// image copies) and a secret build argument each fail the build before anything reaches the engine (no image, no
/// docker build started); once they are gone the image builds, and the project's secrets, still in .env and in a
/// git-ignored secrets/ folder, are in no layer, not in docker history and not in the image configuration.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class SecretGateTests : IDisposable
{
    private readonly string _image = EngineNames.Unique("sbir-e2e-gate-");
    private readonly string _secret = "e2e-gate-" + Guid.NewGuid().ToString("N");
    private readonly TestRepository _repo;

    public SecretGateTests()
    {
        DockerEngine.Require();
        _repo = TestRepository.Create("sbir-etl");
        OfflineApp.WriteInto(_repo);
        _repo.Write(".env", $"NEO4J_PASSWORD={_secret}\n");
        _repo.Write("secrets/neo4j_password", _secret + "\n");
    }

    public void Dispose()
    {
        DockerEngine.Docker("image", "rm", "-f", _image + ":latest", _image + "-builder:latest");
        _repo.Dispose();
    }

    private BuildOutcome Build()
        => _repo.Build("-t:DockerBuild", "-v:diag", "-p:SbirContainerImageName=" + _image, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli);

    private void AssertNothingReachedTheEngine(BuildOutcome result)
    {
        Assert.DoesNotContain("Building because", result.Output);
        Assert.DoesNotContain("Task \"DockerBuildImage\"", result.Output);
        Assert.False(DockerEngine.Docker("image", "inspect", _image + ":latest").ExitCode == 0, "the runtime image exists");
        Assert.False(DockerEngine.Docker("image", "inspect", _image + "-builder:latest").ExitCode == 0, "the builder image exists");
        Assert.DoesNotContain(_secret, result.Output);
    }

    [Fact]
    public void Config_and_build_argument_secrets_stop_the_build_before_the_engine_then_no_layer_holds_a_secret()
    {
        // 1. A secret under config/, which the Dockerfile copies into the runtime image.
        _repo.Write("config/local.env", $"NEO4J_PASSWORD={_secret}\n");
        var config = Build().AssertFailed();
        Assert.EndsWith("config/local.env", config.Single("SBC2001").File);
        AssertNothingReachedTheEngine(config);
        File.Delete(Path.Combine(_repo.Path, "config", "local.env"));

        // 2. The .env password inside a build argument of config/docker.yaml.
        string yaml = Path.Combine(_repo.Path, "config", "docker.yaml");
        string original = File.ReadAllText(yaml);
        File.WriteAllText(yaml, original.Replace("container:\n", $"container:\n  buildArgs:\n    NEO4J_URI: bolt://neo4j:{_secret}@neo4j:7687\n", StringComparison.Ordinal));
        var buildArg = Build().AssertFailed();
        Assert.Contains("NEO4J_URI", buildArg.Single("SBC2010").Message);
        AssertNothingReachedTheEngine(buildArg);
        File.WriteAllText(yaml, original);

        // 3. Without them the image builds, and no layer, history entry or configuration holds the secret.
        var built = Build().AssertSucceeded();
        Assert.DoesNotContain(_secret, built.Output);
        foreach (string image in new[] { _image + ":latest", _image + "-builder:latest" })
        {
            Assert.False(SampleImageTests.ImageContains(image, _secret), $"{image} contains the secret");
            Assert.DoesNotContain(_secret, DockerEngine.DockerOk("history", "--no-trunc", image));
            Assert.DoesNotContain(_secret, DockerEngine.DockerOk("image", "inspect", image));
        }
    }
}
