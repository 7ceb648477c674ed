namespace Sbir.Container.Diagnostics;

// SBC7xxx: swarm stacks (StackDeploy, StackStatus, StackRollback, StackRemove).
// 700x: rendering the profile's compose files into a stack; 701x: the swarm and its objects;
// 702x: waiting for the stack to converge, rolling back and removing it.
public static partial class DiagnosticCatalog
{
    /// <summary>A compose setting that docker stack deploy does not apply.</summary>
    public static readonly DiagnosticDescriptor StackSettingIgnored = new(
        "SBC7001", "Setting ignored by swarm", DiagnosticSeverity.Info,
        "Swarm ignores {0} of service '{1}': {2}",
        "{3}")
    {
        ShownAtMinimalVerbosity = true,
    };

    /// <summary>An application image that is a tag without a digest where every node must run the same bytes.</summary>
    public static readonly DiagnosticDescriptor StackImageNotPinned = new(
        "SBC7002", "Image not pinned by digest", DiagnosticSeverity.Error,
        "Service '{0}' would run '{1}', a tag without a digest{2}",
        "Push the image with DockerPush (StackDeploy then pins the digest DockerPush recorded in obj/SbirContainer/*.digest), or set {3} to the pushed REPOSITORY@sha256:... reference. On one node, -p:SbirStackRequireDigest=false accepts the local image.");

    /// <summary>A secret variable interpolated where swarm would store its value in the service spec.</summary>
    public static readonly DiagnosticDescriptor StackSecretOutsideEnvironment = new(
        "SBC7003", "Secret in the service spec", DiagnosticSeverity.Error,
        "The secret variable {0} is interpolated into {1} of service '{2}', and swarm stores that text in the service spec, where 'docker service inspect' shows it",
        "Use {0} only in the service's environment: (StackDeploy turns each such entry into a swarm secret and a NAME_FILE variable), and let the container read the file at run time.");

    /// <summary>Dagster's SQLite storage on a swarm of more than one node.</summary>
    public static readonly DiagnosticDescriptor StackDagsterSqlite = new(
        "SBC7004", "Dagster SQLite storage on several nodes", DiagnosticSeverity.Error,
        "Dagster keeps its runs, schedules and event logs in SQLite files under DAGSTER_HOME ({0}), which only the processes of one node can share, but the swarm has {1} nodes",
        "Configure Postgres storage in Dagster's dagster.yaml (storage: postgres: postgres_db: ..., see docs/deployment/containerization.md, 'More than one host'), and point SbirStackDagsterConfig at that file if it is not found by itself; or deploy to a swarm of one node.");

    /// <summary>Neo4j Community deployed with more than one replica.</summary>
    public static readonly DiagnosticDescriptor StackNeo4jReplicas = new(
        "SBC7005", "Neo4j with more than one replica", DiagnosticSeverity.Error,
        "Service '{0}' runs Neo4j with {1} replicas, but Neo4j Community runs one instance on one store",
        "Remove deploy.replicas (StackDeploy runs one replica, placed on the data node); several instances need Neo4j Enterprise clustering, which the SDK does not set up.");

    /// <summary>A bind mount in a stack that runs on more than one node.</summary>
    public static readonly DiagnosticDescriptor StackBindMount = new(
        "SBC7006", "Host path in a stack", DiagnosticSeverity.Warning,
        "Service '{0}' bind-mounts the host path {1}; on a swarm of {2} nodes that path must exist on the node the task lands on",
        "Use a named volume; the service is kept on the node labelled {3}=true, so create the folder there.");

    /// <summary>A service runs an image tag as the local engine has it (one node).</summary>
    public static readonly DiagnosticDescriptor StackImageLocal = new(
        "SBC7007", "Image not pinned (one node)", DiagnosticSeverity.Info,
        "Service '{0}' runs '{1}' as this engine has it, not pinned by a digest (no DockerPush digest for {2})",
        "Fine on one node. To deploy by digest, push first (dotnet build -t:DockerPush), and StackDeploy pins the digest DockerPush recorded.")
    {
        ShownAtMinimalVerbosity = true,
    };

