using System.Diagnostics;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// DockerBuild's behaviour on the real engine beyond the sample: build secrets, the builder choice per
/// CLI, failing steps, missing base images and Ctrl+C. Small Dockerfiles on the local Debian image.
/// </summary>
[Collection(EngineCollection.Name)]
public class BuildBehaviourTests : IDisposable
{
    private const string Debian = "local/debian:bookworm-slim";
    private readonly string _image = EngineNames.Unique("sbir-e2e-b-");
    private readonly List<TestRepository> _repos = [];

    public BuildBehaviourTests()
    {
        DockerEngine.Require();
    }

    public void Dispose()
    {
        DockerEngine.RemoveImagesOf(_image, _image + "-builder");
        foreach (var repo in _repos)
        {
            repo.Dispose();
        }
    }

    private TestRepository Repo(string dockerfile, string? projectBody = null)
    {
        var repo = TestRepository.Create("app", projectBody is null ? null : $"<Project Sdk=\"Sbir.Container.Sdk/{RepoPaths.SdkVersion}\">\n{projectBody}\n</Project>\n");
        repo.Write("Dockerfile", dockerfile);
        repo.Write(".dockerignore", ".env\nobj/\n");
        _repos.Add(repo);
        return repo;
    }

    private BuildOutcome Build(TestRepository repo, string cli, params string[] extra)
        => repo.Build(["-t:DockerBuild", "-v:n", "-p:SbirContainerImageName=" + _image, "-p:SbirDockerCli=" + cli, .. extra]);

    private const string SecretProject = """
          <ItemGroup>
            <SbirContainerBuildSecret Include="pypi_token" EnvironmentVariable="PYPI_TOKEN" />
          </ItemGroup>
        """;

    private const string SecretDockerfile = $"""
        FROM {Debian} AS builder
        RUN --mount=type=secret,id=pypi_token sh -c 'wc -c < /run/secrets/pypi_token > /token-length'
        FROM builder AS runtime
        USER nobody
        """;

    [Fact]
    public void Build_secret_from_env_file_reaches_RUN_and_nothing_else()
    {
        string secret = "pypi-" + Guid.NewGuid().ToString("N");
        var repo = Repo(SecretDockerfile, SecretProject);
        repo.Write(".env", $"PYPI_TOKEN={secret}\n");
        var result = Build(repo, DockerEngine.Cli).AssertSucceeded();

        Assert.Equal(secret.Length.ToString(), DockerEngine.DockerOk("run", "--rm", _image + ":latest", "cat", "/token-length"));
        Assert.DoesNotContain(secret, result.Output);
        Assert.DoesNotContain(secret, File.Exists(result.BinaryLog) ? File.ReadAllText(result.BinaryLog) : string.Empty);
        Assert.DoesNotContain(secret, DockerEngine.DockerOk("history", "--no-trunc", _image + ":latest"));
        Assert.DoesNotContain(secret, DockerEngine.DockerOk("image", "inspect", _image + ":latest"));
        Assert.False(SampleImageTests.ImageContains(_image + ":latest", secret));
        Assert.Contains("--secret id=pypi_token,env=SBIR_BUILD_SECRET_PYPI_TOKEN", result.Output);
    }

    [Fact]
    public void BuildKit_needed_with_a_legacy_only_cli_is_SBC5004_naming_a_capable_client()
    {
        string legacy = LegacyCliOrSkip();
        var repo = Repo(SecretDockerfile, SecretProject);
        repo.Write(".env", "PYPI_TOKEN=x-not-used-x\n");
        var error = Build(repo, legacy).AssertFailed().Single("SBC5004");
        Assert.Contains("build secrets: pypi_token", error.Message);
        Assert.Contains("no buildx plugin", error.Message);
        Assert.Contains("-p:SbirDockerCli=/usr/bin/docker", error.Message);
    }

