using System.Globalization;
using System.Text.Json;
using Sbir.Container.Compose;
using Sbir.Container.Text;

namespace Sbir.Container.Swarm;

/// <summary>
/// The SDK's swarm defaults for one service, in one place: each applies only where the compose files
/// say nothing under <c>deploy:</c>. They are documented in docs/deployment/containerization.md
/// ("More than one host").
/// </summary>
public static class StackPolicy
{
    /// <summary>Docker's health-check defaults (the Dockerfile reference): interval 30 s, timeout 30 s, 3 retries.</summary>
    private static readonly TimeSpan DefaultInterval = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan DefaultTimeout = TimeSpan.FromSeconds(30);
    private const int DefaultRetries = 3;

    /// <summary>Docker's own monitor period, used for a service without a health check.</summary>
    public static readonly TimeSpan MonitorWithoutHealthcheck = TimeSpan.FromSeconds(5);

    /// <summary>
    /// How long swarm watches an updated task before it counts the update as good: about as long as a
    /// task that passed its first check needs to be declared unhealthy, its retries of failing checks
    /// (interval × retries) and the timeout of the last one. A task that never passes is caught anyway:
    /// swarm only reports a task running once it is healthy, and an update waits for that.
    /// </summary>
    public static TimeSpan Monitor(ComposeService service)
    {
        if (service.Healthcheck is not { } hc)
        {
            return MonitorWithoutHealthcheck;
        }

        TimeSpan interval = Duration(hc.Value, "interval") ?? DefaultInterval;
        TimeSpan timeout = Duration(hc.Value, "timeout") ?? DefaultTimeout;
        int retries = hc.Value.TryGetProperty("retries", out var r) && r.ValueKind == JsonValueKind.Number && r.TryGetInt32(out int n) && n > 0 ? n : DefaultRetries;
        return interval * retries + timeout;
    }

    /// <summary>
    /// start-first (the new task runs beside the old one until it is healthy) unless the service cannot
    /// run twice: Neo4j (one process per store: the second waits on the store lock), dagster-daemon
    /// (Dagster runs one daemon per instance), and services that publish ports on the node's own
    /// address (<paramref name="hostPorts"/>: the new task could not bind the port the old one holds).
    /// </summary>
    public static string UpdateOrder(ComposeService service, bool hostPorts)
        => service.IsNeo4j || service.Runs("dagster-daemon") || hostPorts ? "stop-first" : "start-first";

    /// <summary>The restart_policy condition for compose's <c>restart:</c> (none given: any, swarm's default), and its attempts.</summary>
    public static (string Condition, int? MaxAttempts) RestartPolicy(string? restart)
    {
        string value = (restart ?? string.Empty).Trim();
        if (value.StartsWith("on-failure", StringComparison.Ordinal))
        {
            int colon = value.IndexOf(':');
            return ("on-failure", colon > 0 && int.TryParse(value[(colon + 1)..], NumberStyles.None, CultureInfo.InvariantCulture, out int attempts) ? attempts : null);
        }

        return value switch
        {
            "no" or "none" => ("none", null),
            _ => ("any", null),
        };
    }

    /// <summary>
    /// True when the service must stay on one node: it keeps data in a volume that lives on one node
    /// (a named volume of the local driver, unless its options mount a network file system; an external
    /// volume, whose driver is not known; a bind mount of a host path), or it is Neo4j.
    /// </summary>
    public static bool IsNodeBound(ComposeService service, IReadOnlyDictionary<string, JsonElement> declaredVolumes)
        => service.IsNeo4j || service.Mounts.Values.Any(m => m.Type == "bind" || (m.Type == "volume" && m.Source is { } name && IsLocal(declaredVolumes.TryGetValue(name, out var d) ? d : default)));

    private static bool IsLocal(JsonElement definition)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            return true;
        }

        string driver = definition.TryGetProperty("driver", out var d) && d.ValueKind == JsonValueKind.String ? d.GetString()! : "local";
        if (driver != "local")
        {
            return false;
        }

        // The local driver with type nfs/cifs mounts a network share: every node sees the same data.
        return !(definition.TryGetProperty("driver_opts", out var opts) && opts.ValueKind == JsonValueKind.Object
                 && opts.TryGetProperty("type", out var type) && type.ValueKind == JsonValueKind.String
                 && type.GetString() is "nfs" or "nfs4" or "cifs");
    }

    internal static TimeSpan? Duration(JsonElement element, string name)
        => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String && DurationText.TryParse(value.GetString(), out var d) ? d : null;
}
