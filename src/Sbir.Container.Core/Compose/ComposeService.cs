using System.Text.Json;

namespace Sbir.Container.Compose;

/// <summary>A value of a service and where it was written (the file and JSON pointer of the last definition).</summary>
public sealed record ComposeValue(JsonElement Value, ComposeFile File, string Pointer);

/// <summary>A volume mount of a service, short or long syntax.</summary>
/// <param name="Type">bind, volume, tmpfs or npipe.</param>
/// <param name="Source">Host path or volume name, or null.</param>
/// <param name="Target">Path in the container.</param>
/// <param name="At">Where it was written.</param>
public sealed record ComposeMount(string Type, string? Source, string Target, ComposeValue At);

/// <summary>
/// A service as the files of one profile define it together: later files override keys of earlier
/// ones; environment merges by name, volumes by target, depends_on by service, as compose merges them.
/// </summary>
public sealed class ComposeService
{
    internal ComposeService(string name)
    {
        Name = name;
    }

    /// <summary>The service name.</summary>
    public string Name { get; }

    /// <summary>Every property by name, last definition wins.</summary>
    public Dictionary<string, ComposeValue> Properties { get; } = new(StringComparer.Ordinal);

    /// <summary>Environment variables by name (value null when only the name is given).</summary>
    public Dictionary<string, (string? Value, ComposeValue At)> Environment { get; } = new(StringComparer.Ordinal);

    /// <summary>Mounts by container target.</summary>
    public Dictionary<string, ComposeMount> Mounts { get; } = new(StringComparer.Ordinal);

    /// <summary>Dependencies by service, with their condition.</summary>
    public Dictionary<string, (string Condition, ComposeValue At)> DependsOn { get; } = new(StringComparer.Ordinal);

    /// <summary>The image after interpolation, or null.</summary>
    public string? Image => Properties.TryGetValue("image", out var v) && v.Value.ValueKind == JsonValueKind.String ? v.Value.GetString() : null;

    /// <summary>The compose profiles the service belongs to (empty: always started).</summary>
    public IReadOnlyList<string> ServiceProfiles => Properties.TryGetValue("profiles", out var v) && v.Value.ValueKind == JsonValueKind.Array
        ? v.Value.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList()
        : [];

    /// <summary>True when the service runs Neo4j: its image's repository names neo4j (the official image, a mirror, a stand-in).</summary>
    public bool IsNeo4j => Image is { } image && Build.ImageReference.RepositoryOf(image).Contains("neo4j", StringComparison.OrdinalIgnoreCase);

    /// <summary>True when the service runs <paramref name="program"/>: its name says so, or its command has it as a word.</summary>
    public bool Runs(string program) => Name.Contains(program, StringComparison.Ordinal) || Command.Contains(program);

    /// <summary>The command as words (list form, or a string split on spaces), or empty.</summary>
    public IReadOnlyList<string> Command => Words("command");

    /// <summary>The entrypoint as words, or empty.</summary>
    public IReadOnlyList<string> Entrypoint => Words("entrypoint");

    /// <summary>The health check, or null; a check with disable: true or test NONE counts as none.</summary>
    public ComposeValue? Healthcheck
    {
        get
        {
            if (!Properties.TryGetValue("healthcheck", out var hc) || hc.Value.ValueKind != JsonValueKind.Object)
            {
                return null;
            }

            if (hc.Value.TryGetProperty("disable", out var disable) && disable.ValueKind == JsonValueKind.True)
            {
                return null;
            }

            if (hc.Value.TryGetProperty("test", out var test) && test.ValueKind == JsonValueKind.Array && test.GetArrayLength() > 0 && test[0].GetString() == "NONE")
            {
                return null;
            }

            return hc;
        }
    }

