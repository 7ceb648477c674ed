namespace Sbir.Container.Diagnostics;

// SBC52xx: running the compose stack (ComposeUp, ComposeDown, ComposeStatus).
public static partial class DiagnosticCatalog
{
    /// <summary>Neither compose v2 nor docker-compose v1 is available.</summary>
    public static readonly DiagnosticDescriptor ComposeCliNotFound = new(
        "SBC5201", "Compose not found", DiagnosticSeverity.Error,
        "No compose CLI was found: '{0} compose version' failed and docker-compose is not on PATH",
        "Install the Docker Compose v2 plugin (https://docs.docker.com/compose/install/) or docker-compose 1.29, or set SbirComposeCli to its path (for example -p:SbirComposeCli=/usr/bin/docker-compose).");

    /// <summary>docker compose up (or down) failed before the services ran.</summary>
    public static readonly DiagnosticDescriptor ComposeCommandFailed = new(
        "SBC5202", "Compose command failed", DiagnosticSeverity.Error,
        "Compose failed with exit code {1}:{2}\n  The command was: {0}",
        "Read compose's message above; run 'dotnet build -t:ContainerValidate -p:Profile={3}' to check the files, or run the command shown by hand to see more.");

    /// <summary>A service's health check reported unhealthy.</summary>
    public static readonly DiagnosticDescriptor ComposeServiceUnhealthy = new(
        "SBC5203", "Service unhealthy", DiagnosticSeverity.Error,
        "Service '{0}' is unhealthy after {1} s. Last health-check output:{2}\n  Last log lines:{3}",
        "Fix what the output shows, then run ComposeUp again; inspect it with 'docker inspect --format \"{{{{json .State.Health}}}}\" {4}' and 'docker logs {4}'.");

    /// <summary>A service's container exited or keeps restarting.</summary>
    public static readonly DiagnosticDescriptor ComposeServiceExited = new(
        "SBC5204", "Service exited", DiagnosticSeverity.Error,
        "Service '{0}' {1} after {2} s. Last log lines:{3}",
        "Fix the cause shown in the logs (a missing variable, an unreachable dependency, a wrong command), then run ComposeUp again; see everything with 'docker logs {4}'.");

    /// <summary>Not every service became healthy in time.</summary>
    public static readonly DiagnosticDescriptor ComposeWaitTimedOut = new(
        "SBC5205", "Timed out waiting for health", DiagnosticSeverity.Error,
        "After {0} s {1}",
        "If they are just slow, wait longer: -p:SbirComposeWaitTimeout=10m (or compose.health.waitTimeout in config/docker.yaml). Otherwise the SBC5207 errors that follow give each late service's health-check output and last log lines; the stack is kept (unless SbirComposeDownOnFailure=true) for 'dotnet msbuild -t:ComposeStatus' and 'docker compose -p {2} logs SERVICE'.");

    /// <summary>A service still not healthy when the wait ended, with what it last said.</summary>
    public static readonly DiagnosticDescriptor ComposeServiceNotReady = new(
        "SBC5207", "Service not healthy in time", DiagnosticSeverity.Error,
        "Service '{0}' is still {1} after {2} s. Last health-check output:{3}\n  Last log lines:{4}",
        "See 'docker inspect --format \"{{{{json .State.Health}}}}\" {5}' and 'docker logs {5}'; a slow service needs a longer start_period or SbirComposeWaitTimeout.");

    /// <summary>Compose could not publish a host port: another container or process holds it.</summary>
    public static readonly DiagnosticDescriptor ComposePortTaken = new(
        "SBC5208", "Host port taken", DiagnosticSeverity.Error,
        "Host port {0} is already taken by another container or process, so compose could not start the stack{1}. Compose said:{2}",
        "Stop what holds it ('docker ps --filter publish={0}' shows a container; 'ss -ltnp' a process), or publish the service on another port: set its port variable in .env (for example DAGSTER_PORT, NEO4J_HTTP_PORT, NEO4J_BOLT_PORT).");

    /// <summary>The profile asked for is not in config/docker.yaml.</summary>
    public static readonly DiagnosticDescriptor ComposeUnknownProfile = new(
        "SBC5206", "Unknown profile", DiagnosticSeverity.Error,
        "The profile '{0}' is not defined in config/docker.yaml (profiles: {1}), so nothing would be checked or run for it.{2}",
        "Pass one of them with -p:Profile=NAME, or add it under compose.profiles.");

    /// <summary>An image of the stack that is neither in the engine nor pullable.</summary>
    public static readonly DiagnosticDescriptor ComposeImageNotPullable = new(
        "SBC5209", "Image cannot be pulled", DiagnosticSeverity.Error,
        "The image '{0}' of service '{1}' is not in the engine and could not be pulled; it is selected by {2}. Compose said:{3}",
        "Make the image available (build or load it, or log in to its registry with 'docker login'), or set {4} to an image that exists.");

    /// <summary>A one-off command in a service of the stack (ComposeRun) failed.</summary>
    public static readonly DiagnosticDescriptor ComposeRunFailed = new(
        "SBC5210", "Command in a service failed", DiagnosticSeverity.Error,
        "The command in service '{0}' ended with exit code {1}. Last output:{2}",
        "Read the output above; the service's own exit codes are in its documentation (the sample's etl-runner: 2 configuration, 3 Neo4j not reachable). Run it by hand with: {3}");
}
