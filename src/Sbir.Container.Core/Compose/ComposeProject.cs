using System.Text.Json;

namespace Sbir.Container.Compose;

/// <summary>The files of one profile merged as compose merges them: services, and the declared top-level names.</summary>
public sealed class ComposeProject
{
    private ComposeProject(string profile, IReadOnlyList<ComposeFile> files)
    {
        Profile = profile;
        Files = files;
    }

    /// <summary>The SBIR profile (dev, test, prod).</summary>
    public string Profile { get; }

    /// <summary>The files, in order.</summary>
    public IReadOnlyList<ComposeFile> Files { get; }

    /// <summary>The services by name.</summary>
    public Dictionary<string, ComposeService> Services { get; } = new(StringComparer.Ordinal);

    /// <summary>Declared top-level volumes, networks, secrets and configs, by kind ("volume", "network", ...).</summary>
    public Dictionary<string, HashSet<string>> Declared { get; } = new(StringComparer.Ordinal)
    {
        ["volume"] = new(StringComparer.Ordinal),
        ["network"] = new(StringComparer.Ordinal) { "default" },
        ["secret"] = new(StringComparer.Ordinal),
        ["config"] = new(StringComparer.Ordinal),
    };

    /// <summary>Merges <paramref name="files"/> (already loaded) for <paramref name="profile"/>.</summary>
    public static ComposeProject Merge(string profile, IReadOnlyList<ComposeFile> files)
    {
        var project = new ComposeProject(profile, files);
        foreach (var file in files)
        {
            if (file.Document is null || file.Document.Root.ValueKind != JsonValueKind.Object)
            {
                continue;
            }

            var services = file.Services;
            if (services.ValueKind == JsonValueKind.Object)
            {
                foreach (var service in services.EnumerateObject())
                {
                    if (!project.Services.TryGetValue(service.Name, out var merged))
                    {
                        project.Services[service.Name] = merged = new ComposeService(service.Name);
                    }

                    merged.Add(file, "/services/" + Configuration.YamlJson.Escape(service.Name), service.Value);
                }
            }

            foreach (var kind in new[] { "volume", "network", "secret", "config" })
            {
                if (file.Document.Root.TryGetProperty(kind + "s", out var declared) && declared.ValueKind == JsonValueKind.Object)
                {
                    foreach (var entry in declared.EnumerateObject())
                    {
                        project.Declared[kind].Add(entry.Name);
                    }
                }
            }
        }

        return project;
    }
}
