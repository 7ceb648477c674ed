using System.Diagnostics;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Text;

namespace Sbir.Container.Swarm;

/// <summary>A stack to deploy, inspect, roll back or remove.</summary>
public sealed record StackRequest
{
    /// <summary>The stack's name (SbirStackName); its services are STACK_SERVICE.</summary>
    public required string StackName { get; init; }

    /// <summary>The project directory, the working directory of docker.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The node label that places the services with volumes (SbirStackDataLabel).</summary>
    public string DataLabel { get; init; } = string.Empty;

    /// <summary>How long to wait for the stack to converge (SbirStackWaitTimeout).</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(10);

    /// <summary>How often the engine is asked.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromSeconds(1);

    /// <summary>For StackDeploy: what to render (the runner fills in the node count).</summary>
    public StackPlanInput? Plan { get; init; }

    /// <summary>For StackDeploy: where the rendered stack file is written.</summary>
    public string StackFile { get; init; } = string.Empty;

    /// <summary>The docker CLI's major version: 26 and newer take --detach on stack deploy.</summary>
    public int ClientMajorVersion { get; init; }

    /// <summary>For StackRemove: remove the stack's volumes on this node too (SbirStackRemoveVolumes).</summary>
    public bool RemoveVolumes { get; init; }

    /// <summary>For StackRemove: remove the stack's swarm secrets too (SbirStackRemoveSecrets).</summary>
    public bool RemoveSecrets { get; init; }

    /// <summary>
    /// For StackDeploy: the user changed Neo4j's password inside the database to the new value of .env
    /// (SbirStackNeo4jPasswordChanged), so a new NEO4J_AUTH secret may be rolled out to a stack that has data.
    /// </summary>
    public bool Neo4jPasswordChanged { get; init; }
}

/// <summary>What a deploy, rollback or status found.</summary>
/// <param name="Diagnostics">Errors, warnings and notes.</param>
/// <param name="Services">The services as they stood at the end.</param>
/// <param name="Tasks">Their tasks (current and recent).</param>
/// <param name="Health">The health of the tasks' containers on this node, by container ID.</param>
/// <param name="Elapsed">How long it took.</param>
/// <param name="Plan">For StackDeploy: the plan that was deployed.</param>
public sealed record StackResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<ServiceState> Services, IReadOnlyList<TaskState> Tasks, IReadOnlyDictionary<string, ContainerHealth> Health, TimeSpan Elapsed, StackPlan? Plan = null)
{
    /// <summary>True when nothing failed.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Runs stacks on a swarm through the docker CLI: deploys the rendered profile with its secrets and
/// waits, with progress lines, until every service has converged, naming the service, its task's error
/// and its health output when one does not; shows the services and tasks; rolls back to the previous
/// spec; removes a stack and, when asked, its volumes and secrets.
/// </summary>
public sealed class StackRunner
{
    private static readonly TimeSpan CommandTimeout = TimeSpan.FromMinutes(2);
    private readonly DockerCli _docker;
    private readonly IBuildProgress _progress;

    /// <summary>Creates a runner.</summary>
    public StackRunner(DockerCli docker, IBuildProgress progress)
    {
        _docker = docker;
        _progress = progress;
    }

    /// <summary>The engine's swarm, or SBC7010/SBC7011 when it cannot run stacks.</summary>
    public async Task<(SwarmInfo? Swarm, Diagnostic? Error)> SwarmAsync(string engine, CancellationToken cancellationToken)
    {
        var info = await Docker(["info", "--format", "{{json .Swarm}}"], cancellationToken).ConfigureAwait(false);
        if (!info.Succeeded)
        {
            return (null, DiagnosticCatalog.DockerCommandFailed.Create("docker info", info.ExitCode, info.Tail(3)));
        }

        var swarm = SwarmInfo.Parse(info.Stdout);
        if (swarm.State != "active")
        {
            return (swarm, DiagnosticCatalog.SwarmNotActive.Create(engine, swarm.State));
        }

        return swarm.IsManager ? (swarm, null) : (swarm, DiagnosticCatalog.SwarmNotManager.Create(engine));
    }

