namespace Sbir.Container.Diagnostics;

// SBC40xx: compose files, checked after interpolation with the validated .env.
public static partial class DiagnosticCatalog
{
    /// <summary>A compose file that is not readable YAML.</summary>
    public static readonly DiagnosticDescriptor ComposeUnreadable = new(
        "SBC4001", "Compose file unreadable", DiagnosticSeverity.Error,
        "The compose file cannot be read: {0}",
        "Fix the YAML at the position shown; 'docker compose config' would stop here too.");

    /// <summary>A violation of the Compose Specification's JSON schema.</summary>
    public static readonly DiagnosticDescriptor ComposeSchemaViolation = new(
        "SBC4002", "Not valid under the Compose Specification", DiagnosticSeverity.Error,
        "{0}",
        "Fix the key or value; the Compose Specification is at https://compose-spec.io (the schema is embedded in the SDK).");

    /// <summary>An interpolation that fails.</summary>
    public static readonly DiagnosticDescriptor ComposeInterpolationFailed = new(
        "SBC4003", "Interpolation failed", DiagnosticSeverity.Error,
        "{0}",
        "Set the variable in .env or in the environment; write a literal '$' as '$$'.");

    /// <summary>depends_on names a service that does not exist.</summary>
    public static readonly DiagnosticDescriptor ComposeUnknownDependency = new(
        "SBC4004", "Unknown service in depends_on", DiagnosticSeverity.Error,
        "Service '{0}' depends on '{1}', which no compose file of the {2} profile defines.{3}",
        "Fix the name or add the service.");

    /// <summary>service_healthy on a service that can never be healthy.</summary>
    public static readonly DiagnosticDescriptor ComposeHealthyWithoutHealthcheck = new(
        "SBC4005", "service_healthy without a health check", DiagnosticSeverity.Error,
        "Service '{0}' waits for '{1}' to be healthy, but '{1}' has no health check (in compose or in its image), so it never will",
        "Add a healthcheck: to '{1}', or use condition: service_started.");

    /// <summary>A named volume, network, secret or config used but not declared.</summary>
    public static readonly DiagnosticDescriptor ComposeUndeclaredReference = new(
        "SBC4006", "Undeclared volume, network, secret or config", DiagnosticSeverity.Error,
        "Service '{0}' uses the {1} '{2}', which is not declared under top-level {1}s:.{3}",
        "Declare it under '{1}s:' at the top level of the compose file, or fix the name.");

    /// <summary>A host bind mount in the production profile.</summary>
    public static readonly DiagnosticDescriptor ComposeProdBindMount = new(
        "SBC4007", "Host bind mount in production", DiagnosticSeverity.Error,
        "Service '{0}' mounts the host path '{1}' in the prod profile, which must rely only on the image and named volumes",
        "Use a named volume in docker-compose.yml, and move host mounts to the dev overlay.");

    /// <summary>The dev profile lacks the bind mounts developers rely on.</summary>
    public static readonly DiagnosticDescriptor ComposeDevMountsMissing = new(
        "SBC4008", "Dev profile without host mounts", DiagnosticSeverity.Warning,
        "Service '{0}' does not bind-mount {1} from the host in the dev profile, so artifacts stay hidden in the container",
        "Add bind mounts such as './data:/app/data' to the dev overlay.");

    /// <summary>NEO4J_AUTH that Neo4j will not accept.</summary>
    public static readonly DiagnosticDescriptor ComposeNeo4jAuthGrammar = new(
        "SBC4009", "Invalid NEO4J_AUTH", DiagnosticSeverity.Error,
        "NEO4J_AUTH of service '{0}' {1}",
        "Write NEO4J_AUTH: neo4j/${{NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}} (the user must be neo4j; 'none' disables auth).");

    /// <summary>A secret expanded into the health-check configuration on the host.</summary>
    public static readonly DiagnosticDescriptor ComposeSecretInHealthcheck = new(
        "SBC4010", "Secret expanded into a health check", DiagnosticSeverity.Error,
        "The health check of service '{0}' uses ${{{1}}}, which compose expands on the host, so the secret is stored in the container's configuration (docker inspect shows it)",
        "Write $${{{1}}} so that the container's shell expands it when the check runs.");

    /// <summary>A health check that calls a program the image does not have.</summary>
    public static readonly DiagnosticDescriptor ComposeHealthcheckToolMissing = new(
        "SBC4011", "Health check needs a missing program", DiagnosticSeverity.Error,
        "The health check of service '{0}' runs '{1}', which the {2} image does not have, so the check can never pass",
        "{3}");

