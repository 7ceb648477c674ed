using Sbir.Container.Compose;
using Sbir.Container.Configuration;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Compose;

/// <summary>What compose refuses or must never do, in every profile: SBC4018 to SBC4021.</summary>
public class HostAccessCheckTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    public void Dispose() => _dir.Dispose();

    private List<Diagnostic> Check(string compose, string profile = "dev")
    {
        _dir.Write("docker-compose.yml", compose);
        var settings = new ComposeSettings
        {
            Profiles = new Dictionary<string, ComposeProfileSettings>(StringComparer.OrdinalIgnoreCase) { [profile] = new(profile, ["docker-compose.yml"], []) },
        };
        var env = new Dictionary<string, string> { ["HOME"] = "/home/dev" };
        return ComposeChecker.Check(new ComposeCheckInput
        {
            ProjectDirectory = _dir.Path,
            Compose = settings,
            Lookup = n => env.TryGetValue(n, out var v) ? v : null,
            AppImage = "sbir-etl",
            AppImageHasHealthcheck = true,
        }).ToList();
    }

    [Fact]
    public void A_depends_on_cycle_is_SBC4018_naming_the_circle()
    {
        var d = Assert.Single(Check("""
            services:
              a:
                image: busybox:1.36
                depends_on: [b]
              b:
                image: busybox:1.36
                depends_on:
                  c:
                    condition: service_started
              c:
                image: busybox:1.36
                depends_on: [a]
            """), d => d.Code == "SBC4018");
        Assert.Contains("a -> b -> c -> a", d.Message, StringComparison.Ordinal);
        Assert.Equal(12, d.Span.Line);
    }

    [Fact]
    public void A_service_depending_on_itself_is_a_cycle()
        => Assert.Single(Check("services:\n  a:\n    image: busybox:1.36\n    depends_on: [a]\n"), d => d.Code == "SBC4018");

    [Theory]
    [InlineData("/etc/shadow")]
    [InlineData("~/.ssh/id_rsa")]
    [InlineData("../outside.env")]
    public void An_env_file_outside_the_project_is_SBC4019(string path)
    {
        var d = Assert.Single(Check($"services:\n  app:\n    image: busybox:1.36\n    env_file:\n      - .env\n      - {path}\n"), d => d.Code == "SBC4019");
        Assert.Equal(6, d.Span.Line);
        Assert.Contains(path, d.Message, StringComparison.Ordinal);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
    }

    [Fact]
    public void Secret_and_config_files_outside_the_project_are_SBC4019()
    {
        var found = Check("""
            services:
              app:
                image: busybox:1.36
                secrets: [key]
            secrets:
              key:
                file: ~/.ssh/id_rsa
              ok:
                file: ./secrets/neo4j_password
            configs:
              passwd:
                file: /etc/passwd
            """).Where(d => d.Code == "SBC4019").ToList();
        Assert.Equal([7, 12], found.Select(d => d.Span.Line));
    }

    [Theory]
    [InlineData("build: /")]
    [InlineData("build:\n      context: /")]
    [InlineData("build:\n      context: \"~\"")]
    [InlineData("build:\n      context: /home")]
    public void A_build_context_of_the_root_or_home_is_SBC4020(string build)
        => Assert.Single(Check($"services:\n  app:\n    image: sbir-etl:latest\n    {build}\n"), d => d.Code == "SBC4020");

    [Fact]
    public void The_project_folder_as_context_is_fine()
        => Assert.DoesNotContain(Check("services:\n  app:\n    image: sbir-etl:latest\n    build:\n      context: .\n"), d => d.Code == "SBC4020");

    [Theory]
    [InlineData("/:/host")]
    [InlineData("/etc:/host-etc:ro")]
    [InlineData("/var/run/docker.sock:/var/run/docker.sock")]
    [InlineData("/run/docker.sock:/docker.sock")]
    [InlineData("~:/home")]
    [InlineData("/root:/r")]
    public void Dangerous_bind_mounts_are_SBC4021_in_any_profile(string mount)
    {
        foreach (string profile in new[] { "dev", "test" })
        {
            var d = Assert.Single(Check($"services:\n  app:\n    image: busybox:1.36\n    volumes:\n      - {mount}\n", profile), d => d.Code == "SBC4021");
            Assert.Equal(5, d.Span.Line);
        }
    }

    [Fact]
    public void Project_bind_mounts_are_fine()
        => Assert.DoesNotContain(Check("services:\n  app:\n    image: busybox:1.36\n    volumes:\n      - ./data:/app/data\n      - ./config:/app/config:ro\n"), d => d.Code == "SBC4021");
}