    internal void Add(ComposeFile file, string pointer, JsonElement definition)
    {
        if (definition.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        foreach (var property in definition.EnumerateObject())
        {
            string at = pointer + "/" + Configuration.YamlJson.Escape(property.Name);
            var value = new ComposeValue(property.Value, file, at);
            switch (property.Name)
            {
                case "environment":
                    AddEnvironment(value);
                    break;
                case "volumes":
                    AddMounts(value);
                    break;
                case "depends_on":
                    AddDependencies(value);
                    break;
                case "healthcheck" when Properties.TryGetValue("healthcheck", out var earlier):
                    value = MergeHealthcheck(earlier, value);
                    break;
            }

            Properties[property.Name] = value;
        }
    }

    /// <summary>
    /// A later file's healthcheck over an earlier one, key by key, as compose merges them (compose/config/config.py,
    /// merge_healthchecks: the earlier keys updated by the later ones, unless the later one says disabled: true), so an
    /// overlay that only shortens the interval keeps the test. The merged check is placed where its test is written.
    /// </summary>
    private static ComposeValue MergeHealthcheck(ComposeValue earlier, ComposeValue later)
    {
        if (earlier.Value.ValueKind != JsonValueKind.Object || later.Value.ValueKind != JsonValueKind.Object
            || later.Value.TryGetProperty("disabled", out var disabled) && disabled.ValueKind == JsonValueKind.True)
        {
            return later;
        }

        var merged = new System.Text.Json.Nodes.JsonObject();
        foreach (var key in earlier.Value.EnumerateObject())
        {
            merged[key.Name] = System.Text.Json.Nodes.JsonNode.Parse(key.Value.GetRawText());
        }

        foreach (var key in later.Value.EnumerateObject())
        {
            merged[key.Name] = System.Text.Json.Nodes.JsonNode.Parse(key.Value.GetRawText());
        }

        var place = later.Value.TryGetProperty("test", out _) || !earlier.Value.TryGetProperty("test", out _) ? later : earlier;
        return place with { Value = JsonSerializer.SerializeToElement(merged) };
    }

    private void AddEnvironment(ComposeValue value)
    {
        if (value.Value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.Value.EnumerateObject())
            {
                string? text = p.Value.ValueKind switch
                {
                    JsonValueKind.Null => null,
                    JsonValueKind.String => p.Value.GetString(),
                    _ => p.Value.GetRawText(),
                };
                Environment[p.Name] = (text, value with { Pointer = value.Pointer + "/" + Configuration.YamlJson.Escape(p.Name) });
            }
        }
        else if (value.Value.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    string entry = item.GetString()!;
                    int eq = entry.IndexOf('=');
                    Environment[eq < 0 ? entry : entry[..eq]] = (eq < 0 ? null : entry[(eq + 1)..], value with { Pointer = value.Pointer + "/" + i });
                }

                i++;
            }
        }
    }

    private void AddMounts(ComposeValue value)
    {
        if (value.Value.ValueKind != JsonValueKind.Array)
        {
            return;
        }

        int i = 0;
        foreach (var item in value.Value.EnumerateArray())
        {
            var at = value with { Pointer = value.Pointer + "/" + i++ };
            ComposeMount? mount = null;
            if (item.ValueKind == JsonValueKind.String)
            {
                mount = ParseShortMount(item.GetString()!, at);
            }
            else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("target", out var target) && target.ValueKind == JsonValueKind.String)
            {
                string type = item.TryGetProperty("type", out var t) && t.ValueKind == JsonValueKind.String ? t.GetString()! : "volume";
                string? source = item.TryGetProperty("source", out var s) && s.ValueKind == JsonValueKind.String ? s.GetString() : null;
                mount = new ComposeMount(type, source, target.GetString()!, at);
            }

            if (mount is not null)
            {
                Mounts[mount.Target] = mount;
            }
        }
    }

    /// <summary>Parses "source:target[:mode]" (or an anonymous "target") as compose does.</summary>
    internal static ComposeMount? ParseShortMount(string text, ComposeValue at)
    {
        string[] parts = text.Split(':');
        if (parts.Length == 1)
        {
            return new ComposeMount("volume", null, parts[0], at);
        }

        string source = parts[0];
        string target = parts[1];
        bool isPath = source.StartsWith('.') || source.StartsWith('/') || source.StartsWith('~') || source.Contains('/') || source.Contains('\\');
        return new ComposeMount(isPath ? "bind" : "volume", source, target, at);
    }

    private void AddDependencies(ComposeValue value)
    {
        if (value.Value.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in value.Value.EnumerateArray())
            {
                if (item.ValueKind == JsonValueKind.String)
                {
                    DependsOn[item.GetString()!] = ("service_started", value with { Pointer = value.Pointer + "/" + i });
                }

                i++;
            }
        }
        else if (value.Value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.Value.EnumerateObject())
            {
                string condition = p.Value.ValueKind == JsonValueKind.Object && p.Value.TryGetProperty("condition", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString()! : "service_started";
                DependsOn[p.Name] = (condition, value with { Pointer = value.Pointer + "/" + Configuration.YamlJson.Escape(p.Name) });
            }
        }
    }

    private IReadOnlyList<string> Words(string property)
    {
        if (!Properties.TryGetValue(property, out var v))
        {
            return [];
        }

        return v.Value.ValueKind switch
        {
            JsonValueKind.Array => v.Value.EnumerateArray().Select(e => e.ValueKind == JsonValueKind.String ? e.GetString()! : e.GetRawText()).ToList(),
            JsonValueKind.String => v.Value.GetString()!.Split(' ', StringSplitOptions.RemoveEmptyEntries),
            _ => [],
        };
    }
}
