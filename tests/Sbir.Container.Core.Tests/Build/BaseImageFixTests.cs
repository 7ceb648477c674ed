using Sbir.Container.Build;

namespace Sbir.Container.Core.Tests.Build;

public class BaseImageFixTests
{
    [Theory]
    [InlineData("Get \"https://registry-1.docker.io/v2/\": dial tcp: lookup registry-1.docker.io on 10.0.0.2:53: server misbehaving", true)]
    [InlineData("failed to do request: Head \"https://registry-1.docker.io/v2/library/python/manifests/3.11-slim\": dial tcp 52.1.1.1:443: i/o timeout", true)]
    [InlineData("pull access denied for acme/private, repository does not exist or may require 'docker login'", false)]
    [InlineData("manifest for python:3.99 not found: manifest unknown", false)]
    public void A_registry_that_never_answered_is_told_from_one_that_refused(string message, bool unreachable)
        => Assert.Equal(unreachable, BaseImageFix.RegistryUnreachable(message));

    [Fact]
    public void The_local_image_of_the_same_name_is_found_same_tag_first()
    {
        string[] local = ["sbir-etl:latest", "local/python:3.12-slim", "local/python:3.11-slim", "<none>:<none>"];
        Assert.Equal("local/python:3.11-slim", BaseImageFix.SameNameLocal("python:3.11-slim", local));
        Assert.Equal("local/python:3.11-slim", BaseImageFix.SameNameLocal("docker.io/library/python:3.11-slim", local));
        Assert.Equal("local/python:3.12-slim", BaseImageFix.SameNameLocal("python:3.13", ["local/python:3.12-slim"]));
        Assert.Null(BaseImageFix.SameNameLocal("debian:bookworm-slim", local));
        Assert.Null(BaseImageFix.SameNameLocal("local/python:3.11-slim", ["local/python:3.11-slim"]));
    }

    [Fact]
    public void Offline_with_a_local_twin_names_it_and_the_variable()
    {
        string fix = BaseImageFix.Describe(new("python:3.11-slim", "BASE_IMAGE", "python:3.11-slim", false, true, "local/python:3.11-slim"));
        Assert.Contains("No registry answered", fix);
        Assert.Contains("-p:SbirContainerBaseImage=local/python:3.11-slim", fix);
        Assert.Contains("container.baseImage", fix);
        Assert.DoesNotContain("docker pull", fix);
    }

    [Fact]
    public void Offline_without_a_local_twin_says_how_to_bring_one()
    {
        string fix = BaseImageFix.Describe(new("python:3.11-slim", "BASE_IMAGE", null, false, true, null));
        Assert.Contains("'docker load'", fix);
        Assert.Contains("SbirContainerBaseImage", fix);
    }

    [Fact]
    public void A_FROM_that_ignores_the_setting_is_told_so_with_the_ARG_to_declare()
    {
        string fix = BaseImageFix.Describe(new("python:3.11-slim", "BASE_IMAGE", "local/python:3.11-slim", true, true, "local/python:3.11-slim"));
        Assert.StartsWith("This FROM line names its image itself, so SbirContainerBaseImage ('local/python:3.11-slim') does not apply to it", fix);
        Assert.Contains("'ARG BASE_IMAGE=python:3.11-slim'", fix);
        Assert.Contains("'FROM ${BASE_IMAGE}'", fix);
    }

    [Fact]
    public void A_registry_that_answered_gets_the_pull_advice()
        => Assert.Contains("'docker pull acme/app:1'", BaseImageFix.Describe(new("acme/app:1", "BASE_IMAGE", null, false, false, null)));
}
