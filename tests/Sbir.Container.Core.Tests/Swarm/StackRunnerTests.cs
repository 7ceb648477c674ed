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

    private static string Nodes(params (string Id, string Host, bool Data)[] nodes)
        => "[" + string.Join(",", nodes.Select(n => "{\"ID\":\"" + n.Id + "\",\"Description\":{\"Hostname\":\"" + n.Host + "\"},\"Spec\":{\"Labels\":" + (n.Data ? "{\"st.data\":\"true\"}" : "{}") + "}}")) + "]";

    [Theory]
    [InlineData(3, 0, "SBC7012")]
    [InlineData(3, 2, "SBC7013")]
    public async Task Services_with_volumes_need_exactly_one_data_node_among_several(int count, int labelled, string code)
    {
        using var dir = new TempDirectory();
        string file = dir.Write("c.yml", "services:\n  db:\n    image: db@sha256:" + new string('a', 64) + "\n    volumes: [data:/data]\nvolumes:\n  data: {}\n");
        var nodes = Enumerable.Range(1, count).Select(i => ("n" + i, "host" + i, i <= labelled)).ToArray();
        var runner = new ScriptedProcessRunner()
            .On("docker", ["node", "ls"], 0, string.Join("\n", nodes.Select(n => n.Item1)))
            .On("docker", ["node", "inspect"], 0, Nodes(nodes));
        var request = new StackRequest
        {
            StackName = "st",
            ProjectDirectory = dir.Path,
            DataLabel = "st.data",
            Plan = new StackPlanInput { ProjectDirectory = dir.Path, StackName = "st", Files = [file], Lookup = _ => null, DataLabel = "st.data" },
        };
        var result = await new StackRunner(new DockerCli("docker", runner), new Lines()).DeployAsync(request, new SwarmInfo("active", true, "n1", count), CancellationToken.None);
        var error = Assert.Single(result.Diagnostics, d => d.Severity == Sbir.Container.Diagnostics.DiagnosticSeverity.Error);
        Assert.Equal(code, error.Code);
        Assert.Contains("st.data", error.Message);
        Assert.DoesNotContain(runner.Calls, c => c.Arguments.Contains("deploy") || c.Arguments.Contains("create"));
    }

    [Fact]
    public async Task The_only_node_of_a_swarm_is_labelled_as_the_data_node_by_StackDeploy_itself()
    {
        using var dir = new TempDirectory();
        string file = dir.Write("c.yml", "services:\n  db:\n    image: db:1\n    volumes: [data:/data]\nvolumes:\n  data: {}\n");
        var progress = new Lines();
        var runner = new ScriptedProcessRunner()
            .On("docker", ["node", "ls"], 0, "n1")
            .On("docker", ["node", "inspect"], 0, Nodes(("n1", "vm", false)))
            .On("docker", ["node", "update"], 0, "n1")
            .On("docker", ["secret", "ls"], 0, "")
            .On("docker", ["service", "ls"], 0, "")
            .On("docker", ["stack", "deploy"], 1, "", "stop here");
        var request = new StackRequest
        {
            StackName = "st",
            ProjectDirectory = dir.Path,
            DataLabel = "st.data",
            StackFile = Path.Combine(dir.Path, "obj", "st.stack.yml"),
            Plan = new StackPlanInput { ProjectDirectory = dir.Path, StackName = "st", Files = [file], Lookup = _ => null, DataLabel = "st.data" },
        };
        var result = await new StackRunner(new DockerCli("docker", runner), progress).DeployAsync(request, new SwarmInfo("active", true, "n1", 1), CancellationToken.None);
        Assert.Equal(["node", "update", "--label-add", "st.data=true", "n1"], runner.Calls.Single(c => c.Arguments[0] == "node" && c.Arguments[1] == "update").Arguments);
        Assert.Contains(progress.All, l => l.Contains("labelled st.data=true", StringComparison.Ordinal));
        Assert.Equal("SBC7014", Assert.Single(result.Diagnostics, d => d.Severity == Sbir.Container.Diagnostics.DiagnosticSeverity.Error).Code);
        Assert.True(File.Exists(request.StackFile));
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
