namespace Sbir.Container.Swarm;

/// <summary>Where a service stands while the SDK waits for the stack.</summary>
public enum ServiceProgress
{
    /// <summary>Every task runs the current spec and is healthy; no update is in progress.</summary>
    Converged,

    /// <summary>Still on its way: tasks starting, an update or rollback in progress.</summary>
    Waiting,

    /// <summary>The update failed its health gate and swarm rolled the service back (a deploy's failure).</summary>
    RolledBack,

    /// <summary>Swarm paused the update or the rollback.</summary>
    Paused,

    /// <summary>A service without an update to roll back keeps failing to start its tasks.</summary>
    Failing,
}

/// <summary>The verdict on one service.</summary>
/// <param name="Service">The service.</param>
/// <param name="Progress">Where it stands.</param>
/// <param name="Describe">A short state for progress lines ("1/1 running, healthy", "0/1 running, updating").</param>
/// <param name="Culprit">For a failure or a late service: the task that says most about it (the newest failed one, else the newest).</param>
/// <param name="Failures">How many tasks of this run failed.</param>
/// <param name="Moving">True while swarm updates or rolls back the service: it will settle by itself.</param>
public sealed record ServiceVerdict(ServiceState Service, ServiceProgress Progress, string Describe, TaskState? Culprit, int Failures, bool Moving = false);

/// <summary>What the stack looked like before the deploy or rollback: what is new is what counts.</summary>
/// <param name="UpdateStartedAt">Each service's last update start, by service ID.</param>
/// <param name="TaskIds">The tasks that existed.</param>
public sealed record StackBaseline(IReadOnlyDictionary<string, string?> UpdateStartedAt, IReadOnlySet<string> TaskIds)
{
    /// <summary>An empty stack: everything is new.</summary>
    public static StackBaseline Empty { get; } = new(new Dictionary<string, string?>(), new HashSet<string>());

    /// <summary>The baseline of <paramref name="services"/> and <paramref name="tasks"/>.</summary>
    public static StackBaseline Of(IEnumerable<ServiceState> services, IEnumerable<TaskState> tasks)
        => new(services.ToDictionary(s => s.Id, s => s.UpdateStartedAt, StringComparer.Ordinal), tasks.Select(t => t.Id).ToHashSet(StringComparer.Ordinal));
}

/// <summary>
/// Decides, from one look at the engine, whether a service has converged: every replica running the
/// current spec and healthy, and no update or rollback in progress. Swarm reports a task running only
/// once its health check passed, and an update waits for that and then for the monitor period; a
/// failed update ends in rollback_completed (failure_action: rollback), which is a failure of the
/// deploy, while for StackRollback it is the goal.
/// </summary>
public static class StackConvergence
{
    /// <summary>Failed tasks of a new service before the SDK gives up on it (swarm would go on restarting it).</summary>
    public const int FailuresBeforeGivingUp = 3;

    /// <summary>Judges <paramref name="service"/>.</summary>
    public static ServiceVerdict Evaluate(ServiceState service, IReadOnlyList<TaskState> tasks, IReadOnlyDictionary<string, ContainerHealth> health, StackBaseline baseline, bool rollback)
    {
        var mine = tasks.Where(t => t.ServiceId == service.Id).ToList();
        var fresh = mine.Where(t => !baseline.TaskIds.Contains(t.Id)).ToList();
        bool newUpdate = service.UpdateStartedAt is not null
            && (!baseline.UpdateStartedAt.TryGetValue(service.Id, out var before) || before != service.UpdateStartedAt);
        string? update = newUpdate ? service.UpdateState : null;

        var running = mine.Where(t => t.DesiredState == "running" && t.State == "running" && t.Fingerprint == service.Fingerprint).ToList();
        var healthy = running.Where(t => t.ContainerId is null || !health.TryGetValue(t.ContainerId, out var h) || h.Status is null or "healthy").ToList();
        var failed = fresh.Where(t => t.HasFailed).OrderBy(t => t.Timestamp).ToList();
        int desired = service.Replicas ?? Math.Max(1, running.Count);
        var newest = fresh.OrderBy(t => t.Timestamp).LastOrDefault() ?? mine.OrderBy(t => t.Timestamp).LastOrDefault();
        string describe = Describe(running.Count, desired, healthy.Count, update, newest, health);

        // The tasks of the spec this run tried and swarm left (a rollback restores the old spec and clears
        // the previous one): a failed one says most; swarm may also have stopped one it judged unhealthy.
        var attempted = fresh.Where(t => t.Fingerprint != service.Fingerprint).OrderBy(t => t.Timestamp).ToList();
        var attempt = attempted.LastOrDefault(t => t.HasFailed) ?? attempted.LastOrDefault();

        if (update is "paused" or "rollback_paused")
        {
            return new ServiceVerdict(service, ServiceProgress.Paused, describe, failed.LastOrDefault() ?? attempt ?? newest, failed.Count);
        }

        if (update == "rollback_completed" && !rollback)
        {
            return new ServiceVerdict(service, ServiceProgress.RolledBack, describe, attempt ?? failed.LastOrDefault() ?? newest, failed.Count);
        }

        if (update is "updating" or "rollback_started")
        {
            return new ServiceVerdict(service, ServiceProgress.Waiting, describe, newest, failed.Count, Moving: true);
        }

        // No update to roll back (a new service, or one whose spec did not change): swarm restarts
        // failing tasks for ever, so the SDK stops after a few of the current spec.
        var failedCurrent = failed.Where(t => t.Fingerprint == service.Fingerprint).ToList();
        if (update is null && failedCurrent.Count >= FailuresBeforeGivingUp)
        {
            return new ServiceVerdict(service, ServiceProgress.Failing, describe, failedCurrent[^1], failedCurrent.Count);
        }

        bool stale = mine.Any(t => t.DesiredState == "running" && t.Fingerprint != service.Fingerprint);
        return running.Count >= desired && healthy.Count == running.Count && !stale
            ? new ServiceVerdict(service, ServiceProgress.Converged, describe, null, failed.Count)
            : new ServiceVerdict(service, ServiceProgress.Waiting, describe, failed.LastOrDefault() ?? newest, failed.Count);
    }

    private static string Describe(int running, int desired, int healthy, string? update, TaskState? newest, IReadOnlyDictionary<string, ContainerHealth> health)
    {
        var parts = new List<string> { $"{running}/{desired} running" };
        if (running > 0 && running == healthy && newest?.ContainerId is { } id && health.TryGetValue(id, out var h) && h.Status == "healthy")
        {
            parts[0] += ", healthy";
        }

        if (update is "updating")
        {
            parts.Add("updating");
        }
        else if (update is "rollback_started")
        {
            parts.Add("rolling back");
        }
        else if (update is not null and not "completed")
        {
            parts.Add(update.Replace('_', ' '));
        }

        if (newest is not null && newest.State != "running" && newest.DesiredState == "running")
        {
            string state = newest.ContainerId is { } c && health.TryGetValue(c, out var th) && th.Status is { } s ? $"{newest.State} ({s})" : newest.State;
            parts.Add("new task " + state);
        }

        return string.Join(", ", parts);
    }
}
