using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// The 'dotnet new sbir-container' template as a new user meets it: installed from its package,
/// generated into an empty folder, then validated, built, run and tested with the packed SDK and
/// nothing added but the NuGet source of the SDK and, where no registry is reachable, the local base
/// image through SbirContainerBaseImage.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class TemplateTests : IDisposable
{
    private readonly string _hive = Path.Combine(Path.GetTempPath(), "sbir-template-hive-" + Guid.NewGuid().ToString("N")[..8]);
    private readonly string _image = EngineNames.Unique("sbir-e2e-tpl-");
    private readonly TestRepository _repo;

    public TemplateTests()
    {
        DockerEngine.Require();
        _repo = TestRepository.Empty("acme-pipeline");
    }

    public void Dispose()
    {
        DockerEngine.RemoveImagesOf(_image, _image + "-builder");
        _repo.Dispose();
        if (Directory.Exists(_hive))
        {
            Directory.Delete(_hive, recursive: true);
        }
    }

    [Fact]
    public void Generated_into_an_empty_folder_it_validates_builds_runs_and_tests()
    {
        Assert.Empty(Directory.EnumerateFileSystemEntries(_repo.Path));
        DotnetNew("install", RepoPaths.TemplatesPackage);
        DotnetNew("sbir-container", "--output", _repo.Path);

        string[] expected =
        [
            "acme-pipeline.proj", "Dockerfile", "scripts/docker/entrypoint.sh", "docker-compose.yml", "docker/docker-compose.dev.yml",
            "config/docker.yaml", ".env.example", ".env", ".dockerignore", ".gitattributes", ".gitignore",
            "requirements.txt", "requirements-dev.txt", "src/acme_pipeline/__init__.py", "src/acme_pipeline/__main__.py", "tests/test_pipeline.py",
        ];
        Assert.All(expected, f => Assert.True(File.Exists(Path.Combine(_repo.Path, f)), f + " was not generated"));
        Assert.Equal($"<Project Sdk=\"Sbir.Container.Sdk/{RepoPaths.SdkVersion}\" />", File.ReadAllText(Path.Combine(_repo.Path, "acme-pipeline.proj")).Trim());

        _repo.UseTestFeed();
        var validate = _repo.Build("-t:ContainerValidate").AssertSucceeded();
        Assert.Empty(validate.Diagnostics);
        Assert.Contains("ContainerValidate: 0 error(s), 0 warning(s)", validate.Output);

        string[] engine = ["-p:SbirContainerImageName=" + _image, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli];
        var build = _repo.Build(["-t:DockerBuild", .. engine]).AssertSucceeded();
        Assert.Empty(build.Diagnostics);
        Assert.Contains($"DockerBuild: built {_image}:latest", build.Output);

        // The runtime image runs the pipeline once, as the non-root user, through tini and the entrypoint.
        Assert.Contains("{'records': 2, 'total': 249500.5}", DockerEngine.DockerOk("run", "--rm", _image + ":latest"));
        Assert.Equal("app", DockerEngine.DockerOk("run", "--rm", "--entrypoint", "whoami", _image + ":latest"));
        var badLevel = DockerEngine.Docker("run", "--rm", "-e", "LOG_LEVEL=loud", _image + ":latest");
        Assert.Equal(64, badLevel.ExitCode);
        Assert.Contains("LOG_LEVEL='loud' is not one of debug, info, warning, error", badLevel.Output);

        var test = _repo.Build(["-t:DockerTest", .. engine]).AssertSucceeded();
        Assert.Contains("DockerTest: 3 passed, 0 failed, 0 skipped", test.Output);
    }

    private void DotnetNew(params string[] args)
    {
        var result = ProcessRun.Run("dotnet", ["new", .. args, "--debug:custom-hive", _hive], _repo.Path, TestRepository.CleanEnvironment());
        Assert.True(result.ExitCode == 0, "dotnet new " + string.Join(' ', args) + " failed:\n" + result.Output);
    }
}
