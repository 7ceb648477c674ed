using System.Globalization;
using System.Text;
using System.Text.Json;

namespace Sbir.Container.Swarm;

/// <summary>The engine's place in a swarm ('docker info', Swarm section).</summary>
/// <param name="State">inactive, pending, active, error, locked.</param>
/// <param name="IsManager">True when the engine can manage the swarm (ControlAvailable).</param>
/// <param name="NodeId">This engine's node.</param>
/// <param name="Nodes">How many nodes the swarm has (0 when not active).</param>
public sealed record SwarmInfo(string State, bool IsManager, string NodeId, int Nodes)
{
    /// <summary>Parses the JSON of <c>docker info --format '{{json .Swarm}}'</c>.</summary>
    public static SwarmInfo Parse(string json)
    {
        using var document = JsonDocument.Parse(json);
        var root = document.RootElement;
        return new SwarmInfo(
            SwarmJson.Text(root, "LocalNodeState") ?? "inactive",
            root.TryGetProperty("ControlAvailable", out var control) && control.ValueKind == JsonValueKind.True,
            SwarmJson.Text(root, "NodeID") ?? string.Empty,
            root.TryGetProperty("Nodes", out var nodes) && nodes.ValueKind == JsonValueKind.Number ? nodes.GetInt32() : 0);
    }
}

/// <summary>A node of the swarm ('docker node inspect').</summary>
/// <param name="Id">The node ID.</param>
/// <param name="Hostname">Its host name.</param>
/// <param name="Labels">Its labels (Spec.Labels, set with docker node update --label-add).</param>
public sealed record SwarmNode(string Id, string Hostname, IReadOnlyDictionary<string, string> Labels)
{
    /// <summary>Parses the JSON array of <c>docker node inspect</c>.</summary>
    public static IReadOnlyList<SwarmNode> ParseInspect(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.EnumerateArray().Select(n => new SwarmNode(
            SwarmJson.Text(n, "ID") ?? string.Empty,
            n.TryGetProperty("Description", out var d) ? SwarmJson.Text(d, "Hostname") ?? string.Empty : string.Empty,
            n.TryGetProperty("Spec", out var spec) ? SwarmJson.Labels(spec) : new Dictionary<string, string>())).ToList();
    }
}

/// <summary>A service of a stack ('docker service inspect').</summary>
/// <param name="Id">The service ID.</param>
/// <param name="Name">The swarm name, STACK_SERVICE.</param>
/// <param name="Service">The compose service name (without the stack prefix).</param>
/// <param name="Image">The image of its current spec.</param>
/// <param name="Replicas">Replicas wanted, or null for a global service.</param>
/// <param name="UpdateState">updating, paused, completed, rollback_started, rollback_paused, rollback_completed; null before the first update.</param>
/// <param name="UpdateMessage">Swarm's message about the last update.</param>
/// <param name="UpdateStartedAt">When the last update started, as swarm wrote it (compared, never parsed, so clocks do not matter).</param>
/// <param name="PreviousImage">The image of the previous spec, or null when there is none.</param>
/// <param name="Fingerprint">What a task must match to run the current spec.</param>
public sealed record ServiceState(string Id, string Name, string Service, string Image, int? Replicas, string? UpdateState, string? UpdateMessage, string? UpdateStartedAt, string? PreviousImage, string Fingerprint)
{
    /// <summary>Parses the JSON array of <c>docker service inspect</c> for services of <paramref name="stack"/>.</summary>
    public static IReadOnlyList<ServiceState> ParseInspect(string json, string stack)
    {
        using var document = JsonDocument.Parse(json);
        var list = new List<ServiceState>();
        foreach (var s in document.RootElement.EnumerateArray())
        {
            var spec = s.GetProperty("Spec");
            string name = SwarmJson.Text(spec, "Name") ?? string.Empty;
            var template = spec.GetProperty("TaskTemplate");
            int? replicas = spec.TryGetProperty("Mode", out var mode) && mode.TryGetProperty("Replicated", out var replicated) && replicated.TryGetProperty("Replicas", out var r) && r.ValueKind == JsonValueKind.Number ? r.GetInt32() : null;
            string? state = null, message = null, started = null;
            if (s.TryGetProperty("UpdateStatus", out var update) && update.ValueKind == JsonValueKind.Object)
            {
                state = SwarmJson.Text(update, "State");
                message = SwarmJson.Text(update, "Message");
                started = SwarmJson.Text(update, "StartedAt");
            }

            string? previous = s.TryGetProperty("PreviousSpec", out var prev) && prev.ValueKind == JsonValueKind.Object && prev.TryGetProperty("TaskTemplate", out var pt) ? SwarmJson.Image(pt) : null;
            list.Add(new ServiceState(
                SwarmJson.Text(s, "ID") ?? string.Empty,
                name,
                name.StartsWith(stack + "_", StringComparison.Ordinal) ? name[(stack.Length + 1)..] : name,
                SwarmJson.Image(template) ?? string.Empty,
                replicas,
                state,
                message,
                started,
                previous,
                SwarmJson.Fingerprint(template)));
        }

        return list;
    }
}

