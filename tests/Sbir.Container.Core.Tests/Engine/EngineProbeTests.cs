using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;

namespace Sbir.Container.Core.Tests.Engine;

public class EngineProbeTests : IDisposable
{
    // Recorded from the clients on the development machine (docker 28.2.2 and 20.10.24) and from Podman 4.3.
    private const string Docker28WithServer = """{"Client":{"Version":"28.2.2","ApiVersion":"1.41","DefaultAPIVersion":"1.50","Os":"linux","Arch":"amd64","Context":"default"},"Server":{"Platform":{"Name":""},"Components":[{"Name":"Engine","Version":"20.10.24+dfsg1"}],"Version":"20.10.24+dfsg1"}}""";
    private const string Docker2010NoServer = """{"Client":{"Platform":{"Name":""},"Version":"20.10.24+dfsg1","ApiVersion":"1.41","Context":"default"},"Server":null}""";
    private const string Podman = """{"Client":{"APIVersion":"4.3.1","Version":"4.3.1","GoVersion":"go1.19.8","OsArch":"linux/amd64","Os":"linux"},"Server":{"APIVersion":"4.3.1","Version":"4.3.1","OsArch":"linux/amd64"}}""";

    private readonly TempDirectory _bin = new();

    public void Dispose() => _bin.Dispose();

    private EnvironmentSnapshot Env(params (string, string)[] extra)
        => new(new[] { new KeyValuePair<string, string>("PATH", _bin.Path) }.Concat(extra.Select(e => new KeyValuePair<string, string>(e.Item1, e.Item2))));

    [Fact]
    public async Task Missing_cli_is_SBC5001_and_suggests_podman_when_present()
    {
        var result = await new EngineProbe(new ScriptedProcessRunner(), Env()).ProbeAsync("docker", null, BuilderPreference.Auto);
        Assert.Equal("SBC5001", result.Error!.Code);
        Assert.Contains("not found on PATH", result.Error.Message);
        Assert.Contains("SbirDockerCli", result.Error.Message);

        _bin.Executable("podman");
        var withPodman = await new EngineProbe(new ScriptedProcessRunner(), Env()).ProbeAsync("", null, BuilderPreference.Auto);
        Assert.Contains("set SbirDockerCli=podman", withPodman.Error!.Message);
    }

    [Fact]
    public async Task Daemon_down_is_SBC5002_naming_DOCKER_HOST()
    {
        _bin.Executable("docker");
        var runner = new ScriptedProcessRunner().On("docker", ["version"], 1, Docker2010NoServer, "Cannot connect to the Docker daemon at unix:///tmp/nope.sock. Is the docker daemon running?");
        var result = await new EngineProbe(runner, Env(("DOCKER_HOST", "unix:///tmp/nope.sock"))).ProbeAsync("docker", null, BuilderPreference.Auto);
        Assert.Equal("SBC5002", result.Error!.Code);
        Assert.Contains("unix:///tmp/nope.sock (from DOCKER_HOST)", result.Error.Message);
        Assert.Contains("docker context use", result.Error.Message);
    }

    [Fact]
    public async Task Permission_denied_is_SBC5003()
    {
        _bin.Executable("docker");
        var runner = new ScriptedProcessRunner().On("docker", ["version"], 1, Docker2010NoServer, "permission denied while trying to connect to the Docker daemon socket at unix:///var/run/docker.sock");
        var result = await new EngineProbe(runner, Env()).ProbeAsync("docker", null, BuilderPreference.Auto);
        Assert.Equal("SBC5003", result.Error!.Code);
        Assert.Contains("usermod -aG docker", result.Error.Message);
    }

    [Fact]
    public async Task Not_a_docker_cli_is_SBC5005()
    {
        _bin.Executable("docker");
        var runner = new ScriptedProcessRunner().On("docker", ["version"], 2, "", "unknown flag: --format");
        var result = await new EngineProbe(runner, Env()).ProbeAsync("docker", null, BuilderPreference.Auto);
        Assert.Equal("SBC5005", result.Error!.Code);
    }

    [Fact]
    public async Task Docker_28_without_buildx_gets_the_legacy_builder()
    {
        _bin.Executable("docker");
        var runner = new ScriptedProcessRunner()
            .On("docker", ["version"], 0, Docker28WithServer)
            .On("docker", ["buildx"], 1, "", "docker: unknown command: docker buildx");
        var result = await new EngineProbe(runner, Env()).ProbeAsync("docker", null, BuilderPreference.Auto);
        Assert.Equal(BuilderKind.Legacy, result.Engine!.Builder);
        Assert.Equal("28.2.2", result.Engine.ClientVersion);
        Assert.Equal("20.10.24+dfsg1", result.Engine.ServerVersion);
        Assert.False(result.Engine.SupportsBuildSecrets);
    }

    [Fact]
    public async Task Podman_behind_the_docker_name_is_recognised()
    {
        _bin.Executable("docker");
        var runner = new ScriptedProcessRunner().On("docker", ["version"], 0, Podman);
        var result = await new EngineProbe(runner, Env()).ProbeAsync("docker", null, BuilderPreference.Auto);
        Assert.True(result.Engine!.IsPodman);
        Assert.Equal(BuilderKind.Podman, result.Engine.Builder);
        Assert.DoesNotContain(runner.Calls, c => c.Arguments.Contains("buildx"));
    }

    [Theory]
    [InlineData("20.10.24+dfsg1", false, BuilderPreference.Auto, null, BuilderKind.BuildKitBuiltIn)]
    [InlineData("28.2.2", false, BuilderPreference.Auto, null, BuilderKind.Legacy)]
    [InlineData("28.2.2", true, BuilderPreference.Auto, null, BuilderKind.Buildx)]
    [InlineData("20.10.24", true, BuilderPreference.Legacy, null, BuilderKind.Legacy)]
    [InlineData("20.10.24", false, BuilderPreference.Auto, "0", BuilderKind.Legacy)]
    [InlineData("18.06.0", false, BuilderPreference.Auto, null, BuilderKind.Legacy)]
    public void Builder_choice(string version, bool buildx, BuilderPreference preference, string? dockerBuildKit, BuilderKind expected)
        => Assert.Equal(expected, EngineProbe.ChooseBuilder(version, false, buildx, preference, dockerBuildKit));

    [Fact]
    public async Task Finds_a_BuildKit_capable_alternative_on_PATH()
    {
        var other = new TempDirectory();
        try
        {
            string current = _bin.Executable("docker");
            string alternative = other.Executable("docker");
            var env = new EnvironmentSnapshot([new("PATH", _bin.Path + ":" + other.Path)]);
            var runner = new ScriptedProcessRunner()
                .On("docker", ["version"], 0, "20.10.24+dfsg1")
                .On("docker", ["buildx"], 1);
            string? found = await new EngineProbe(runner, env).FindBuildKitCapableAlternativeAsync(current);
            Assert.StartsWith(alternative + " (docker 20.10.24+dfsg1, built-in BuildKit)", found);
        }
        finally
        {
            other.Dispose();
        }
    }
}