    /// <summary>Dagster's instance configuration cannot be read.</summary>
    public static readonly DiagnosticDescriptor StackDagsterConfigUnreadable = new(
        "SBC7008", "dagster.yaml unreadable", DiagnosticSeverity.Error,
        "Dagster's instance configuration could not be read: {0}",
        "Fix the file at the position shown, or set SbirStackDagsterConfig to the dagster.yaml the image uses.");

    /// <summary>The engine is not part of a swarm.</summary>
    public static readonly DiagnosticDescriptor SwarmNotActive = new(
        "SBC7010", "Not a swarm", DiagnosticSeverity.Error,
        "The engine {0} is not part of a swarm (its swarm state is '{1}')",
        "Make this host a one-node swarm with 'docker swarm init' ('docker swarm init --advertise-addr 127.0.0.1' when it has several addresses), join an existing one, or point SbirDockerCli, DOCKER_HOST or the docker context at a manager.");

    /// <summary>The engine is a swarm worker.</summary>
    public static readonly DiagnosticDescriptor SwarmNotManager = new(
        "SBC7011", "Not a swarm manager", DiagnosticSeverity.Error,
        "The engine {0} is a worker of its swarm; stacks are deployed, inspected and removed through a manager",
        "Run the target against a manager: DOCKER_HOST=ssh://USER@MANAGER dotnet msbuild -t:..., or a docker context that names one ('docker node ls' on a manager lists them).");

    /// <summary>No node carries the label that places the services with volumes.</summary>
    public static readonly DiagnosticDescriptor SwarmDataNodeMissing = new(
        "SBC7012", "No data node", DiagnosticSeverity.Error,
        "No node of the swarm carries the label {0}=true, so the services that keep data in volumes ({1}) cannot be placed",
        "Label the node that keeps their data, once: docker node update --label-add {0}=true NODE ('docker node ls' lists the nodes). On a swarm of one node StackDeploy labels it itself.");

    /// <summary>More than one node carries the data label.</summary>
    public static readonly DiagnosticDescriptor SwarmDataNodeAmbiguous = new(
        "SBC7013", "More than one data node", DiagnosticSeverity.Error,
        "{1} nodes carry the label {0}=true ({2}); volumes are local to a node, so the services that keep data in volumes would find different data depending on the node they land on",
        "Keep the label on the node that has the data, and remove it from the others: docker node update --label-rm {0} NODE.");

    /// <summary>docker stack deploy failed.</summary>
    public static readonly DiagnosticDescriptor StackDeployFailed = new(
        "SBC7014", "docker stack deploy failed", DiagnosticSeverity.Error,
        "docker stack deploy failed with exit code {1}:{2}\n  The command was: {0}",
        "Read docker's message above; the stack file it was given is {3}. Run the command by hand from the project folder to see more.");

    /// <summary>A swarm secret could not be created.</summary>
    public static readonly DiagnosticDescriptor SwarmSecretFailed = new(
        "SBC7015", "Swarm secret not created", DiagnosticSeverity.Error,
        "Creating the swarm secret {0} (for {1}) failed with exit code {2}:{3}",
        "Read docker's message above; 'docker secret ls' shows the secrets. The value was given on standard input, never on a command line.");

    /// <summary>An update failed its health gate and swarm rolled the service back.</summary>
    public static readonly DiagnosticDescriptor StackUpdateRolledBack = new(
        "SBC7020", "Update rolled back", DiagnosticSeverity.Error,
        "Service '{0}': the update to {1} failed after {2} s and swarm rolled it back to {3} ({4}). The failing task: {5}\n  Last health-check output:{6}\n  Last log lines:{7}",
        "The service runs the previous version again. Fix what the output shows and deploy again; 'docker service ps --no-trunc {8}' lists every task and its error.");

    /// <summary>A newly created service's tasks keep failing.</summary>
    public static readonly DiagnosticDescriptor StackServiceFailing = new(
        "SBC7021", "Service keeps failing", DiagnosticSeverity.Error,
        "Service '{0}' does not start: {1} of its tasks failed within {2} s, the last with: {3}\n  Last health-check output:{4}\n  Last log lines:{5}",
        "Fix the cause shown (a missing secret or variable, an unreachable dependency, a wrong command), then deploy again; swarm keeps retrying meanwhile. 'docker service ps --no-trunc {6}' lists every task and 'docker service logs {6}' their output.");