/// <summary>A task of a service ('docker inspect --type task').</summary>
/// <param name="Id">The task ID.</param>
/// <param name="ServiceId">Its service.</param>
/// <param name="Slot">Its replica slot (0 for global services).</param>
/// <param name="NodeId">The node it was scheduled on.</param>
/// <param name="State">new, pending, assigned, accepted, preparing, starting, running, complete, shutdown, failed, rejected, remove, orphaned.</param>
/// <param name="DesiredState">running, shutdown, ...</param>
/// <param name="Error">Swarm's error for a failed or rejected task ("task: non-zero exit (137): dockerexec: unhealthy container").</param>
/// <param name="ContainerId">Its container, once created.</param>
/// <param name="Timestamp">When its state last changed (swarm's clock).</param>
/// <param name="Image">The image it runs.</param>
/// <param name="Fingerprint">The spec it runs, comparable with <see cref="ServiceState.Fingerprint"/>.</param>
public sealed record TaskState(string Id, string ServiceId, int Slot, string NodeId, string State, string DesiredState, string? Error, string? ContainerId, DateTimeOffset Timestamp, string Image, string Fingerprint)
{
    /// <summary>True for a task that ended badly.</summary>
    public bool HasFailed => State is "failed" or "rejected" or "orphaned";

    /// <summary>Parses the JSON array of <c>docker inspect --type task</c>.</summary>
    public static IReadOnlyList<TaskState> ParseInspect(string json)
    {
        using var document = JsonDocument.Parse(json);
        var list = new List<TaskState>();
        foreach (var t in document.RootElement.EnumerateArray())
        {
            var status = t.GetProperty("Status");
            var spec = t.GetProperty("Spec");
            string? container = status.TryGetProperty("ContainerStatus", out var cs) && cs.ValueKind == JsonValueKind.Object ? SwarmJson.Text(cs, "ContainerID") : null;
            list.Add(new TaskState(
                SwarmJson.Text(t, "ID") ?? string.Empty,
                SwarmJson.Text(t, "ServiceID") ?? string.Empty,
                t.TryGetProperty("Slot", out var slot) && slot.ValueKind == JsonValueKind.Number ? slot.GetInt32() : 0,
                SwarmJson.Text(t, "NodeID") ?? string.Empty,
                SwarmJson.Text(status, "State") ?? "unknown",
                SwarmJson.Text(t, "DesiredState") ?? "unknown",
                SwarmJson.Text(status, "Err"),
                string.IsNullOrEmpty(container) ? null : container,
                DateTimeOffset.TryParse(SwarmJson.Text(status, "Timestamp"), CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var ts) ? ts : DateTimeOffset.MinValue,
                SwarmJson.Image(spec) ?? string.Empty,
                SwarmJson.Fingerprint(spec)));
        }

        return list;
    }
}

