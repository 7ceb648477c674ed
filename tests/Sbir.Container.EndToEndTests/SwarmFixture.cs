using Sbir.Container.Engine;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// A single-node swarm on the real engine, made by the fixture when the engine is not in one (and left
/// again at the end, with the docker_gwbridge network swarm creates), the sample with the Neo4j and
/// Dagster stand-ins, and the Dagster stand-in pushed to a real registry on 127.0.0.1 by DockerPush, so
/// that StackDeploy pins it by a real digest. Everything is named with one random id and removed at the end.
/// </summary>
public sealed class SwarmFixture : IDisposable
{
    private readonly bool _createdSwarm;
    private readonly bool _hadGatewayBridge;
    private readonly List<string> _images = [];

    public SwarmFixture()
    {
        Registry = new RegistryFixture();
        SkipReason = Registry.SkipReason ?? Prerequisite.Check(DockerEngine.Require);
        if (SkipReason is not null)
        {
            return;
        }

        string id = EngineNames.NewId();
        StackName = "sbir-e2e-" + id;
        ImageName = "sbir-e2e-swarm-" + id;
        AppImage = "sbir-e2e-swarm-app-" + id;
        Neo4jImage = "sbir-e2e-swarm-neo4j-" + id + ":test";
        Repository = Registry.OpenHost + "/" + ImageName;

        // The stack targets run the docker CLI on PATH (28.x here, as users have); images are built with the test CLI.
        StackCli = File.Exists("/usr/local/bin/docker") ? "/usr/local/bin/docker" : DockerEngine.Cli;
        // The kernels of some VMs (this repository's CI among them) have no IPVS, which swarm's virtual IPs
        // and ingress routing mesh need; there the stack uses DNS round robin and ports on the node.
        EndpointMode = Directory.Exists("/sys/module/ip_vs") || File.Exists("/proc/net/ip_vs") ? "vip" : "dnsrr";

        Repo = TestRepository.Create("sbir-etl");
        OfflineApp.WriteInto(Repo);
        WebPort = FreePort.Next();
        WriteEnv(FirstSecret);
        UseQuickHealthChecks();
        Repo.InitGit();

        _hadGatewayBridge = DockerEngine.Docker("network", "inspect", "docker_gwbridge").ExitCode == 0;
        try
        {
            string state = DockerEngine.DockerOk("info", "--format", "{{.Swarm.LocalNodeState}}");
            if (state != "active")
            {
                // Before the swarm exists: StackDeploy says so, with the command that makes one.
                NotASwarm = Stack("StackDeploy");
                DockerEngine.DockerOk("swarm", "init", "--advertise-addr", "127.0.0.1");
                _createdSwarm = true;
            }

            _images.AddRange([AppImage + ":latest", AppImage + "-builder:latest", Neo4jImage]);
            Repo.Build("-t:DockerBuild", "-p:SbirContainerImageName=" + AppImage, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli).AssertSucceeded();
            DockerEngine.DockerOk("build", "--quiet", "--build-arg", "BASE_IMAGE=" + DockerEngine.BaseImage, "--tag", Neo4jImage, Path.Combine(AppContext.BaseDirectory, "StandIns", "neo4j"));
        }
        catch
        {
            // xunit does not dispose a fixture whose constructor failed: leave the engine as it was here.
            Dispose();
            throw;
        }
    }

    /// <summary>Why the tests cannot run on this machine, or null (see <see cref="Prerequisite.Check"/>).</summary>
    public string? SkipReason { get; }

    /// <summary>The Neo4j password of the first deploy, then the rotated one; neither may appear anywhere.</summary>
    public string FirstSecret { get; } = "swarm-e2e-" + Guid.NewGuid().ToString("N");

    public string RotatedSecret { get; } = "swarm-rotated-" + Guid.NewGuid().ToString("N");

    public RegistryFixture Registry { get; }

    public string StackName { get; } = string.Empty;

    /// <summary>The image name DockerPush pushes under (the Dagster stand-in, in the registry).</summary>
    public string ImageName { get; } = string.Empty;

    /// <summary>REGISTRY/IMAGE.</summary>
    public string Repository { get; } = string.Empty;

    public string AppImage { get; } = string.Empty;

    public string Neo4jImage { get; } = string.Empty;

    public string StackCli { get; } = string.Empty;

    public string EndpointMode { get; } = string.Empty;

    public int WebPort { get; }

    public TestRepository Repo { get; } = null!;

    /// <summary>StackDeploy run before the fixture made the swarm, or null when the engine was in one already.</summary>
    public BuildOutcome? NotASwarm { get; }

    /// <summary>
    /// The prod profile with an overlay of quicker health checks, as a team would add one for its own stack: every
    /// update waits out its services' monitor periods (interval x retries + timeout), 130 s for the sample's Neo4j
    /// and 35 s for the webserver, and a broken image needs its start period and retries to count as failed. With
    /// these the swarm test takes minutes less; what it checks stays the same.
    /// </summary>
    private void UseQuickHealthChecks()
    {
        const string quick = "    healthcheck:\n      interval: 3s\n      timeout: 10s\n      retries: 5\n      start_period: 10s\n";
        Repo.Write("docker/docker-compose.swarm-e2e.yml", "services:\n" + string.Concat(new[] { "neo4j", "dagster-webserver", "dagster-daemon" }.Select(s => $"  {s}:\n{quick}")));
        string config = File.ReadAllText(Path.Combine(Repo.Path, "config", "docker.yaml"));
        const string prod = "    prod:\n      files: [docker-compose.yml]\n";
        Assert.Contains(prod, config);
        Repo.Write("config/docker.yaml", config.Replace(prod, "    prod:\n      files: [docker-compose.yml, docker/docker-compose.swarm-e2e.yml]\n", StringComparison.Ordinal));
    }

