using System.Text.Json;
using System.Text.Json.Serialization;
using Sbir.Container.IO;

namespace Sbir.Container.Build;

/// <summary>
/// What the last successful build was made from, kept under obj/ to decide whether the next
/// DockerBuild may skip docker, and to say what changed when it may not.
/// </summary>
public sealed record BuildState
{
    /// <summary>Bumped whenever the meaning of the fields changes, so old states are ignored.</summary>
    public const int CurrentFormat = 1;

    /// <summary>Format of this state.</summary>
    public int Format { get; init; } = CurrentFormat;

    /// <summary>Hash of everything below.</summary>
    public string Fingerprint { get; init; } = string.Empty;

    /// <summary>Hashes of the non-file inputs, by name (dockerfile, arguments, targets, tags, labels, base images, builder).</summary>
    public Dictionary<string, string> Inputs { get; init; } = new(StringComparer.Ordinal);

    /// <summary>Content hash (with the exec bit) of every context file, by relative path (in ordinal order, as Inputs).</summary>
    public Dictionary<string, string> Files { get; init; } = new(StringComparer.Ordinal);

    /// <summary>The runtime image ID that was built.</summary>
    public string RuntimeImageId { get; init; } = string.Empty;

    /// <summary>The builder image ID that was built, or empty when no builder stage is built.</summary>
    public string BuilderImageId { get; init; } = string.Empty;

    /// <summary>Every tag given to the runtime image.</summary>
    public List<string> RuntimeTags { get; init; } = [];

    /// <summary>Every tag given to the builder image.</summary>
    public List<string> BuilderTags { get; init; } = [];

    /// <summary>
    /// The base images the Dockerfile's stages start from (outside the Dockerfile), as the build resolved them; null in
    /// a state written before the SDK kept them. A no-op check asks the engine about these without parsing the Dockerfile.
    /// </summary>
    public List<string>? BaseImages { get; init; }

    /// <summary>Reads a state file; null when missing, unreadable or of another format.</summary>
    public static BuildState? Read(string path)
        => IO.StateFile.Read(path, FromJson) is { Format: CurrentFormat } state ? state : null;

    /// <summary>The state in a parsed state file (the fields <see cref="Write"/> writes).</summary>
    internal static BuildState FromJson(JsonElement e) => new()
    {
        Format = e.Int(nameof(Format)),
        Fingerprint = e.String(nameof(Fingerprint)),
        Inputs = e.StringMap(nameof(Inputs)),
        Files = e.StringMap(nameof(Files)),
        RuntimeImageId = e.String(nameof(RuntimeImageId)),
        BuilderImageId = e.String(nameof(BuilderImageId)),
        RuntimeTags = e.List(nameof(RuntimeTags), t => t.GetString()!),
        BuilderTags = e.List(nameof(BuilderTags), t => t.GetString()!),
        BaseImages = e.TryGetProperty(nameof(BaseImages), out var bases) && bases.ValueKind == JsonValueKind.Array ? e.List(nameof(BaseImages), b => b.GetString()!) : null,
    };

    /// <summary>Writes the state atomically (temp file, then rename), so a Ctrl+C never leaves half a file.</summary>
    public void Write(string path) => IO.StateFile.Write(path, this, IO.StateJson.Default.BuildState);

    /// <summary>
    /// Says in a few words what differs from <paramref name="previous"/>: "Dockerfile changed",
    /// "3 context files changed (src/a.py, ...)". Empty when nothing differs.
    /// </summary>
    public IReadOnlyList<string> DescribeChanges(BuildState? previous)
    {
        if (previous is null)
        {
            return ["no earlier build is recorded"];
        }

        var reasons = new List<string>();
        foreach (var (name, hash) in Inputs)
        {
            if (!previous.Inputs.TryGetValue(name, out var old) || old != hash)
            {
                reasons.Add($"{name} changed");
            }
        }

        var changed = Files.Where(f => !previous.Files.TryGetValue(f.Key, out var h) || h != f.Value).Select(f => f.Key)
            .Concat(previous.Files.Keys.Where(k => !Files.ContainsKey(k)))
            .ToList();
        if (changed.Count > 0)
        {
            string sample = string.Join(", ", changed.Take(3)) + (changed.Count > 3 ? ", ..." : string.Empty);
            reasons.Add($"{changed.Count} context file{(changed.Count == 1 ? string.Empty : "s")} changed ({sample})");
        }

        return reasons;
    }
}