/// <summary>The health of a task's container, from 'docker inspect' on the node that runs it.</summary>
/// <param name="Status">starting, healthy, unhealthy, or null without a health check.</param>
/// <param name="LastOutput">The last check's output.</param>
public sealed record ContainerHealth(string? Status, string LastOutput)
{
    /// <summary>Parses 'docker inspect --type container' output, by container ID.</summary>
    public static IReadOnlyDictionary<string, ContainerHealth> ParseInspect(string json)
    {
        var result = new Dictionary<string, ContainerHealth>(StringComparer.Ordinal);
        using var document = JsonDocument.Parse(json);
        foreach (var c in document.RootElement.EnumerateArray())
        {
            string id = SwarmJson.Text(c, "Id") ?? string.Empty;
            if (c.TryGetProperty("State", out var state) && state.TryGetProperty("Health", out var health) && health.ValueKind == JsonValueKind.Object)
            {
                string output = health.TryGetProperty("Log", out var log) && log.ValueKind == JsonValueKind.Array && log.GetArrayLength() > 0
                    ? SwarmJson.Text(log[log.GetArrayLength() - 1], "Output") ?? string.Empty
                    : string.Empty;
                result[id] = new ContainerHealth(SwarmJson.Text(health, "Status"), output);
            }
            else
            {
                result[id] = new ContainerHealth(null, string.Empty);
            }
        }

        return result;
    }
}

/// <summary>Reading swarm's JSON.</summary>
internal static class SwarmJson
{
    /// <summary>The parts of a task spec that make a task run a given version of its service.</summary>
    private static readonly string[] ContainerParts = ["Image", "Args", "Command", "Env", "Secrets", "Configs", "Healthcheck", "Mounts", "User", "Dir", "Hostname"];

    public static string? Text(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String ? value.GetString() : null;

    public static IReadOnlyDictionary<string, string> Labels(JsonElement spec)
        => spec.TryGetProperty("Labels", out var labels) && labels.ValueKind == JsonValueKind.Object
            ? labels.EnumerateObject().Where(l => l.Value.ValueKind == JsonValueKind.String).ToDictionary(l => l.Name, l => l.Value.GetString()!, StringComparer.Ordinal)
            : new Dictionary<string, string>();

    /// <summary>The image of a task template or task spec.</summary>
    public static string? Image(JsonElement taskSpec)
        => taskSpec.TryGetProperty("ContainerSpec", out var container) ? Text(container, "Image") : null;

    /// <summary>
    /// What identifies the version a task runs: the container spec's image, command, environment,
    /// secrets, health check and mounts, the placement and the force-update counter. The API returns
    /// no spec version on tasks, and the service and task specs differ in fields swarm fills in, so
    /// only these parts are compared.
    /// </summary>
    public static string Fingerprint(JsonElement taskSpec)
    {
        var sb = new StringBuilder();
        if (taskSpec.TryGetProperty("ContainerSpec", out var container))
        {
            foreach (string part in ContainerParts)
            {
                if (container.TryGetProperty(part, out var value))
                {
                    sb.Append(part).Append('=').Append(Canonical(value)).Append(';');
                }
            }
        }

        if (taskSpec.TryGetProperty("Placement", out var placement) && placement.TryGetProperty("Constraints", out var constraints))
        {
            sb.Append("Constraints=").Append(Canonical(constraints)).Append(';');
        }

        if (taskSpec.TryGetProperty("ForceUpdate", out var force))
        {
            sb.Append("ForceUpdate=").Append(force.GetRawText());
        }

        return sb.ToString();
    }

    /// <summary>The JSON without whitespace (the CLI indents by nesting depth), arrays of strings sorted (the environment's order carries no meaning).</summary>
    private static string Canonical(JsonElement value)
        => value.ValueKind == JsonValueKind.Array && value.EnumerateArray().All(e => e.ValueKind == JsonValueKind.String)
            ? string.Join('\u001f', value.EnumerateArray().Select(e => e.GetString()).Order(StringComparer.Ordinal))
            : JsonSerializer.Serialize(value);
}
