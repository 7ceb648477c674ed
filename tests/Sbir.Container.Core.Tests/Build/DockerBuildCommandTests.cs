using Sbir.Container.Build;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Build;

public class DockerBuildCommandTests
{
    private static ImageBuildRequest Request(params BuildSecret[] secrets) => new()
    {
        ProjectDirectory = "/p",
        DockerfilePath = "/p/Dockerfile",
        ContextDirectory = "/p",
        Repository = "ghcr.io/acme/sbir-etl",
        Tags = ["latest", "1.0"],
        RuntimeStage = "runtime",
        BuilderStage = "builder",
        BaseImage = "local/python:3.11-slim",
        BuildArgs = [new("SBIR_UID", "1000"), new("BASE_IMAGE", "ignored")],
        Labels = new Dictionary<string, string> { ["org.opencontainers.image.title"] = "sbir-etl" },
        Secrets = secrets,
        CacheFrom = ["ghcr.io/acme/sbir-etl:cache", "type=local,src=/c"],
        CacheTo = "type=local,dest=/c",
        StateDirectory = "/p/obj",
    };

    [Fact]
    public void BuildKit_built_in_uses_plain_progress_and_the_environment_switch()
    {
        var command = DockerBuildCommand.Create(Request(), "runtime", ["ghcr.io/acme/sbir-etl:latest", "ghcr.io/acme/sbir-etl:1.0"], BuilderKind.BuildKitBuiltIn, "/p/obj/id");
        Assert.Equal(
            ["build", "--progress=plain", "--file", "/p/Dockerfile", "--target", "runtime",
             "--tag", "ghcr.io/acme/sbir-etl:latest", "--tag", "ghcr.io/acme/sbir-etl:1.0",
             "--build-arg", "BASE_IMAGE=local/python:3.11-slim", "--build-arg", "SBIR_UID=1000",
             "--label", "org.opencontainers.image.title=sbir-etl",
             "--cache-from", "ghcr.io/acme/sbir-etl:cache", "--cache-from", "type=local,src=/c", "--cache-to", "type=local,dest=/c",
             "--iidfile", "/p/obj/id", "/p"],
            command.Arguments);
        Assert.Equal("1", command.Environment["DOCKER_BUILDKIT"]);
    }

    [Fact]
    public void Buildx_loads_the_result_and_legacy_drops_buildkit_only_flags()
    {
        var buildx = DockerBuildCommand.Create(Request(), "runtime", ["x:1"], BuilderKind.Buildx, "/id");
        Assert.Equal(["buildx", "build", "--load", "--progress=plain"], buildx.Arguments.Take(4));

        var legacy = DockerBuildCommand.Create(Request(), "runtime", ["x:1"], BuilderKind.Legacy, "/id");
        Assert.DoesNotContain("--progress=plain", legacy.Arguments);
        Assert.DoesNotContain("--cache-to", legacy.Arguments);
        Assert.DoesNotContain("type=local,src=/c", legacy.Arguments);
        Assert.Contains("ghcr.io/acme/sbir-etl:cache", legacy.Arguments);
        Assert.Equal("0", legacy.Environment["DOCKER_BUILDKIT"]);
    }

    [Fact]
    public void Secret_values_travel_only_in_the_environment()
    {
        const string value = "s3cr3t-value-never-on-argv";
        var command = DockerBuildCommand.Create(Request(new BuildSecret("pypi_token", "PYPI_TOKEN", null, value), new BuildSecret("netrc", null, "/home/u/.netrc", null)), "builder", ["x:1"], BuilderKind.BuildKitBuiltIn, "/id");
        Assert.DoesNotContain(command.Arguments, a => a.Contains(value));
        Assert.Contains("id=pypi_token,env=SBIR_BUILD_SECRET_PYPI_TOKEN", command.Arguments);
        Assert.Contains("id=netrc,src=/home/u/.netrc", command.Arguments);
        Assert.Equal(value, command.Environment["SBIR_BUILD_SECRET_PYPI_TOKEN"]);
    }
}
