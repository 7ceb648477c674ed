using Sbir.Container.Swarm;

namespace Sbir.Container.Core.Tests.Swarm;

/// <summary>The convergence verdicts, on the states swarm goes through during updates and rollbacks.</summary>
public sealed class StackConvergenceTests
{
    private static readonly DateTimeOffset T0 = new(2026, 12, 4, 12, 0, 0, TimeSpan.Zero);

    private static ServiceState Service(string? update = null, string? started = null, string fingerprint = "new", string? previous = "img:old")
        => new("svc", "st_web", "web", "img:new", 1, update, update is null ? null : "update message", started, previous, fingerprint);

    private static TaskState Task(string id, string state, string desired = "running", string fingerprint = "new", int minute = 0, string? error = null)
        => new(id, "svc", 1, "node", state, desired, error, "c-" + id, T0.AddMinutes(minute), fingerprint == "new" ? "img:new" : "img:old", fingerprint);

    private static readonly Dictionary<string, ContainerHealth> Healthy = new() { ["c-t2"] = new("healthy", "ok") };

    private static StackBaseline Before(string? started = "u0") => new(new Dictionary<string, string?> { ["svc"] = started }, new HashSet<string> { "t1" });

    [Fact]
    public void During_a_start_first_update_the_old_task_still_runs_and_the_service_waits()
    {
        var tasks = new[] { Task("t1", "running", fingerprint: "old"), Task("t2", "running", minute: 1) };
        var v = StackConvergence.Evaluate(Service("updating", "u1"), tasks, Healthy, Before(), rollback: false);
        Assert.Equal(ServiceProgress.Waiting, v.Progress);
        Assert.True(v.Moving);
        Assert.Contains("updating", v.Describe);
    }

    [Fact]
    public void A_completed_update_with_the_new_task_healthy_has_converged()
    {
        var tasks = new[] { Task("t1", "shutdown", "shutdown", "old"), Task("t2", "running", minute: 1) };
        var v = StackConvergence.Evaluate(Service("completed", "u1"), tasks, Healthy, Before(), rollback: false);
        Assert.Equal(ServiceProgress.Converged, v.Progress);
        Assert.Equal("1/1 running, healthy", v.Describe);
    }

    [Fact]
    public void A_rollback_by_swarm_is_a_failed_deploy_naming_the_failed_task_but_the_goal_of_StackRollback()
    {
        var tasks = new[]
        {
            Task("t1", "running", fingerprint: "new"),
            Task("t2", "failed", "shutdown", "bad", minute: 1, error: "task: non-zero exit (137): dockerexec: unhealthy container"),
        };
        var deploy = StackConvergence.Evaluate(Service("rollback_completed", "u1"), tasks, Healthy, Before(), rollback: false);
        Assert.Equal(ServiceProgress.RolledBack, deploy.Progress);
        Assert.Equal("t2", deploy.Culprit!.Id);
        Assert.Contains("unhealthy container", deploy.Culprit.Error);

        var rollback = StackConvergence.Evaluate(Service("rollback_completed", "u1"), tasks, new Dictionary<string, ContainerHealth>(), Before(), rollback: true);
        Assert.Equal(ServiceProgress.Converged, rollback.Progress);
    }

    [Fact]
    public void A_task_swarm_stopped_as_unhealthy_names_the_image_that_failed_even_without_an_error()
    {
        // Swarm stopped the new task when it turned unhealthy (state complete), started the old spec again, and cleared the previous spec.
        var tasks = new[]
        {
            Task("t1", "shutdown", "shutdown", minute: 0),
            Task("t2", "complete", "shutdown", "bad", minute: 1),
            Task("t3", "running", minute: 2),
        };
        var v = StackConvergence.Evaluate(Service("rollback_completed", "u1", previous: null), tasks, new Dictionary<string, ContainerHealth> { ["c-t3"] = new("healthy", "ok") }, Before(), rollback: false);
        Assert.Equal(ServiceProgress.RolledBack, v.Progress);
        Assert.Equal("t2", v.Culprit!.Id);
        Assert.Equal("img:old", v.Culprit.Image);
    }

    [Fact]
    public void An_old_update_state_is_not_this_deploys_and_a_pause_is_a_failure()
    {
        var tasks = new[] { Task("t1", "running") };
        var old = StackConvergence.Evaluate(Service("rollback_completed", "u0"), tasks, new Dictionary<string, ContainerHealth>(), Before("u0"), rollback: false);
        Assert.Equal(ServiceProgress.Converged, old.Progress);

        var paused = StackConvergence.Evaluate(Service("paused", "u1"), tasks, new Dictionary<string, ContainerHealth>(), Before("u0"), rollback: false);
        Assert.Equal(ServiceProgress.Paused, paused.Progress);
    }

    [Fact]
    public void A_new_service_whose_tasks_keep_failing_is_given_up_after_three()
    {
        var tasks = Enumerable.Range(2, 3).Select(i => Task("t" + i, "failed", "shutdown", minute: i, error: "task: non-zero exit (3)")).Append(Task("t9", "starting", minute: 9)).ToList();
        var v = StackConvergence.Evaluate(Service(previous: null), tasks, new Dictionary<string, ContainerHealth>(), StackBaseline.Empty, rollback: false);
        Assert.Equal(ServiceProgress.Failing, v.Progress);
        Assert.Equal(3, v.Failures);
        Assert.Equal("t4", v.Culprit!.Id);

        var two = StackConvergence.Evaluate(Service(previous: null), tasks.Skip(1).ToList(), new Dictionary<string, ContainerHealth>(), StackBaseline.Empty, rollback: false);
        Assert.Equal(ServiceProgress.Waiting, two.Progress);
    }

    [Fact]
    public void A_running_but_unhealthy_task_is_not_converged()
    {
        var tasks = new[] { Task("t2", "running") };
        var v = StackConvergence.Evaluate(Service(), tasks, new Dictionary<string, ContainerHealth> { ["c-t2"] = new("unhealthy", "no") }, StackBaseline.Empty, rollback: false);
        Assert.Equal(ServiceProgress.Waiting, v.Progress);
    }
}