    [Fact]
    public void Legacy_only_cli_builds_without_BuildKit_features_automatically()
    {
        string legacy = LegacyCliOrSkip();
        var repo = Repo($"FROM {Debian} AS builder\nRUN echo built > /marker\nFROM builder AS runtime\nUSER nobody\n");
        var result = Build(repo, legacy).AssertSucceeded();
        Assert.Contains("DockerBuild: building with the legacy builder", result.Output);
        Assert.Contains("Step 2/4 : RUN echo built > /marker", result.Output);
        Assert.Equal("built", DockerEngine.DockerOk("run", "--rm", _image + ":latest", "cat", "/marker"));
    }

    [Theory]
    [InlineData("buildkit")]
    [InlineData("legacy")]
    public void Failing_step_is_SBC5101_at_its_Dockerfile_line_with_its_last_output(string builder)
    {
        string cli = builder == "legacy" ? LegacyCliOrSkip() : DockerEngine.Cli;
        // The step before the failing one labels its image with this test's title: the legacy builder keeps that image
        // (untagged) after the failure, and the title is how RemoveImagesOf and the engine ledger find it.
        var repo = Repo($"FROM {Debian} AS builder\nLABEL org.opencontainers.image.title={_image}\nRUN echo preparing the step && \\\n    echo about to fail && exit 7\nFROM builder AS runtime\nUSER nobody\n");
        var result = Build(repo, cli).AssertFailed();
        var error = result.Single("SBC5101");
        Assert.EndsWith("Dockerfile", error.File);
        Assert.Equal(3, error.Line);
        Assert.Contains("failed in stage 'builder' with exit code 7", error.Message);
        // The step's own last lines follow the message (on the next lines of the same error).
        int at = result.Output.IndexOf("error SBC5101", StringComparison.Ordinal);
        Assert.Contains("about to fail", result.Output[at..]);
    }

    [Fact]
    public void Missing_base_image_is_SBC5103_at_the_FROM_line()
    {
        var repo = Repo("ARG BASE_IMAGE=x\nFROM ${BASE_IMAGE} AS builder\nRUN true\nFROM builder AS runtime\nUSER nobody\n");
        var error = Build(repo, DockerEngine.Cli, "-p:SbirContainerBaseImage=local/no-such-image:1").AssertFailed().Single("SBC5103");
        Assert.Contains("local/no-such-image:1", error.Message);
        Assert.Equal(2, error.Line);
    }

    [Fact]
    public void Ctrl_C_stops_docker_and_the_build_step()
    {
        // A unique duration so that the step's process can be found on the host (containers share its kernel).
        int seconds = 300 + Random.Shared.Next(1, 600);
        var repo = Repo($"FROM {Debian} AS builder\nRUN sleep {seconds}\nFROM builder AS runtime\nUSER nobody\n");
        var process = repo.StartBuild(out var output, "-t:DockerBuild", "-v:n", "-p:SbirContainerImageName=" + _image, "-p:SbirDockerCli=" + DockerEngine.Cli);
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromMinutes(2) && !SleepRuns(seconds) && !process.HasExited)
        {
            Thread.Sleep(200);
        }

        Assert.True(SleepRuns(seconds), "the build step never started:\n" + Snapshot(output));
        ProcessRun.Run("kill", ["-INT", process.Id.ToString()]);
        var result = ProcessRun.Wait(process, output, TimeSpan.FromSeconds(60));
        Assert.NotEqual(0, result.ExitCode);
        Assert.DoesNotContain("MSB4018", result.Output);

        var stopped = Stopwatch.StartNew();
        while (SleepRuns(seconds) && stopped.Elapsed < TimeSpan.FromSeconds(30))
        {
            Thread.Sleep(500);
        }

        Assert.False(SleepRuns(seconds), $"'sleep {seconds}' still runs after Ctrl+C");
    }

    private static bool SleepRuns(int seconds) => ProcessRun.Run("pgrep", ["-f", $"sleep {seconds}"]).ExitCode == 0;

    private static string Snapshot(System.Text.StringBuilder output)
    {
        lock (output)
        {
            return output.ToString();
        }
    }

    private static string LegacyCliOrSkip()
    {
        string? legacy = DockerEngine.LegacyOnlyCli();
        if (legacy is null)
        {
            Prerequisite.Missing("this machine has no docker client without BuildKit (a 23+ client without buildx) to test the legacy path with");
        }

        return legacy!;
    }
}
