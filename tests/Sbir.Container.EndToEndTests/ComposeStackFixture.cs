using Sbir.Container.Engine;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The sample's compose stack on the real engine with docker-compose: the sample's own compose files,
/// entrypoint scripts and config, the image built by the packed SDK, and stand-ins for Neo4j and
/// Dagster (see StandIns/README.md) swapped in through NEO4J_IMAGE and SBIR_IMAGE. Ports are free
/// ones and the project name is unique, so nothing collides with other stacks on the machine.
/// </summary>
public sealed class ComposeStackFixture : IDisposable
{
    public ComposeStackFixture()
    {
        SkipReason = Prerequisite.Check(DockerEngine.Require);
        if (SkipReason is not null)
        {
            return;
        }

        string id = EngineNames.NewId();
        AppImage = "sbir-e2e-app-" + id;
        Neo4jImage = "sbir-e2e-neo4j-standin-" + id + ":test";
        DagsterImage = "sbir-e2e-dagster-standin-" + id + ":test";
        DagsterImageWithoutWatchfiles = "sbir-e2e-dagster-standin-nowatch-" + id + ":test";
        ProjectName = "sbir-e2e-" + id;

        Repo = TestRepository.Create("sbir-etl");
        OfflineApp.WriteInto(Repo);
        Repo.Write(".env", string.Join('\n',
            $"NEO4J_PASSWORD={Secret}",
            $"NEO4J_IMAGE={Neo4jImage}",
            $"SBIR_IMAGE={DagsterImage}",
            $"NEO4J_HTTP_PORT={FreePort.Next()}",
            $"NEO4J_BOLT_PORT={FreePort.Next()}",
            $"DAGSTER_PORT={FreePort.Next()}",
            $"DOCS_PORT={FreePort.Next()}",
            // An application setting under the prefix, which no compose file names: it must still reach the app.
            $"{PrefixedSetting}={PrefixedValue}",
            "SERVICE_STARTUP_TIMEOUT=120") + "\n");
        Repo.InitGit();

        Repo.Build("-t:DockerBuild", "-p:SbirContainerImageName=" + AppImage, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli).AssertSucceeded();
        string standIns = Path.Combine(AppContext.BaseDirectory, "StandIns");
        DockerEngine.DockerOk("build", "--quiet", "--build-arg", "BASE_IMAGE=" + DockerEngine.BaseImage, "--tag", Neo4jImage, Path.Combine(standIns, "neo4j"));
        DockerEngine.DockerOk("build", "--quiet", "--build-arg", "APP_IMAGE=" + AppImage + ":latest", "--tag", DagsterImage, Path.Combine(standIns, "dagster"));
        DockerEngine.DockerOk("build", "--quiet", "--build-arg", "APP_IMAGE=" + AppImage + ":latest", "--build-arg", "STANDIN_WATCHFILES=0", "--tag", DagsterImageWithoutWatchfiles, Path.Combine(standIns, "dagster"));
    }

    /// <summary>The setting in .env under SBIR_ETL__ that no compose file names (settings key neo4j.batch_size).</summary>
    public const string PrefixedSetting = "SBIR_ETL__NEO4J__BATCH_SIZE";

    /// <summary>Its value.</summary>
    public const int PrefixedValue = 777;

    /// <summary>A compose overlay whose Neo4j stand-in never accepts a password: a service that never turns healthy, quickly.</summary>
    public const string BrokenNeo4jOverlay = """
        services:
          neo4j:
            environment:
              STANDIN_AUTH_BROKEN: "1"
            healthcheck:
              interval: 1s
              timeout: 20s
              retries: 2
              start_period: 0s
        """;

    /// <summary>The Neo4j password, which must appear in no log.</summary>
    public string Secret { get; } = "compose-e2e-" + Guid.NewGuid().ToString("N");

    /// <summary>Why the tests cannot run on this machine, or null (see <see cref="Prerequisite.Check"/>).</summary>
    public string? SkipReason { get; }

    public string AppImage { get; } = string.Empty;

    public string Neo4jImage { get; } = string.Empty;

    public string DagsterImage { get; } = string.Empty;

    /// <summary>The Dagster stand-in without the watchfiles package: the dev profile's reload must poll.</summary>
    public string DagsterImageWithoutWatchfiles { get; } = string.Empty;

    public string ProjectName { get; } = string.Empty;

    public TestRepository Repo { get; } = null!;

    /// <summary>Runs a compose target of the SDK on the sample.</summary>
    public BuildOutcome Compose(string target, params string[] extra)
        => Repo.MSBuild(["-t:" + target, "-v:n", "-p:SbirContainerImageName=" + AppImage, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage,
            "-p:SbirDockerCli=" + DockerEngine.Cli, "-p:SbirComposeProjectName=" + ProjectName, .. extra]);

    /// <summary>Containers, networks and volumes still labelled with the project.</summary>
    public (int Containers, int Networks, int Volumes) Leftovers()
    {
        string filter = "label=com.docker.compose.project=" + ProjectName;
        int Count(params string[] args) => DockerEngine.DockerOk(args).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return (Count("ps", "-aq", "--filter", filter), Count("network", "ls", "-q", "--filter", filter), Count("volume", "ls", "-q", "--filter", filter));
    }

    /// <summary>The value of <paramref name="name"/> in the stack's .env.</summary>
    public string EnvValue(string name)
        => File.ReadAllLines(Path.Combine(Repo.Path, ".env")).Single(l => l.StartsWith(name + "=", StringComparison.Ordinal))[(name.Length + 1)..];

    /// <summary>The ID of the running container of <paramref name="service"/>.</summary>
    public string ContainerOf(string service)
        => DockerEngine.DockerOk("ps", "-q", "--filter", "label=com.docker.compose.project=" + ProjectName, "--filter", "label=com.docker.compose.service=" + service).Split('\n')[0];

    public void Dispose()
    {
        if (SkipReason is not null)
        {
            return;
        }

        Compose("ComposeDown", "-p:SbirComposeRemoveVolumes=true", "-p:Profile=dev");
        // The app's runtime, builder and test images (DockerTest's :test tag), with what rebuilds left untagged.
        DockerEngine.RemoveImagesOf(DagsterImage, DagsterImageWithoutWatchfiles, Neo4jImage, AppImage, AppImage + "-builder");
        Repo.Dispose();
    }

}
