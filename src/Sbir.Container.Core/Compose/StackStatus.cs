using System.Text.Json;

namespace Sbir.Container.Compose;

/// <summary>The state of one container of a compose project, as the engine reports it.</summary>
/// <param name="Id">Container ID.</param>
/// <param name="Name">Container name.</param>
/// <param name="Service">The compose service (label com.docker.compose.service).</param>
/// <param name="State">created, running, restarting, exited, dead, paused.</param>
/// <param name="Health">starting, healthy, unhealthy, or null when the container has no health check.</param>
/// <param name="ExitCode">The exit code, when exited.</param>
/// <param name="RestartCount">How often the engine restarted it.</param>
/// <param name="LastHealthOutput">The output of the last health check.</param>
/// <param name="Ports">Published ports, "0.0.0.0:3000->3000/tcp".</param>
/// <param name="OneOff">True for containers of 'compose run'.</param>
/// <param name="ReadySince">
/// When the engine last saw it become ready, by the engine's clock: the end of the first passing check
/// after the last failing one in the health log, or the start time of a running container without a
/// health check; null when unknown.
/// </param>
public sealed record ContainerStatus(string Id, string Name, string Service, string State, string? Health, int ExitCode, int RestartCount, string LastHealthOutput, IReadOnlyList<string> Ports, bool OneOff, DateTimeOffset? ReadySince = null)
{
    /// <summary>Ready: healthy, or running without a health check.</summary>
    public bool IsReady => State == "running" && (Health is null || Health == "healthy");

    /// <summary>Failed: unhealthy, exited, dead, or restarted by the engine.</summary>
    public bool IsFailed => Health == "unhealthy" || State is "exited" or "dead" || RestartCount > 0 || State == "restarting";

    /// <summary>Parses the output of 'docker inspect' for several containers.</summary>
    public static IReadOnlyList<ContainerStatus> ParseInspect(string json)
    {
        var list = new List<ContainerStatus>();
        using var document = JsonDocument.Parse(json);
        foreach (var c in document.RootElement.EnumerateArray())
        {
            var labels = c.TryGetProperty("Config", out var config) && config.TryGetProperty("Labels", out var l) && l.ValueKind == JsonValueKind.Object ? l : default;
            string Label(string name) => labels.ValueKind == JsonValueKind.Object && labels.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString()! : string.Empty;
            var state = c.GetProperty("State");
            string? health = null;
            string lastOutput = string.Empty;
            DateTimeOffset? readySince = null;
            if (state.TryGetProperty("Health", out var h) && h.ValueKind == JsonValueKind.Object)
            {
                health = h.GetProperty("Status").GetString();
                if (h.TryGetProperty("Log", out var log) && log.ValueKind == JsonValueKind.Array && log.GetArrayLength() > 0)
                {
                    lastOutput = log[log.GetArrayLength() - 1].GetProperty("Output").GetString() ?? string.Empty;
                    if (health == "healthy")
                    {
                        readySince = FirstPassSinceLastFailure(log);
                    }
                }
            }
            else if (state.TryGetProperty("Status", out var status) && status.GetString() == "running")
            {
                readySince = Timestamp(state, "StartedAt");
            }

            var ports = new List<string>();
            if (c.TryGetProperty("NetworkSettings", out var net) && net.TryGetProperty("Ports", out var p) && p.ValueKind == JsonValueKind.Object)
            {
                foreach (var port in p.EnumerateObject())
                {
                    if (port.Value.ValueKind == JsonValueKind.Array)
                    {
                        foreach (var binding in port.Value.EnumerateArray())
                        {
                            ports.Add($"{binding.GetProperty("HostIp").GetString()}:{binding.GetProperty("HostPort").GetString()}->{port.Name}");
                        }
                    }
                }
            }

            list.Add(new ContainerStatus(
                c.GetProperty("Id").GetString()!,
                c.GetProperty("Name").GetString()!.TrimStart('/'),
                Label("com.docker.compose.service"),
                state.GetProperty("Status").GetString() ?? "unknown",
                health,
                state.TryGetProperty("ExitCode", out var exit) ? exit.GetInt32() : 0,
                c.TryGetProperty("RestartCount", out var restarts) ? restarts.GetInt32() : 0,
                lastOutput,
                ports.Distinct().ToList(),
                Label("com.docker.compose.oneoff").Equals("True", StringComparison.OrdinalIgnoreCase),
                readySince));
        }

        return list;
    }

    // The health log keeps the last few checks; the turn to healthy is the first pass after the last
    // failure (or the oldest entry kept, when every kept check passed).
    private static DateTimeOffset? FirstPassSinceLastFailure(JsonElement log)
    {
        DateTimeOffset? since = null;
        foreach (var entry in log.EnumerateArray())
        {
            bool passed = entry.TryGetProperty("ExitCode", out var code) && code.ValueKind == JsonValueKind.Number && code.GetInt32() == 0;
            if (!passed)
            {
                since = null;
            }
            else
            {
                since ??= Timestamp(entry, "End");
            }
        }

        return since;
    }

    private static DateTimeOffset? Timestamp(JsonElement element, string name)
        => element.TryGetProperty(name, out var value) && value.ValueKind == JsonValueKind.String
           && DateTimeOffset.TryParse(value.GetString(), System.Globalization.CultureInfo.InvariantCulture, System.Globalization.DateTimeStyles.AssumeUniversal, out var t)
           && t.Year > 1 ? t : null;

    /// <summary>A plain-text table: service, state, health, ports.</summary>
    public static string Table(IEnumerable<ContainerStatus> containers)
    {
        var rows = containers.OrderBy(c => c.Service, StringComparer.Ordinal)
            .Select(c => new[] { c.Service, c.State + (c.State == "exited" ? $" ({c.ExitCode})" : string.Empty), c.Health ?? "-", c.Ports.Count == 0 ? "-" : string.Join(", ", c.Ports) })
            .Prepend(["SERVICE", "STATE", "HEALTH", "PORTS"])
            .ToList();
        int[] widths = Enumerable.Range(0, 4).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return string.Join("\n", rows.Select(r => string.Join("  ", r.Select((cell, i) => i == 3 ? cell : cell.PadRight(widths[i]))).TrimEnd()));
    }
}
