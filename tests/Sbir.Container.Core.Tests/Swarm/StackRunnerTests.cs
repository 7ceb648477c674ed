using Sbir.Container.Build;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;
using Sbir.Container.Swarm;

namespace Sbir.Container.Core.Tests.Swarm;

/// <summary>What the runner sends to docker, and how it reads the engine's swarm state.</summary>
public sealed class StackRunnerTests
{
    private sealed class Lines : IBuildProgress
    {
        public List<string> All { get; } = [];

        public void Status(string message) => All.Add(message);

        public void Output(string line) => All.Add(line);
    }

    [Fact]
    public void Deploy_arguments_depend_on_the_node_count_and_the_cli()
    {
        var request = new StackRequest { StackName = "st", ProjectDirectory = "/p", StackFile = "/p/obj/st.stack.yml", ClientMajorVersion = 28 };
        Assert.Equal(["stack", "deploy", "--compose-file", "/p/obj/st.stack.yml", "--prune", "--resolve-image", "never", "--detach=true", "st"], StackRunner.DeployArguments(request, 1));
        Assert.Equal(["stack", "deploy", "--compose-file", "/p/obj/st.stack.yml", "--prune", "--resolve-image", "always", "--with-registry-auth", "st"], StackRunner.DeployArguments(request with { ClientMajorVersion = 20 }, 3));
    }

    [Theory]
    [InlineData("""{"LocalNodeState":"inactive","ControlAvailable":false,"NodeID":"","Nodes":0}""", "SBC7010")]
    [InlineData("""{"LocalNodeState":"active","ControlAvailable":false,"NodeID":"w1","Nodes":3}""", "SBC7011")]
    [InlineData("""{"LocalNodeState":"active","ControlAvailable":true,"NodeID":"m1","Nodes":3}""", null)]
    public async Task The_engine_must_be_a_swarm_manager(string swarm, string? code)
    {
        var runner = new ScriptedProcessRunner().On("docker", ["info"], 0, swarm);
        var (info, error) = await new StackRunner(new DockerCli("docker", runner), new Lines()).SwarmAsync("20.10.24 at unix:///var/run/docker.sock", CancellationToken.None);
        Assert.Equal(code, error?.Code);
        if (code is null)
        {
            Assert.Equal(3, info!.Nodes);
        }
    }

    [Fact]
    public async Task StackRollback_leaves_services_that_swarm_rolled_back_alone()
    {
        string services = """[{"ID":"s1","Spec":{"Name":"st_web","TaskTemplate":{"ContainerSpec":{"Image":"img:good"}},"Mode":{"Replicated":{"Replicas":1}}},"PreviousSpec":{"Name":"st_web","TaskTemplate":{"ContainerSpec":{"Image":"img:bad"}}},"UpdateStatus":{"State":"rollback_completed","StartedAt":"t","Message":"rolled back"}}]""";
        var runner = new ScriptedProcessRunner()
            .On("docker", ["service", "ls"], 0, "s1")
            .On("docker", ["service", "inspect"], 0, services)
            .On("docker", ["service", "ps"], 0, "");
        var result = await new StackRunner(new DockerCli("docker", runner), new Lines()).RollbackAsync(
            new StackRequest { StackName = "st", ProjectDirectory = "/p" }, new SwarmInfo("active", true, "n", 1), CancellationToken.None);
        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC7026", error.Code);
        Assert.Contains("web already rolled back by swarm", error.Message);
        Assert.DoesNotContain(runner.Calls, c => c.Arguments.Contains("rollback"));
    }
}