    /// <summary>Not every service converged in time.</summary>
    public static readonly DiagnosticDescriptor StackWaitTimedOut = new(
        "SBC7022", "Timed out waiting for the stack", DiagnosticSeverity.Error,
        "After {0} s these services of stack '{1}' have not converged: {2}",
        "If they are just slow, wait longer: -p:SbirStackWaitTimeout=20m. Otherwise the SBC7023 errors that follow give each late service's last task state and health-check output; swarm keeps working on the stack, 'dotnet msbuild -t:StackStatus' shows where it stands.");

    /// <summary>One service not converged when the wait ended.</summary>
    public static readonly DiagnosticDescriptor StackServiceNotConverged = new(
        "SBC7023", "Service not converged in time", DiagnosticSeverity.Error,
        "Service '{0}' is still {1} after {2} s. Its newest task: {3}\n  Last health-check output:{4}",
        "'docker service ps --no-trunc {5}' and 'docker service logs {5}' show more; a slow service needs a longer start_period or SbirStackWaitTimeout.");

    /// <summary>Swarm paused an update or a rollback.</summary>
    public static readonly DiagnosticDescriptor StackUpdatePaused = new(
        "SBC7024", "Update paused", DiagnosticSeverity.Error,
        "Service '{0}': swarm paused its {1} ({2})",
        "See 'docker service inspect --pretty {3}' and 'docker service ps --no-trunc {3}'; fix the cause and deploy again, or roll back with 'dotnet msbuild -t:StackRollback'.");

    /// <summary>The stack does not exist.</summary>
    public static readonly DiagnosticDescriptor StackNotFound = new(
        "SBC7025", "No such stack", DiagnosticSeverity.Error,
        "The swarm has no service of stack '{0}'",
        "Deploy it first (dotnet msbuild -t:StackDeploy -p:Profile=prod), or set SbirStackName to the stack's name ('docker stack ls' lists them).");

    /// <summary>StackRollback found nothing to roll back.</summary>
    public static readonly DiagnosticDescriptor StackNothingToRollBack = new(
        "SBC7026", "Nothing to roll back", DiagnosticSeverity.Error,
        "No service of stack '{0}' has a previous version to roll back to{1}",
        "A service has one after its first update; after an automatic rollback the previous version is the one that failed, so StackRollback leaves such a service alone. Deploy the version you want instead.");

    /// <summary>A new Neo4j password for a Neo4j that keeps the one stored in its data.</summary>
    public static readonly DiagnosticDescriptor StackNeo4jPasswordChanged = new(
        "SBC7028", "Neo4j password changed on existing data", DiagnosticSeverity.Error,
        "The Neo4j password (NEO4J_AUTH of service '{0}') differs from the one stack '{1}' was deployed with, and Neo4j already has data ({2}). Neo4j sets NEO4J_AUTH only on a store without a password and keeps the stored one, so the new secret would leave '{0}' unhealthy and every service that logs in failing, and swarm would roll them back. Nothing was deployed",
        "Change the password inside Neo4j first (cypher-shell -d system -u neo4j, then ALTER CURRENT USER SET PASSWORD FROM 'old' TO 'new'), then deploy again with -p:SbirStackNeo4jPasswordChanged=true; or put the previous password back in .env. A stack without data (new, or removed with -p:SbirStackRemoveVolumes=true) takes the new password as it is.");

    /// <summary>StackRemove could not remove everything.</summary>
    public static readonly DiagnosticDescriptor StackRemoveIncomplete = new(
        "SBC7027", "Stack not removed completely", DiagnosticSeverity.Error,
        "After {0} s stack '{1}' still has {2}",
        "Run StackRemove again in a moment; 'docker stack ps {1}' and 'docker network ls --filter label=com.docker.stack.namespace={1}' show what is left.");
}
