using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Swarm;

namespace Sbir.Container.Core.Tests.Swarm;

/// <summary>How a project's settings become the planner's input: variables as compose resolves them, and the image DockerPush pushed.</summary>
public sealed class StackProjectTests
{
    private const string Digest = "sha256:1111111111111111111111111111111111111111111111111111111111111111";

    [Fact]
    public void The_environment_wins_over_env_and_the_pushed_digest_fills_an_unset_image_variable()
    {
        using var dir = new TempDirectory();
        dir.Write(".env", "NEO4J_PASSWORD=from-dotenv-1234\nOTHER=dotenv\n");
        dir.Write("docker-compose.yml", "services: {}\n");
        dir.Write("obj/SbirContainer/ghcr.io_acme_sbir-etl.digest", "ghcr.io/acme/sbir-etl@" + Digest + "\n");
        string config = dir.Write("config/docker.yaml", "version: 1\nenvironment:\n  variables:\n    NEO4J_PASSWORD:\n      type: string\n      secret: true\n");
        var settings = new StackProjectSettings { ProjectDirectory = dir.Path, StackName = "s", DataLabel = "s.data", ConfigFile = config, Registry = "ghcr.io/acme", ImageName = "sbir-etl" };

        var (input, secrets) = StackProject.Resolve(settings, name => name == "OTHER" ? "host" : null);
        Assert.Equal("ghcr.io/acme/sbir-etl@" + Digest, input.Lookup("SBIR_IMAGE"));
        Assert.Equal("ghcr.io/acme/sbir-etl@" + Digest, input.PushedReference);
        Assert.Equal("host", input.Lookup("OTHER"));
        Assert.Equal("from-dotenv-1234", input.Lookup("NEO4J_PASSWORD"));
        Assert.Equal(["from-dotenv-1234"], secrets);
        Assert.Equal([Path.Combine(dir.Path, "docker-compose.yml")], input.Files);
        Assert.Equal(["latest"], input.AppTags);

        var (named, _) = StackProject.Resolve(settings, name => name == "SBIR_IMAGE" ? "ghcr.io/acme/sbir-etl:1.2" : null);
        Assert.Equal("ghcr.io/acme/sbir-etl:1.2", named.Lookup("SBIR_IMAGE"));
    }
}
