using System.Net.Http.Headers;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// DockerPush and DockerPromote against real registries on 127.0.0.1: the image built once is the image
/// promoted (one digest under every tag), credentials come only from the docker CLI's store, and a wrong
/// password is a coded error that never shows the password.
/// </summary>
[Collection(EngineCollection.Name)]
public sealed class RegistryTests : IClassFixture<RegistryFixture>, IDisposable
{
    // The fixture records a missing prerequisite; skipping here shows as a skip, not as a failure.
    private readonly RegistryFixture registries;

    public RegistryTests(RegistryFixture registries)
    {
        Prerequisite.SkipIf(registries.SkipReason);
        this.registries = registries;
    }

    private readonly string _name = EngineNames.Unique("sbir-e2e-push-");
    private readonly List<TestRepository> _repos = [];

    public void Dispose()
    {
        foreach (var repo in _repos)
        {
            repo.Dispose();
        }

        var images = DockerEngine.DockerOk("image", "ls", "--format", "{{.Repository}}:{{.Tag}}").Split('\n').Where(i => i.Contains(_name, StringComparison.Ordinal)).ToArray();
        if (images.Length > 0)
        {
            DockerEngine.Docker(["image", "rm", "-f", .. images]);
        }

        DockerEngine.RemoveImagesOf(_name, _name + "-builder");
    }

    private TestRepository App(string? dockerConfig = null)
    {
        var repo = TestRepository.Create("sbir-etl");
        OfflineApp.WriteInto(repo);
        repo.Write(".env", "NEO4J_PASSWORD=Push-Tests-Secret-1\n");
        repo.InitGit();
        if (dockerConfig is not null)
        {
            repo.Environment["DOCKER_CONFIG"] = dockerConfig;
        }

        _repos.Add(repo);
        return repo;
    }

    private BuildOutcome Run(TestRepository repo, string target, string registry, params string[] extra)
        => repo.Build(["-t:" + target, "-p:SbirContainerImageName=" + _name, "-p:SbirContainerRegistry=" + registry, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli, .. extra]);

    [Fact]
    public void Build_push_promote_to_staging_and_prod_and_every_tag_is_one_digest()
    {
        var repo = App();
        string tag = "ci-" + Guid.NewGuid().ToString("N")[..7];
        var push = Run(repo, "DockerPush", registries.OpenHost, $"-p:SbirContainerImageTags=\"{tag};latest\"").AssertSucceeded();
        string digestFile = Directory.GetFiles(Path.Combine(repo.Path, "obj", "SbirContainer"), "*.digest").Single();
        string pushed = File.ReadAllText(digestFile).Trim();
        Assert.StartsWith($"{registries.OpenHost}/{_name}@sha256:", pushed);
        string digest = pushed[(pushed.IndexOf('@') + 1)..];
        Assert.Contains(digest, push.Output);

        // The package list beside the digest.
        string sbom = File.ReadAllText(Directory.GetFiles(Path.Combine(repo.Path, "obj", "SbirContainer"), "*.sbom.cdx.json").Single());
        Assert.Contains("\"bomFormat\": \"CycloneDX\"", sbom);
        Assert.Contains("pkg:deb/debian/tini@", sbom);
        Assert.Contains(digest, sbom);

        Run(repo, "DockerPromote", registries.OpenHost, "-p:SbirPromoteFrom=" + tag, "-p:SbirPromoteTo=staging", "-p:SbirExpectedDigest=" + pushed).AssertSucceeded();
        Run(repo, "DockerPromote", registries.OpenHost, "-p:SbirPromoteFrom=staging", "-p:SbirPromoteTo=prod", "-p:SbirExpectedDigest=" + digest).AssertSucceeded();
        Assert.All(new[] { tag, "latest", "staging", "prod" }, t => Assert.Equal(digest, RegistryDigest(registries.OpenHost, _name, t)));

        // Pulled back by digest: the same image.
        DockerEngine.DockerOk("image", "rm", $"{registries.OpenHost}/{_name}:{tag}", $"{registries.OpenHost}/{_name}:latest");
        DockerEngine.DockerOk("pull", $"{registries.OpenHost}/{_name}@{digest}");
        Assert.Contains("/usr/bin/tini", DockerEngine.DockerOk("image", "inspect", "--format", "{{json .Config.Entrypoint}}", $"{registries.OpenHost}/{_name}@{digest}"));

        // A digest that is not the one tested is refused, and nothing moves.
        var refused = Run(repo, "DockerPromote", registries.OpenHost, "-p:SbirPromoteFrom=staging", "-p:SbirPromoteTo=prod", "-p:SbirExpectedDigest=sha256:" + new string('0', 64)).AssertFailed();
        Assert.Contains("not the expected sha256:000", refused.Single("SBC6007").Message);
        var missing = Run(repo, "DockerPromote", registries.OpenHost, "-p:SbirPromoteFrom=no-such-tag", "-p:SbirPromoteTo=prod").AssertFailed();
        missing.Single("SBC6006");
    }

    [Fact]
    public void Authenticated_registry_uses_the_docker_credential_store_and_a_wrong_password_never_shows()
    {
        var good = App(registries.DockerConfigWith(registries.Password));
        var push = Run(good, "DockerPush", registries.AuthHost).AssertSucceeded();
        Run(good, "DockerPromote", registries.AuthHost, "-p:SbirPromoteTo=staging").AssertSucceeded();
        Assert.DoesNotContain(registries.Password, push.Output);

        string wrong = "Wrong-" + Guid.NewGuid().ToString("N");
        var bad = App(registries.DockerConfigWith(wrong));
        var pushFailed = Run(bad, "DockerPush", registries.AuthHost, "-v:diag").AssertFailed();
        Assert.Contains("docker login " + registries.AuthHost, pushFailed.Single("SBC6004").Message);
        var promoteFailed = Run(bad, "DockerPromote", registries.AuthHost, "-p:SbirPromoteTo=prod", "-v:diag").AssertFailed();
        Assert.Contains("refused", promoteFailed.Single("SBC6004").Message);
        foreach (string output in new[] { pushFailed.Output, promoteFailed.Output })
        {
            Assert.DoesNotContain(wrong, output);
            Assert.DoesNotContain(registries.Password, output);
        }
    }

    [Fact]
    public void Unreachable_registry_and_missing_image_are_coded_errors()
    {
        var repo = App();
        var unreachable = Run(repo, "DockerPush", "127.0.0.1:9");
        unreachable.AssertFailed().Single("SBC6003");

        var missing = Run(repo, "DockerPush", registries.OpenHost, "-p:SbirPushWithoutBuild=true", "-p:SbirContainerImageTags=never-built").AssertFailed();
        Assert.Contains(":never-built", missing.Single("SBC6002").Message);
    }

    private static string RegistryDigest(string host, string repository, string tag)
    {
        using var http = new HttpClient();
        using var request = new HttpRequestMessage(HttpMethod.Head, $"http://{host}/v2/{repository}/manifests/{tag}");
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.docker.distribution.manifest.v2+json"));
        request.Headers.Accept.Add(new MediaTypeWithQualityHeaderValue("application/vnd.oci.image.manifest.v1+json"));
        using var response = http.Send(request);
        Assert.True(response.IsSuccessStatusCode, $"{tag}: HTTP {(int)response.StatusCode}");
        return response.Headers.GetValues("Docker-Content-Digest").Single();
    }
}
