using Sbir.Container.Swarm;

namespace Sbir.Container.Core.Tests.Swarm;

/// <summary>Swarm's JSON as the 28.x CLI printed it against the 20.10 engine (fixtures recorded from a single-node swarm), and the convergence verdicts on it.</summary>
public sealed class SwarmStateTests
{
    private static readonly string Fixtures = Path.Combine(RepoPaths.Root, "tests", "Sbir.Container.Core.Tests", "Swarm", "Fixtures");

    private static IReadOnlyList<ServiceState> Services() => ServiceState.ParseInspect(File.ReadAllText(Path.Combine(Fixtures, "service-inspect.json")), "i15m");

    private static IReadOnlyList<TaskState> Tasks() => TaskState.ParseInspect(File.ReadAllText(Path.Combine(Fixtures, "task-inspect.json")));

    [Fact]
    public void Services_and_tasks_parse_with_their_stack_name_removed()
    {
        var services = Services();
        var neo4j = services.Single(s => s.Service == "neo4j");
        Assert.Equal("i15m_neo4j", neo4j.Name);
        Assert.Equal(1, neo4j.Replicas);
        Assert.Null(neo4j.UpdateState);
        Assert.Null(neo4j.PreviousImage);

        var tasks = Tasks();
        var running = tasks.Single(t => t.ServiceId == neo4j.Id);
        Assert.Equal("running", running.State);
        Assert.Equal("running", running.DesiredState);
        Assert.NotNull(running.ContainerId);
        Assert.Equal(neo4j.Fingerprint, running.Fingerprint);
    }

    [Fact]
    public void A_running_task_of_the_current_spec_is_converged_and_failing_tasks_of_a_new_service_are_reported()
    {
        var services = Services();
        var tasks = Tasks();
        var health = new Dictionary<string, ContainerHealth>();
        var neo4j = StackConvergence.Evaluate(services.Single(s => s.Service == "neo4j"), tasks, health, StackBaseline.Empty, rollback: false);
        Assert.Equal(ServiceProgress.Converged, neo4j.Progress);
        Assert.StartsWith("1/1 running", neo4j.Describe);

        var web = StackConvergence.Evaluate(services.Single(s => s.Service == "dagster-webserver"), tasks, health, StackBaseline.Empty, rollback: false);
        Assert.Equal(ServiceProgress.Waiting, web.Progress);
        Assert.Equal(2, web.Failures);
        Assert.Contains("unhealthy container", web.Culprit!.Error);
    }
}
