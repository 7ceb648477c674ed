using System.Text.Json.Nodes;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Swarm;

/// <summary>What the planner needs: the profile's compose files, how to resolve their variables, and the swarm they go to.</summary>
public sealed record StackPlanInput
{
    /// <summary>The project directory; relative paths in the compose files resolve from here.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The stack (SbirStackName).</summary>
    public required string StackName { get; init; }

    /// <summary>The SBIR profile, for messages.</summary>
    public string ProfileName { get; init; } = "prod";

    /// <summary>The profile's compose files, in order (absolute).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>The compose profiles the SBIR profile enables; services of other compose profiles are not deployed.</summary>
    public IReadOnlyList<string> ComposeProfiles { get; init; } = [];

    /// <summary>Resolves a variable as compose does: the environment first, then .env.</summary>
    public required Func<string, string?> Lookup { get; init; }

    /// <summary>The environment contract: which variables are secrets.</summary>
    public EnvironmentContract Contract { get; init; } = new();

    /// <summary>The variable the compose files read the application image from (SbirComposeImageVariable).</summary>
    public string ImageVariable { get; init; } = "SBIR_IMAGE";

    /// <summary>The application's repository with its registry (SbirContainerRegistry/SbirContainerImageName).</summary>
    public string? AppRepository { get; init; }

    /// <summary>The tags DockerPush pushes (SbirContainerImageTags).</summary>
    public IReadOnlyList<string> AppTags { get; init; } = ["latest"];

    /// <summary>What DockerPush recorded: REPOSITORY@sha256:..., or null.</summary>
    public string? PushedReference { get; init; }

    /// <summary>How many nodes the swarm has.</summary>
    public int NodeCount { get; init; } = 1;

    /// <summary>True or false to decide, null (auto) to require a digest on more than one node.</summary>
    public bool? RequireDigest { get; init; }

    /// <summary>The node label that places the services with volumes (its value must be true).</summary>
    public required string DataLabel { get; init; }

    /// <summary>
    /// How other services and clients reach a service: vip (a virtual IP and the ingress routing mesh,
    /// swarm's default) or dnsrr (the service name resolves to its tasks, and ports are published on the
    /// node that runs the task), for hosts whose kernel has no IPVS (ip_vs), which the first needs.
    /// </summary>
    public string EndpointMode { get; init; } = "vip";

    /// <summary>Dagster's dagster.yaml, or null when the project has none.</summary>
    public string? DagsterConfig { get; init; }
}

/// <summary>A secret of the stack: an environment entry whose value the service reads from /run/secrets/TARGET instead.</summary>
public sealed class StackSecret
{
    internal StackSecret(string key, string target, string value)
    {
        Key = key;
        Target = target;
        Value = value;
    }

    /// <summary>The secret's key in the stack file (usually the variable's name).</summary>
    public string Key { get; }

    /// <summary>The file name under /run/secrets, the variable's name; the service gets TARGET_FILE pointing at it.</summary>
    public string Target { get; }

    /// <summary>The value. Never logged; it reaches docker only on standard input.</summary>
    public string Value { get; }

    /// <summary>The services that read it.</summary>
    public List<string> Services { get; } = [];

    /// <summary>
    /// True when a Neo4j service reads it as NEO4J_AUTH: Neo4j sets that password only on a store that has none
    /// (neo4j-admin dbms set-initial-password), so a new value does not change the password of existing data.
    /// </summary>
    public bool IsNeo4jInitialPassword { get; internal set; }

    /// <summary>Names only, never the value.</summary>
    public override string ToString() => $"{Key} (/run/secrets/{Target}, {string.Join(", ", Services)})";
}

/// <summary>One service as it will be deployed, for progress lines and outputs.</summary>
/// <param name="Name">The compose service name (the swarm service is STACK_NAME).</param>
/// <param name="Image">The image reference deployed.</param>
/// <param name="PinnedBy">How the image was pinned: "digest" (written so), "DockerPush" (its recorded digest), or null (a tag).</param>
/// <param name="UpdateOrder">start-first or stop-first.</param>
/// <param name="Monitor">The monitor period of its updates.</param>
/// <param name="NodeBound">True when it is placed on the data node.</param>
public sealed record PlannedService(string Name, string Image, string? PinnedBy, string UpdateOrder, TimeSpan Monitor, bool NodeBound);

/// <summary>The stack to deploy: the rendered file (with its secrets named later), and everything found on the way.</summary>
public sealed class StackPlan
{
    private readonly JsonObject? _document;

    internal StackPlan(JsonObject? document, IReadOnlyList<Diagnostic> diagnostics, IReadOnlyList<PlannedService> services, IReadOnlyList<StackSecret> secrets)
    {
        _document = document;
        Diagnostics = diagnostics;
        Services = services;
        Secrets = secrets;
    }

    /// <summary>Errors stop the deploy; warnings and notes say what the swarm does differently from compose.</summary>
    public IReadOnlyList<Diagnostic> Diagnostics { get; }

    /// <summary>The services to deploy.</summary>
    public IReadOnlyList<PlannedService> Services { get; }

    /// <summary>The secrets the services read.</summary>
    public IReadOnlyList<StackSecret> Secrets { get; }

    /// <summary>True when nothing stops the deploy.</summary>
    public bool Succeeded => _document is not null && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);

    /// <summary>The services placed on the data node.</summary>
    public IReadOnlyList<string> NodeBoundServices => Services.Where(s => s.NodeBound).Select(s => s.Name).ToList();

    /// <summary>
    /// The stack file for docker stack deploy, with each secret referring to the swarm secret named in
    /// <paramref name="secretNames"/> (by key). It holds no secret value.
    /// </summary>
    public string Render(IReadOnlyDictionary<string, string> secretNames)
    {
        if (_document is null)
        {
            throw new InvalidOperationException("The plan failed; there is nothing to render.");
        }

        var document = (JsonObject)_document.DeepClone();
        if (Secrets.Count > 0)
        {
            var secrets = document["secrets"] as JsonObject ?? new JsonObject();
            foreach (var secret in Secrets)
            {
                secrets[secret.Key] = new JsonObject { ["external"] = true, ["name"] = secretNames[secret.Key] };
            }

            document["secrets"] = secrets;
        }

        return StackFile.Write(document);
    }
}