    /// <summary>A Dagster health check that does not check what matters.</summary>
    public static readonly DiagnosticDescriptor ComposeDagsterHealthcheck = new(
        "SBC4012", "Dagster health check does not check the service", DiagnosticSeverity.Warning,
        "The health check of {0} service '{1}' {2}",
        "{3}");

    /// <summary>A Neo4j health check too impatient for Neo4j's start.</summary>
    public static readonly DiagnosticDescriptor ComposeNeo4jHealthTiming = new(
        "SBC4013", "Neo4j health check too impatient", DiagnosticSeverity.Warning,
        "The health check of Neo4j service '{0}' has {1}, but Neo4j takes 30 to 60 s to start and cypher-shell (a JVM) several seconds per run",
        "Use start_period of at least 40s and timeout of at least 20s.");

    /// <summary>An image without a pinned version.</summary>
    public static readonly DiagnosticDescriptor ComposeUnpinnedImage = new(
        "SBC4014", "Image not pinned", DiagnosticSeverity.Warning,
        "Service '{0}' uses the image '{1}' {2}, so every pull may bring a different version",
        "Pin a version tag (for example neo4j:5.26.0-community) or a digest.");

    /// <summary>A relative path that climbs out of the project.</summary>
    public static readonly DiagnosticDescriptor ComposePathOutsideProject = new(
        "SBC4015", "Path outside the project", DiagnosticSeverity.Warning,
        "Service '{0}' uses the path '{1}', which resolves outside the project directory (relative paths in every compose file resolve from the project directory, not from the file's folder)",
        "Write the path relative to the project directory, for example ./data instead of ../data.");

    /// <summary>A compose file that config/docker.yaml names but that does not exist.</summary>
    public static readonly DiagnosticDescriptor ComposeFileMissing = new(
        "SBC4017", "Compose file missing", DiagnosticSeverity.Error,
        "The {0} profile uses the compose file '{1}', which does not exist",
        "Create it, or fix compose.profiles.{0}.files in config/docker.yaml (paths are relative to the project directory).");

    /// <summary>A variable referenced in a compose file that the contract does not know.</summary>
    public static readonly DiagnosticDescriptor ComposeUnknownVariable = new(
        "SBC4016", "Unknown variable in a compose file", DiagnosticSeverity.Warning,
        "${{{0}}} is not part of the environment contract and is not set, so it expands to its default or to nothing.{1}",
        "Fix the name, or declare the variable under environment.variables in config/docker.yaml.");

    /// <summary>Services that wait for each other in a circle. Arguments: the cycle (a -> b -> a), the profile.</summary>
    public static readonly DiagnosticDescriptor ComposeDependencyCycle = new(
        "SBC4018", "depends_on cycle", DiagnosticSeverity.Error,
        "The services of the {1} profile wait for each other in a circle ({0}), so compose refuses to start them (circular dependency)",
        "Remove one of the depends_on entries of the circle; usually the service that is started later should depend on the earlier one, not both ways.");

    /// <summary>env_file:, or a top-level secret or config file:, outside the project. Arguments: who, the path as written, resolved.</summary>
    public static readonly DiagnosticDescriptor ComposeHostFileOutsideProject = new(
        "SBC4019", "Host file outside the project", DiagnosticSeverity.Error,
        "{0} reads '{1}' ({2}), which is outside the project directory, so a file of the host is handed to the containers",
        "Keep the file inside the project (for example ./secrets/NAME, git-ignored) and point to it with a relative path; never hand system or home files such as /etc/shadow or ~/.ssh/id_rsa to a container.");

    /// <summary>A build context of the file system root or the home folder. Arguments: service, context as written, what it is.</summary>
    public static readonly DiagnosticDescriptor ComposeBuildContextTooWide = new(
        "SBC4020", "Build context too wide", DiagnosticSeverity.Error,
        "Service '{0}' builds with the context '{1}', which is {2}: everything under it (keys, credentials, other projects) is sent to the engine and can be copied into the image",
        "Set build.context to the project folder ('.') or the folder that holds the Dockerfile and what it copies, and list what stays out in its .dockerignore.");

    /// <summary>A bind mount that gives a container control of the host. Arguments: service, source, why.</summary>
    public static readonly DiagnosticDescriptor ComposeDangerousBindMount = new(
        "SBC4021", "Dangerous bind mount", DiagnosticSeverity.Error,
        "Service '{0}' bind-mounts '{1}', {2}, into the container (in any profile)",
        "Remove the mount; mount only the project folders the service needs (./data, ./config), read-only where it only reads them.");
}