    /// <summary>The argv of 'docker stack deploy' for <paramref name="request"/> on a swarm of <paramref name="nodes"/> nodes.</summary>
    public static IReadOnlyList<string> DeployArguments(StackRequest request, int nodes)
    {
        // One node has the images locally and needs no registry; several resolve tags (those not
        // already pinned by digest) to digests at deploy time and send credentials for the pulls.
        var args = new List<string> { "stack", "deploy", "--compose-file", request.StackFile, "--prune", "--resolve-image", nodes > 1 ? "always" : "never" };
        if (nodes > 1)
        {
            args.Add("--with-registry-auth");
        }

        if (request.ClientMajorVersion >= 26)
        {
            // Newer CLIs can wait themselves and warn unless told; the SDK waits, with its own diagnostics.
            args.Add("--detach=true");
        }

        args.Add(request.StackName);
        return args;
    }

    /// <summary>StackDeploy: plan, secrets, stack file, docker stack deploy, then wait until converged.</summary>
    public async Task<StackResult> DeployAsync(StackRequest request, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var diagnostics = new List<Diagnostic>();
        var plan = StackPlanner.Plan(request.Plan! with { NodeCount = swarm.Nodes });
        diagnostics.AddRange(plan.Diagnostics);
        if (!plan.Succeeded)
        {
            return Result(diagnostics, clock, plan);
        }

        if (plan.NodeBoundServices.Count > 0 && await EnsureDataNodeAsync(request.DataLabel, plan.NodeBoundServices, swarm, cancellationToken).ConfigureAwait(false) is { } placement)
        {
            diagnostics.Add(placement);
            return Result(diagnostics, clock, plan);
        }

        // The stack's secrets, listed once for the rotation check and for creating what is new.
        var secrets = new SwarmSecrets(_docker);
        var (existing, listError) = await secrets.ListAsync(request.StackName, cancellationToken).ConfigureAwait(false);
        if (listError is not null)
        {
            diagnostics.Add(listError);
            return Result(diagnostics, clock, plan);
        }

        if (!request.Neo4jPasswordChanged && await Neo4jPasswordRotationAsync(existing, request.StackName, plan, cancellationToken).ConfigureAwait(false) is { } rotation)
        {
            diagnostics.Add(rotation);
            return Result(diagnostics, clock, plan);
        }

        var (names, created, secretError) = await secrets.EnsureAsync(request.StackName, plan.Secrets, existing, cancellationToken).ConfigureAwait(false);
        foreach (string name in created)
        {
            _progress.Milestone($"  secret {name} created (a new value; the services that read it are updated)");
        }

        if (secretError is not null)
        {
            diagnostics.Add(secretError);
            return Result(diagnostics, clock, plan);
        }

        Directory.CreateDirectory(Path.GetDirectoryName(request.StackFile)!);
        File.WriteAllText(request.StackFile, plan.Render(names));
        foreach (var service in plan.Services)
        {
            string pin = service.PinnedBy is null ? "tag" : "pinned by " + service.PinnedBy;
            _progress.Status($"  {service.Name}: {service.Image} ({pin}); update {service.UpdateOrder}, monitor {Text.DurationText.Format(service.Monitor)}{(service.NodeBound ? $", on the node labelled {request.DataLabel}" : string.Empty)}");
        }

        var before = await SnapshotAsync(request.StackName, swarm, cancellationToken).ConfigureAwait(false);
        var args = DeployArguments(request, swarm.Nodes);
        _progress.Status(new ProcessSpec { FileName = _docker.Executable, Arguments = args }.Display);
        var deploy = await _docker.RunAsync(args, observer: new ProgressObserver(_progress), timeout: CommandTimeout, workingDirectory: request.ProjectDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (deploy.Outcome == ProcessOutcome.Cancelled)
        {
            diagnostics.Add(DiagnosticCatalog.Cancelled.Create("StackDeploy", "docker stack deploy"));
            return Result(diagnostics, clock, plan);
        }

        if (!deploy.Succeeded)
        {
            diagnostics.Add(DiagnosticCatalog.StackDeployFailed.Create(new ProcessSpec { FileName = _docker.Executable, Arguments = args }.Display, deploy.ExitCode, Indentation.Block(deploy.Tail(15)), request.StackFile));
            return Result(diagnostics, clock, plan);
        }

        var waited = await WaitAsync(request, swarm, StackBaseline.Of(before.Services, before.Tasks), rollback: false, clock, cancellationToken).ConfigureAwait(false);
        diagnostics.AddRange(waited.Diagnostics);
        if (waited.Succeeded)
        {
            foreach (string removed in await secrets.PruneAsync(request.StackName, cancellationToken).ConfigureAwait(false))
            {
                _progress.Status($"  secret {removed} removed (no longer needed for a rollback)");
            }
        }

        return waited with { Diagnostics = diagnostics, Plan = plan, Elapsed = clock.Elapsed };
    }

    /// <summary>StackRollback: every service that has a previous spec (and was not just rolled back by swarm) returns to it.</summary>
    public async Task<StackResult> RollbackAsync(StackRequest request, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var before = await SnapshotAsync(request.StackName, swarm, cancellationToken).ConfigureAwait(false);
        if (before.Services.Count == 0)
        {
            return Result([DiagnosticCatalog.StackNotFound.Create(request.StackName)], clock);
        }

        // After an automatic rollback the previous spec is the one that failed: leave such a service alone.
        var candidates = before.Services.Where(s => s.PreviousImage is not null && s.UpdateState != "rollback_completed").ToList();
        if (candidates.Count == 0)
        {
            var skipped = before.Services.Where(s => s.UpdateState == "rollback_completed").Select(s => s.Service).ToList();
            return Result([DiagnosticCatalog.StackNothingToRollBack.Create(request.StackName, skipped.Count == 0 ? string.Empty : $" ({string.Join(", ", skipped)} already rolled back by swarm)")], clock);
        }

        foreach (var service in candidates)
        {
            _progress.Milestone($"  {service.Service,-22} rolling back to {service.PreviousImage}");
            var result = await Docker(["service", "rollback", "--detach", service.Name], cancellationToken).ConfigureAwait(false);
            if (!result.Succeeded)
            {
                return Result([DiagnosticCatalog.DockerCommandFailed.Create("docker service rollback " + service.Name, result.ExitCode, result.Tail(5))], clock);
            }
        }

        return await WaitAsync(request, swarm, StackBaseline.Of(before.Services, before.Tasks), rollback: true, clock, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>StackStatus: the services, their tasks and health, now.</summary>
    public async Task<StackResult> StatusAsync(StackRequest request, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var now = await SnapshotAsync(request.StackName, swarm, cancellationToken).ConfigureAwait(false);
        return now with { Elapsed = clock.Elapsed };
    }

    /// <summary>
    /// StackRemove: 'docker stack rm', then waits until the stack's containers are gone and removes
    /// networks that docker could not remove while they stopped; volumes (on this node) and secrets only
    /// when asked. Returns what it removed.
    /// </summary>
    public async Task<(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> Removed)> RemoveAsync(StackRequest request, CancellationToken cancellationToken)
    {
        var clock = Stopwatch.StartNew();
        var removed = new List<string>();
        string filter = "label=com.docker.stack.namespace=" + request.StackName;
        var services = await Lines(["service", "ls", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
        if (services.Count > 0)
        {
            var rm = await Docker(["stack", "rm", request.StackName], cancellationToken).ConfigureAwait(false);
            if (!rm.Succeeded && (await Lines(["service", "ls", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false)).Count > 0)
            {
                return ([DiagnosticCatalog.DockerCommandFailed.Create("docker stack rm " + request.StackName, rm.ExitCode, rm.Tail(5))], removed);
            }

            removed.Add($"{services.Count} services");
        }

        // Tasks stop in the background; their networks go once nothing is attached.
        IReadOnlyList<string> containers, networks;
        while (true)
        {
            containers = await Lines(["ps", "--all", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
            networks = await Lines(["network", "ls", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
            bool running = (await Lines(["ps", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false)).Count > 0;
            if (!running && containers.Count > 0)
            {
                // Stopped task containers are swarm's history; with the service gone nothing reaps them.
                await Docker(["rm", "--force", "--volumes", .. containers], cancellationToken).ConfigureAwait(false);
                continue;
            }

            if (!running && networks.Count > 0)
            {
                await Docker(["network", "rm", .. networks], cancellationToken).ConfigureAwait(false);
                networks = await Lines(["network", "ls", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
            }

            if ((!running && networks.Count == 0) || clock.Elapsed > request.WaitTimeout)
            {
                break;
            }

            await Task.Delay(request.PollInterval, cancellationToken).ConfigureAwait(false);
        }

        var diagnostics = new List<Diagnostic>();
        var left = new List<string>();
        if (containers.Count > 0)
        {
            left.Add($"{containers.Count} containers");
        }

        if (networks.Count > 0)
        {
            left.Add($"{networks.Count} networks");
        }

        if (request.RemoveSecrets)
        {
            var (gone, kept) = await new SwarmSecrets(_docker).RemoveAllAsync(request.StackName, cancellationToken).ConfigureAwait(false);
            removed.AddRange(gone.Select(s => "secret " + s));
            if (kept.Count > 0)
            {
                left.Add("the secrets " + string.Join(", ", kept));
            }
        }

        if (request.RemoveVolumes && left.Count == 0)
        {
            var volumes = await Lines(["volume", "ls", "--quiet", "--filter", filter], cancellationToken).ConfigureAwait(false);
            if (volumes.Count > 0)
            {
                var rm = await Docker(["volume", "rm", "--force", .. volumes], cancellationToken).ConfigureAwait(false);
                if (rm.Succeeded)
                {
                    removed.AddRange(volumes.Select(v => "volume " + v));
                }
                else
                {
                    left.Add("the volumes " + string.Join(", ", volumes));
                }
            }

            // The label said where the data lives; with the data gone, so is the reason for it.
            var (nodes, _) = await NodesAsync(cancellationToken).ConfigureAwait(false);
            foreach (var node in nodes.Where(n => n.Labels.ContainsKey(request.DataLabel)))
            {
                await Docker(["node", "update", "--label-rm", request.DataLabel, node.Id], cancellationToken).ConfigureAwait(false);
            }
        }

        if (left.Count > 0)
        {
            diagnostics.Add(DiagnosticCatalog.StackRemoveIncomplete.Create((int)clock.Elapsed.TotalSeconds, request.StackName, string.Join(", ", left)));
        }

        return (diagnostics, removed);
    }

    /// <summary>
    /// The node that keeps the stack's volumes: exactly one node must carry the data label. On a swarm
    /// of one node the SDK labels that node itself (and says so); on more it asks the user (SBC7012, SBC7013).
    /// </summary>
    private async Task<Diagnostic?> EnsureDataNodeAsync(string label, IReadOnlyList<string> services, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var (nodes, error) = await NodesAsync(cancellationToken).ConfigureAwait(false);
        if (error is not null)
        {
            return error;
        }

        var labelled = nodes.Where(n => n.Labels.TryGetValue(label, out var v) && v == "true").ToList();
        if (labelled.Count == 1)
        {
            return null;
        }

        if (labelled.Count > 1)
        {
            return DiagnosticCatalog.SwarmDataNodeAmbiguous.Create(label, labelled.Count, string.Join(", ", labelled.Select(n => n.Hostname)));
        }

        if (nodes.Count != 1)
        {
            return DiagnosticCatalog.SwarmDataNodeMissing.Create(label, string.Join(", ", services));
        }

        var update = await Docker(["node", "update", "--label-add", label + "=true", swarm.NodeId], cancellationToken).ConfigureAwait(false);
        if (!update.Succeeded)
        {
            return DiagnosticCatalog.DockerCommandFailed.Create("docker node update --label-add " + label + "=true", update.ExitCode, update.Tail(3));
        }

        _progress.Milestone($"  node {nodes[0].Hostname} labelled {label}=true: the swarm's only node keeps the volumes of {string.Join(", ", services)}");
        return null;
    }

    /// <summary>The swarm's nodes with their labels.</summary>
    private async Task<(IReadOnlyList<SwarmNode> Nodes, Diagnostic? Error)> NodesAsync(CancellationToken cancellationToken)
    {
        var ids = await Lines(["node", "ls", "--quiet"], cancellationToken).ConfigureAwait(false);
        var inspect = await Docker(["node", "inspect", .. ids], cancellationToken).ConfigureAwait(false);
        return inspect.Succeeded
            ? (SwarmNode.ParseInspect(inspect.Stdout), null)
            : ([], DiagnosticCatalog.DockerCommandFailed.Create("docker node inspect", inspect.ExitCode, inspect.Tail(3)));
    }

    private async Task<StackResult> WaitAsync(StackRequest request, SwarmInfo swarm, StackBaseline baseline, bool rollback, Stopwatch clock, CancellationToken cancellationToken)
    {
        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var now = await SnapshotAsync(request.StackName, swarm, cancellationToken).ConfigureAwait(false);
            var verdicts = now.Services.Select(s => StackConvergence.Evaluate(s, now.Tasks, now.Health, baseline, rollback)).ToList();
            foreach (var v in verdicts)
            {
                if (!seen.TryGetValue(v.Service.Id, out var previous) || previous != v.Describe)
                {
                    seen[v.Service.Id] = v.Describe;
                    _progress.Milestone($"  {v.Service.Service,-22} {v.Describe} ({clock.Elapsed.TotalSeconds:0} s)");
                }
            }

            var failures = verdicts.Where(v => v.Progress is ServiceProgress.RolledBack or ServiceProgress.Paused or ServiceProgress.Failing).ToList();
            // Failures are reported once no update or rollback is still under way, so that every service that
            // fails is named and the services that swarm rolls back are back on their previous version.
            if (failures.Count > 0 && !verdicts.Any(v => v.Moving))
            {
                var diagnostics = new List<Diagnostic>();
                foreach (var failure in failures)
                {
                    diagnostics.Add(await DescribeAsync(failure, swarm, clock.Elapsed, cancellationToken).ConfigureAwait(false));
                }

                return now with { Diagnostics = diagnostics, Elapsed = clock.Elapsed };
            }

            if (now.Services.Count > 0 && verdicts.All(v => v.Progress == ServiceProgress.Converged))
            {
                return now with { Elapsed = clock.Elapsed };
            }

            if (clock.Elapsed > request.WaitTimeout)
            {
                var late = verdicts.Where(v => v.Progress != ServiceProgress.Converged).ToList();
                var diagnostics = new List<Diagnostic>
                {
                    DiagnosticCatalog.StackWaitTimedOut.Create((int)request.WaitTimeout.TotalSeconds, request.StackName,
                        late.Count == 0 ? "the stack has no service yet" : string.Join(", ", late.Select(v => $"{v.Service.Service} ({v.Describe})"))),
                };
                foreach (var v in late.Take(3))
                {
                    var health = await HealthOfAsync(v.Culprit, swarm, cancellationToken).ConfigureAwait(false);
                    diagnostics.Add(DiagnosticCatalog.StackServiceNotConverged.Create(v.Service.Service, v.Describe, (int)clock.Elapsed.TotalSeconds, TaskText(v.Culprit), Indentation.Block(health), v.Service.Name));
                }

                return now with { Diagnostics = diagnostics, Elapsed = clock.Elapsed };
            }

            await Task.Delay(request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    private async Task<Diagnostic> DescribeAsync(ServiceVerdict failure, SwarmInfo swarm, TimeSpan elapsed, CancellationToken cancellationToken)
    {
        var service = failure.Service;
        string health = Indentation.Block(await HealthOfAsync(failure.Culprit, swarm, cancellationToken).ConfigureAwait(false));
        string logs = Indentation.Block(await LogsOfAsync(failure.Culprit, service, swarm, cancellationToken).ConfigureAwait(false));
        int seconds = (int)elapsed.TotalSeconds;
        return failure.Progress switch
        {
            ServiceProgress.RolledBack => DiagnosticCatalog.StackUpdateRolledBack.Create(service.Service, failure.Culprit?.Image ?? "a new spec", seconds, service.Image, service.UpdateMessage ?? "no message", TaskText(failure.Culprit), health, logs, service.Name),
            ServiceProgress.Paused => DiagnosticCatalog.StackUpdatePaused.Create(service.Service, service.UpdateState == "rollback_paused" ? "rollback" : "update", $"{service.UpdateMessage}; the failing task: {TaskText(failure.Culprit)}", service.Name),
            _ => DiagnosticCatalog.StackServiceFailing.Create(service.Service, failure.Failures, seconds, TaskText(failure.Culprit), health, logs, service.Name),
        };
    }

    private static string TaskText(TaskState? task)
        => task is null ? "none yet" : $"{task.State}{(string.IsNullOrWhiteSpace(task.Error) ? string.Empty : ": " + task.Error)} ({task.Image})";

    private async Task<string> HealthOfAsync(TaskState? task, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        if (task?.ContainerId is not { } id || task.NodeId != swarm.NodeId)
        {
            return string.Empty;
        }

        var inspect = await Docker(["inspect", "--type", "container", id], cancellationToken).ConfigureAwait(false);
        return inspect.Succeeded && ContainerHealth.ParseInspect(inspect.Stdout).TryGetValue(id, out var h) ? h.LastOutput.Trim() : string.Empty;
    }

    private async Task<string> LogsOfAsync(TaskState? task, ServiceState service, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var logs = task?.ContainerId is { } id && task.NodeId == swarm.NodeId
            ? await Docker(["logs", "--tail", "15", id], cancellationToken).ConfigureAwait(false)
            : await Docker(["service", "logs", "--tail", "15", "--no-task-ids", service.Name], cancellationToken).ConfigureAwait(false);
        return string.Join('\n', logs.StandardOutput.Concat(logs.StandardError).TakeLast(15));
    }

    /// <summary>The stack's services, their tasks, and the health of the task containers on this node.</summary>
    private async Task<StackResult> SnapshotAsync(string stack, SwarmInfo swarm, CancellationToken cancellationToken)
    {
        var ids = await Lines(["service", "ls", "--quiet", "--filter", "label=com.docker.stack.namespace=" + stack], cancellationToken).ConfigureAwait(false);
        if (ids.Count == 0)
        {
            return new StackResult([], [], [], new Dictionary<string, ContainerHealth>(), TimeSpan.Zero);
        }

        var inspect = await Docker(["service", "inspect", .. ids], cancellationToken).ConfigureAwait(false);
        // A service removed between the two calls: the next look sees the new state.
        var services = inspect.Succeeded ? ServiceState.ParseInspect(inspect.Stdout, stack) : [];
        var taskIds = await Lines(["service", "ps", "--quiet", "--no-trunc", .. ids], cancellationToken).ConfigureAwait(false);
        IReadOnlyList<TaskState> tasks = [];
        if (taskIds.Count > 0)
        {
            var t = await Docker(["inspect", "--type", "task", .. taskIds.Distinct()], cancellationToken).ConfigureAwait(false);
            tasks = t.StandardOutput.Count > 0 && t.Stdout.TrimStart().StartsWith('[') ? TaskState.ParseInspect(t.Stdout) : [];
        }

        var local = tasks.Where(t => t.NodeId == swarm.NodeId && t.ContainerId is not null && t.DesiredState == "running").Select(t => t.ContainerId!).Distinct().ToList();
        IReadOnlyDictionary<string, ContainerHealth> health = new Dictionary<string, ContainerHealth>();
        if (local.Count > 0)
        {
            // Some may be gone already; docker prints the others and exits 1.
            var c = await Docker(["inspect", "--type", "container", .. local], cancellationToken).ConfigureAwait(false);
            health = c.Stdout.TrimStart().StartsWith('[') ? ContainerHealth.ParseInspect(c.Stdout) : health;
        }

        return new StackResult([], services, tasks, health, TimeSpan.Zero);
    }

    /// <summary>
    /// SBC7028 when the deploy would roll out a new NEO4J_AUTH to a Neo4j that already has data (its service runs, or
    /// the stack's volumes are still on this node): Neo4j would keep the password stored in its data, the new secret
    /// would make its health check and every client fail, and swarm would roll all of them back after minutes.
    /// </summary>
    private async Task<Diagnostic?> Neo4jPasswordRotationAsync(IReadOnlyList<SwarmSecret> existing, string stack, StackPlan plan, CancellationToken cancellationToken)
    {
        var rotating = SwarmSecrets.Rotating(existing, plan.Secrets.Where(s => s.IsNeo4jInitialPassword).ToList());
        if (rotating.Count == 0)
        {
            return null;
        }

        var changed = rotating[0];
        string service = changed.Services.FirstOrDefault() ?? "neo4j";
        bool running = (await Lines(["service", "ls", "--quiet", "--filter", $"name={stack}_{service}"], cancellationToken).ConfigureAwait(false)).Count > 0;
        bool volumes = (await Lines(["volume", "ls", "--quiet", "--filter", "label=com.docker.stack.namespace=" + stack], cancellationToken).ConfigureAwait(false)).Count > 0;
        return running || volumes
            ? DiagnosticCatalog.StackNeo4jPasswordChanged.Create(service, stack, running ? $"its service {stack}_{service} runs" : "the stack's volumes are on this node")
            : null;
    }

    private async Task<IReadOnlyList<string>> Lines(IReadOnlyList<string> args, CancellationToken cancellationToken)
    {
        var result = await Docker(args, cancellationToken).ConfigureAwait(false);
        return result.Succeeded ? result.StandardOutput.Select(l => l.Trim()).Where(l => l.Length > 0).ToList() : [];
    }

    private Task<ProcessResult> Docker(IReadOnlyList<string> args, CancellationToken cancellationToken)
        => _docker.RunAsync(args, timeout: CommandTimeout, cancellationToken: cancellationToken);

    private static StackResult Result(IReadOnlyList<Diagnostic> diagnostics, Stopwatch clock, StackPlan? plan = null)
        => new(diagnostics, [], [], new Dictionary<string, ContainerHealth>(), clock.Elapsed, plan);
}
