using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// Every error path of DockerBuild that needs no engine, through real 'dotnet build' processes on the
/// packed SDK: each gives its coded message in canonical form, and none ends in MSB4018.
/// </summary>
public class DockerBuildDiagnosticsTests
{
    private const string Dockerfile = "ARG BASE_IMAGE=python:3.11-slim\nFROM ${BASE_IMAGE} AS builder\nRUN echo build\nFROM ${BASE_IMAGE} AS runtime\nUSER nobody\n";

    private static TestRepository App(string? dockerfile = Dockerfile)
    {
        var repo = TestRepository.Create("app");
        if (dockerfile is not null)
        {
            repo.Write("Dockerfile", dockerfile);
        }

        return repo;
    }

    [Fact]
    public void Missing_cli_is_SBC5001_with_the_fix()
    {
        using var repo = App();
        var result = repo.Build("-t:DockerBuild", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
        var error = result.Single("SBC5001");
        // A property's mistake points at the user's project file, not into the SDK's .targets in the NuGet cache.
        Assert.EndsWith("app.proj", error.File);
        Assert.Contains("'/nonexistent/docker' was not found at that path", error.Message);
        Assert.Contains("SbirDockerCli", error.Message);
    }

    [Fact]
    public void Unreachable_daemon_is_SBC5002_naming_DOCKER_HOST()
    {
        using var repo = App();
        repo.Environment["DOCKER_HOST"] = "unix:///tmp/sbir-no-daemon.sock";
        var result = repo.Build("-t:DockerBuild", "-p:SbirDockerCli=" + Tools.Require("docker", "install Docker")).AssertFailed();
        var error = result.Single("SBC5002");
        Assert.Contains("unix:///tmp/sbir-no-daemon.sock (from DOCKER_HOST)", error.Message);
    }

    [Fact]
    public void ComposeRun_without_a_service_is_SBC0018_before_docker_is_looked_for()
    {
        using var repo = App();
        var error = repo.MSBuild(["-t:ComposeRun", "-p:Profile=prod", "-p:SbirDockerCli=/nonexistent/docker"]).AssertFailed().Single("SBC0018");
        Assert.Contains("ComposeRun needs the property SbirComposeRunService", error.Message);
        Assert.EndsWith("app.proj", error.File);
    }

    [Fact]
    public void Missing_Dockerfile_is_SBC0012()
    {
        using var repo = App(dockerfile: null);
        var error = repo.Build("-t:DockerBuild").AssertFailed().Single("SBC0012");
        Assert.Contains("SbirDockerfile", error.Message);

        // ContainerValidate says so too: every check before docker runs.
        Assert.Contains("SbirDockerfile", repo.Build("-t:ContainerValidate").AssertFailed().Single("SBC0012").Message);
    }

    [Fact]
    public void A_misspelt_builder_stage_is_SBC5105_in_ContainerValidate_at_the_stage_it_was_meant_to_be()
    {
        using var repo = App(Dockerfile.Replace("AS builder", "AS biulder"));
        var error = repo.Build("-t:ContainerValidate").AssertFailed().Single("SBC5105");
        Assert.Equal(2, error.Line);
        Assert.Contains("no stage named 'builder' (stages: biulder, runtime); did you mean 'biulder' here?", error.Message);
        Assert.Contains("set SbirContainerBuilderStage to one of the stages listed, or to none to build no builder image", error.Message);
    }

    [Fact]
    public void Invalid_image_name_and_tag_are_SBC0010_and_SBC0011()
    {
        using var repo = App();
        var result = repo.Build("-t:DockerBuild", "-p:SbirContainerImageName=My App", "-p:SbirContainerImageTags=\"ok;-bad\"").AssertFailed();
        Assert.Contains("upper-case", result.Single("SBC0010").Message);
        Assert.Contains("'-bad'", result.Single("SBC0011").Message);
    }

    [Fact]
    public void A_runtime_tag_equal_to_the_test_image_tag_is_SBC0019_before_docker_runs()
    {
        using var repo = App();
        var result = repo.Build("-t:DockerTest", "-p:SbirContainerImageTags=\"latest;test\"", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
        Assert.Contains("-p:SbirTestImageTag=test-stage", result.Single("SBC0019").Message);
        Assert.DoesNotContain("SBC5001", result.Output);
    }

    [Fact]
    public void A_Dockerfile_without_the_test_stage_is_SBC5105_naming_SbirContainerTestStage()
    {
        using var repo = App();
        // The stages are checked before docker is looked for.
        var error = repo.Build("-t:DockerTest", "-p:SbirTestServices=false", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed().Single("SBC5105");
        Assert.Contains("no stage named 'test'", error.Message);
        Assert.Contains("set SbirContainerTestStage", error.Message);
    }

    [Fact]
    public void requireDigest_in_config_makes_a_tag_only_base_image_SBC3115()
    {
        using var repo = App();
        Assert.DoesNotContain(repo.Build("-t:ContainerValidate").Diagnostics, d => d.Code == "SBC3115");

        repo.Write("config/docker.yaml", "container:\n  requireDigest: true\n");
        var warning = repo.Build("-t:ContainerValidate").Single("SBC3115");
        Assert.Equal("warning", warning.Severity);
        Assert.Contains("python:3.11-slim", warning.Message);
        Assert.Contains("container.requireDigest: false", warning.Message);
    }

    [Fact]
    public void Unknown_builder_value_is_SBC0017()
    {
        using var repo = App();
        var error = repo.Build("-t:DockerBuild", "-p:SbirContainerBuilder=fast").AssertFailed().Single("SBC0017");
        Assert.Contains("auto, buildkit, legacy", error.Message);
    }

    [Fact]
    public void Secret_like_build_argument_is_SBC0015()
    {
        using var repo = TestRepository.Create("app", $"""
            <Project Sdk="Sbir.Container.Sdk/{RepoPaths.SdkVersion}">
              <ItemGroup>
                <SbirContainerBuildArg Include="NEO4J_PASSWORD" Value="hunter2-value" />
              </ItemGroup>
            </Project>
            """);
        repo.Write("Dockerfile", Dockerfile);
        var result = repo.Build("-t:DockerBuild").AssertFailed();
        Assert.Contains("SbirContainerBuildSecret", result.Single("SBC0015").Message);
    }

    [Fact]
    public void Malformed_config_is_SBC0020_at_its_line_in_docker_yaml()
    {
        using var repo = App();
        repo.Write("config/docker.yaml", "container:\n  image: sbir-etl\n  tags: [latest\n");
        var error = repo.Build("-t:DockerBuild").AssertFailed().Single("SBC0020");
        Assert.EndsWith(Path.Combine("config", "docker.yaml"), error.File);
        Assert.True(error.Line >= 3, error.ToString());
    }

    [Fact]
    public void Unknown_Dockerfile_instruction_is_SBC3001_at_its_line()
    {
        using var repo = App(Dockerfile + "RUNN echo typo\n");
        var error = repo.Build("-t:DockerBuild", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed().Single("SBC3001");
        Assert.EndsWith("Dockerfile", error.File);
        Assert.Equal(6, error.Line);
    }

    [Fact]
    public void Missing_stage_is_SBC5105_naming_the_stages()
    {
        using var repo = App("FROM python:3.11-slim AS app\n");
        var error = repo.Build("-t:DockerBuild").AssertFailed().Single("SBC5105");
        Assert.Contains("no stage named 'runtime' (stages: app)", error.Message);
    }

    [Fact]
    public void Kill_switch_makes_DockerBuild_a_no_op()
        => App().Build("-t:DockerBuild", "-p:EnableSbirContainer=false", "-p:SbirDockerCli=/nonexistent/docker").AssertSucceeded();

    [Fact]
    public void Extension_points_run_in_order()
    {
        string before = Guid.NewGuid().ToString("N");
        string extra = Guid.NewGuid().ToString("N");
        string custom = Guid.NewGuid().ToString("N");
        using var repo = TestRepository.Create("app", $"""
            <Project Sdk="Sbir.Container.Sdk/{RepoPaths.SdkVersion}">
              <PropertyGroup>
                <DockerBuildDependsOn>$(DockerBuildDependsOn);MyStep</DockerBuildDependsOn>
              </PropertyGroup>
              <Target Name="BeforeDockerBuild"><Message Importance="high" Text="before-{before}" /></Target>
              <Target Name="MyStep"><Message Importance="high" Text="extra-{extra}" /></Target>
            </Project>
            """);
        repo.Write("Dockerfile", Dockerfile);
        string hook = repo.Write("hook.targets", $"""<Project><Target Name="CustomHook" AfterTargets="BeforeDockerBuild"><Message Importance="high" Text="custom-{custom}" /></Target></Project>""");
        var result = repo.Build("-t:DockerBuild", "-p:SbirDockerCli=/nonexistent/docker", "-p:CustomAfterSbirContainerTargets=" + hook).AssertFailed();
        int b = result.Output.IndexOf("before-" + before, StringComparison.Ordinal);
        int e = result.Output.IndexOf("extra-" + extra, StringComparison.Ordinal);
        Assert.True(b >= 0 && e > b, result.Output);
        Assert.Contains("custom-" + custom, result.Output);
        result.Single("SBC5001");
    }

    [Fact]
    public void Plain_dotnet_build_builds_the_image_and_clean_forgets_the_state()
    {
        using var repo = App();
        repo.Build("-p:SbirDockerCli=/nonexistent/docker").AssertFailed().Single("SBC5001");
        Directory.CreateDirectory(Path.Combine(repo.Path, "obj", "SbirContainer"));
        repo.MSBuild("-t:Clean").AssertSucceeded();
        Assert.False(Directory.Exists(Path.Combine(repo.Path, "obj", "SbirContainer")));
    }
}
