using System.Text;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;
using Sbir.Container.Registry;

namespace Sbir.Container.Core.Tests.Registry;

public class RegistryTests
{
    [Theory]
    [InlineData("ghcr.io/acme/sbir-etl", "ghcr.io", "acme/sbir-etl")]
    [InlineData("127.0.0.1:5000/sbir-etl", "127.0.0.1:5000", "sbir-etl")]
    [InlineData("localhost/x", "localhost", "x")]
    [InlineData("sbir-etl", "docker.io", "library/sbir-etl")]
    [InlineData("acme/sbir-etl", "docker.io", "acme/sbir-etl")]
    public void References_split_into_host_and_repository(string name, string host, string repository)
        => Assert.Equal(new RegistryReference(host, repository), RegistryReference.Parse(name));

    [Theory]
    [InlineData("unauthorized: authentication required", "SBC6004")]
    [InlineData("denied: requested access to the resource is denied", "SBC6004")]
    [InlineData("Get \"https://r.example:5000/v2/\": http: server gave HTTP response to HTTPS client", "SBC6005")]
    [InlineData("Get \"https://r.example/v2/\": dial tcp 10.0.0.1:443: connect: connection refused", "SBC6003")]
    [InlineData("Get \"https://nowhere.example/v2/\": dial tcp: lookup nowhere.example: no such host", "SBC6003")]
    [InlineData("something else entirely", "SBC6008")]
    public void Push_failures_are_classified(string stderr, string code)
        => Assert.Equal(code, ImagePusher.Classify("r.example/app:1", ScriptedProcessRunner.Result(1, "", stderr)).Code);

    [Theory]
    [InlineData("sha256:ABC", "sha256:abc")]
    [InlineData("r.example/app@sha256:abc", "sha256:abc")]
    [InlineData("abc", "sha256:abc")]
    public void Expected_digests_are_normalised(string given, string expected) => Assert.Equal(expected, ImagePromoter.Normalize(given));

    [Theory]
    [InlineData("staging", "staging")]
    [InlineData(" ci-3f2a ", "ci-3f2a")]
    [InlineData("sha256:ABC", "sha256:abc")]
    [InlineData("ghcr.io/acme/sbir-etl@sha256:abc\n", "sha256:abc")]
    public void The_promotion_source_is_a_tag_or_a_digest_in_either_form(string given, string expected) => Assert.Equal(expected, ImagePromoter.SourceReference(given));

    [Fact]
    public async Task Credentials_come_from_config_json_and_helpers_and_nothing_else()
    {
        using var dir = new TempDirectory();
        string auth = Convert.ToBase64String(Encoding.UTF8.GetBytes("me:s3cret"));
        dir.Write("docker/config.json", $$$"""{"auths":{"https://r.example":{"auth":"{{{auth}}}"},"tok.example":{"identitytoken":"tkn"}},"credHelpers":{"helped.example":"fake"}}""");
        dir.Executable("bin/docker-credential-fake", "#!/bin/sh\nread host\necho \"{\\\"ServerURL\\\":\\\"$host\\\",\\\"Username\\\":\\\"helper-user\\\",\\\"Secret\\\":\\\"helper-secret\\\"}\"\n");
        var env = new EnvironmentSnapshot([new("DOCKER_CONFIG", Path.Combine(dir.Path, "docker")), new("PATH", Path.Combine(dir.Path, "bin") + ":/usr/bin:/bin")]);
        var store = new RegistryCredentials(ProcessRunner.Instance, env);
        Assert.Equal(new RegistryCredential("me", "s3cret"), await store.GetAsync("r.example"));
        Assert.Equal(new RegistryCredential("<token>", "tkn"), await store.GetAsync("tok.example"));
        Assert.Equal(new RegistryCredential("helper-user", "helper-secret"), await store.GetAsync("helped.example"));
        Assert.Null(await store.GetAsync("other.example"));
    }

    [Fact]
    public void Package_list_is_CycloneDX_with_purls()
    {
        using var dir = new TempDirectory();
        string path = Path.Combine(dir.Path, "x.sbom.cdx.json");
        PackageInventory.Write(path, "r.example/app", "sha256:abc", [("deb", "tini", "0.19.0-1"), ("pypi", "PyYAML", "6.0.3")], DateTimeOffset.UnixEpoch);
        string json = File.ReadAllText(path);
        Assert.Contains("\"specVersion\": \"1.5\"", json);
        Assert.Contains("pkg:deb/debian/tini@0.19.0-1", json);
        Assert.Contains("pkg:pypi/pyyaml@6.0.3", json);
        Assert.Contains("\"version\": \"sha256:abc\"", json);
    }
}