    /// <summary>Writes .env: the password, the Neo4j stand-in, free ports. No SBIR_IMAGE: StackDeploy takes what DockerPush pushed.</summary>
    public void WriteEnv(string password) => Repo.Write(".env", string.Join('\n',
        $"NEO4J_PASSWORD={password}",
        $"NEO4J_IMAGE={Neo4jImage}",
        $"NEO4J_HTTP_PORT={FreePort.Next()}",
        $"NEO4J_BOLT_PORT={FreePort.Next()}",
        $"DAGSTER_PORT={WebPort}",
        "SERVICE_STARTUP_TIMEOUT=120") + "\n");

    /// <summary>
    /// Builds the Dagster stand-in on the app image (with <paramref name="dockerfileTail"/> appended, to
    /// make a variant), tags it REGISTRY/IMAGE:<paramref name="tag"/> and pushes it with DockerPush, which
    /// records its digest. Returns REPOSITORY@sha256:....
    /// </summary>
    public string PushStandIn(string tag, string dockerfileTail = "")
    {
        string context = Path.Combine(Path.GetTempPath(), "sbir-swarm-standin-" + Guid.NewGuid().ToString("N")[..8]);
        string standIn = Path.Combine(AppContext.BaseDirectory, "StandIns", "dagster");
        Directory.CreateDirectory(context);
        try
        {
            TestRepository.CopyDirectory(standIn, context);

            File.AppendAllText(Path.Combine(context, "Dockerfile"), $"LABEL sbir.e2e.variant={tag}\n" + dockerfileTail);
            string reference = $"{Repository}:{tag}";
            DockerEngine.DockerOk("build", "--quiet", "--build-arg", "APP_IMAGE=" + AppImage + ":latest", "--tag", reference, context);
            _images.Add(reference);
        }
        finally
        {
            Directory.Delete(context, recursive: true);
        }

        Repo.Build("-t:DockerPush", "-p:SbirPushWithoutBuild=true", "-p:SbirContainerGenerateSbom=false", "-p:SbirContainerRegistry=" + Registry.OpenHost,
            "-p:SbirContainerImageName=" + ImageName, "-p:SbirContainerImageTags=" + tag, "-p:SbirDockerCli=" + DockerEngine.Cli).AssertSucceeded();
        string pushed = File.ReadAllText(Sbir.Container.Registry.ImagePusher.DigestFile(Path.Combine(Repo.Path, "obj", "SbirContainer"), Repository)).Trim();
        _images.Add(pushed);
        return pushed;
    }

    /// <summary>Runs a swarm target of the SDK on the sample, for the image DockerPush pushed under <paramref name="tag"/>.</summary>
    public BuildOutcome Stack(string target, string tag = "v1", params string[] extra)
        => Repo.MSBuild(["-t:" + target, "-v:n", "-p:SbirStackName=" + StackName, "-p:SbirContainerRegistry=" + Registry.OpenHost, "-p:SbirContainerImageName=" + ImageName,
            "-p:SbirContainerImageTags=" + tag, "-p:SbirDockerCli=" + StackCli, "-p:SbirStackEndpointMode=" + EndpointMode, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, .. extra]);

    /// <summary>Services, networks, secrets and volumes of the stack still in the engine.</summary>
    public (int Services, int Networks, int Secrets, int Volumes) Leftovers()
    {
        string filter = "label=com.docker.stack.namespace=" + StackName;
        int Count(params string[] args) => DockerEngine.DockerOk(args).Split('\n', StringSplitOptions.RemoveEmptyEntries).Length;
        return (Count("service", "ls", "-q", "--filter", filter), Count("network", "ls", "-q", "--filter", filter),
            Count("secret", "ls", "-q", "--filter", "label=sbir.container.stack=" + StackName), Count("volume", "ls", "-q", "--filter", filter));
    }

    public void Dispose()
    {
        if (SkipReason is not null)
        {
            Registry.Dispose();
            return;
        }

        Stack("StackRemove", "v1", "-p:SbirStackRemoveVolumes=true", "-p:SbirStackRemoveSecrets=true");
        if (_images.Count > 0)
        {
            DockerEngine.Docker(["image", "rm", "-f", .. _images]);
        }

        // A stand-in build that failed half-way leaves its steps' images untagged, labelled with the app image's title.
        DockerEngine.RemoveImagesOf(AppImage, AppImage + "-builder", Neo4jImage, Repository);

        if (_createdSwarm)
        {
            DockerEngine.Docker("swarm", "leave", "--force");
            if (!_hadGatewayBridge)
            {
                DockerEngine.Docker("network", "rm", "docker_gwbridge");
            }
        }

        Repo.Dispose();
        Registry.Dispose();
    }
}
