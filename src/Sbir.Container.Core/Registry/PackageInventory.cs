using System.Text.Json;
using Sbir.Container.Engine;

namespace Sbir.Container.Registry;

/// <summary>
/// A software bill of materials of an image, as CycloneDX 1.5 JSON: the Debian packages (dpkg, and files under
/// /var/lib/dpkg/status.d/ for packages copied in as single binaries, such as tini and gosu) and
/// the Python distributions (importlib.metadata, so no pip is needed) found by running the image once
/// with a shell entrypoint. Written next to the digest file, so a promoted digest comes with its inventory.
/// </summary>
public static class PackageInventory
{
    private const string Script =
        "dpkg-query -W -f='deb\\t${binary:Package}\\t${Version}\\n' 2>/dev/null; " +
        // Packages copied in as files, each described by its own dpkg status file (the distroless convention, which syft and trivy read too).
        "for f in /var/lib/dpkg/status.d/*; do [ -f \"$f\" ] && awk -F': ' '/^Package:/ { p = $2 } /^Version:/ { v = $2 } END { if (p != \"\") print \"deb\\t\" p \"\\t\" v }' \"$f\"; done 2>/dev/null; " +
        "python3 -c 'import importlib.metadata as m\nfor d in m.distributions():\n  print(\"pypi\\t%s\\t%s\" % (d.metadata[\"Name\"], d.version))' 2>/dev/null; true";

    /// <summary>Reads the packages of <paramref name="image"/>; null and a reason when the image cannot be run.</summary>
    public static async Task<(IReadOnlyList<(string Type, string Name, string Version)>? Packages, string? Problem)> ReadAsync(DockerCli docker, string image, CancellationToken cancellationToken = default)
    {
        var result = await docker.RunAsync(["run", "--rm", "--network", "none", "--entrypoint", "/bin/sh", image, "-c", Script], timeout: TimeSpan.FromMinutes(2), cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!result.Succeeded)
        {
            return (null, result.Tail(3));
        }

        var packages = result.StandardOutput
            .Select(l => l.Split('\t'))
            .Where(p => p.Length == 3 && p[1].Length > 0)
            .Select(p => (p[0], p[1], p[2]))
            .Distinct()
            .OrderBy(p => p.Item1, StringComparer.Ordinal).ThenBy(p => p.Item2, StringComparer.OrdinalIgnoreCase)
            .ToList();
        return packages.Count == 0 ? (null, "no dpkg or Python packages were found") : (packages, null);
    }

    /// <summary>Writes the CycloneDX document for <paramref name="imageReference"/>@<paramref name="digest"/>.</summary>
    public static void Write(string path, string imageReference, string? digest, IReadOnlyList<(string Type, string Name, string Version)> packages, DateTimeOffset now)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        using var stream = File.Create(path);
        using var writer = new Utf8JsonWriter(stream, new JsonWriterOptions { Indented = true });
        writer.WriteStartObject();
        writer.WriteString("bomFormat", "CycloneDX");
        writer.WriteString("specVersion", "1.5");
        writer.WriteNumber("version", 1);
        writer.WriteStartObject("metadata");
        writer.WriteString("timestamp", now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture));
        writer.WriteStartArray("tools");
        writer.WriteStartObject();
        writer.WriteString("name", "Sbir.Container.Sdk");
        writer.WriteEndObject();
        writer.WriteEndArray();
        writer.WriteStartObject("component");
        writer.WriteString("type", "container");
        writer.WriteString("name", imageReference);
        if (digest is not null)
        {
            writer.WriteString("version", digest);
        }

        writer.WriteEndObject();
        writer.WriteEndObject();
        writer.WriteStartArray("components");
        foreach (var (type, name, version) in packages)
        {
            writer.WriteStartObject();
            writer.WriteString("type", type == "deb" ? "application" : "library");
            writer.WriteString("name", name);
            writer.WriteString("version", version);
            writer.WriteString("purl", type == "deb"
                ? $"pkg:deb/debian/{Uri.EscapeDataString(name)}@{Uri.EscapeDataString(version)}"
                : $"pkg:pypi/{Uri.EscapeDataString(name.ToLowerInvariant())}@{Uri.EscapeDataString(version)}");
            writer.WriteEndObject();
        }

        writer.WriteEndArray();
        writer.WriteEndObject();
    }
}
