namespace Sbir.Container.Swarm;

/// <summary>The plain-text tables of StackStatus: one row per service, then one per task that should run.</summary>
public static class StackTable
{
    /// <summary>Services: name, running/wanted replicas, image (by digest when pinned), last update, health.</summary>
    public static string Services(IReadOnlyList<ServiceState> services, IReadOnlyList<TaskState> tasks, IReadOnlyDictionary<string, ContainerHealth> health)
    {
        var rows = services.OrderBy(s => s.Service, StringComparer.Ordinal).Select(s =>
        {
            var running = tasks.Where(t => t.ServiceId == s.Id && t.DesiredState == "running" && t.State == "running").ToList();
            string replicas = $"{running.Count}/{(s.Replicas is { } n ? n.ToString(System.Globalization.CultureInfo.InvariantCulture) : "global")}";
            return new[] { s.Service, replicas, s.Image, s.UpdateState?.Replace('_', ' ') ?? "-", Health(running, health) };
        }).Prepend(["SERVICE", "REPLICAS", "IMAGE", "UPDATE", "HEALTH"]);
        return Format(rows.ToList());
    }

    /// <summary>Tasks that should run, and the newest failed one of each service: service.slot, node, state, health, error.</summary>
    public static string Tasks(IReadOnlyList<ServiceState> services, IReadOnlyList<TaskState> tasks, IReadOnlyDictionary<string, ContainerHealth> health)
    {
        var rows = new List<string[]> { new[] { "TASK", "NODE", "STATE", "HEALTH", "ERROR" } };
        foreach (var s in services.OrderBy(s => s.Service, StringComparer.Ordinal))
        {
            var mine = tasks.Where(t => t.ServiceId == s.Id).ToList();
            var shown = mine.Where(t => t.DesiredState == "running").OrderBy(t => t.Slot).ToList();
            if (mine.Where(t => t.HasFailed).OrderBy(t => t.Timestamp).LastOrDefault() is { } failed)
            {
                shown.Add(failed);
            }

            foreach (var t in shown)
            {
                string state = t.ContainerId is { } c && health.TryGetValue(c, out var h) && h.Status is { } hs ? hs : "-";
                rows.Add([$"{s.Service}.{t.Slot}", t.NodeId.Length > 12 ? t.NodeId[..12] : t.NodeId, t.State, state, t.Error ?? string.Empty]);
            }
        }

        return Format(rows);
    }

    private static string Health(IReadOnlyList<TaskState> running, IReadOnlyDictionary<string, ContainerHealth> health)
    {
        var states = running.Select(t => t.ContainerId is { } c && health.TryGetValue(c, out var h) ? h.Status ?? "no check" : "other node").Distinct().ToList();
        return states.Count == 0 ? "-" : string.Join(", ", states);
    }

    private static string Format(IReadOnlyList<string[]> rows)
    {
        int columns = rows[0].Length;
        int[] widths = Enumerable.Range(0, columns).Select(i => rows.Max(r => r[i].Length)).ToArray();
        return string.Join("\n", rows.Select(r => string.Join("  ", r.Select((cell, i) => i == columns - 1 ? cell : cell.PadRight(widths[i]))).TrimEnd()));
    }
}
