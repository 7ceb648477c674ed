using System.Text.RegularExpressions;

namespace Sbir.Container.Build;

/// <summary>
/// Checks image names and tags against docker's reference grammar, so that a bad name is a coded
/// error before docker runs rather than docker's "invalid reference format".
/// </summary>
public static partial class ImageReference
{
    /// <summary>Returns null when <paramref name="repository"/> is a valid repository (optionally with a registry host), else why not.</summary>
    public static string? ValidateRepository(string repository)
    {
        if (string.IsNullOrWhiteSpace(repository))
        {
            return "it is empty";
        }

        if (repository.Length > 255)
        {
            return "it is longer than 255 characters";
        }

        string[] parts = repository.Split('/');
        int start = 0;
        if (parts.Length > 1 && IsRegistryHost(parts[0]))
        {
            if (!RegistryHostPattern().IsMatch(parts[0]))
            {
                return $"'{parts[0]}' is not a valid registry host";
            }

            start = 1;
        }

        for (int i = start; i < parts.Length; i++)
        {
            if (parts[i].Length == 0)
            {
                return "it has an empty path component";
            }

            if (parts[i].Any(char.IsUpper))
            {
                return $"'{parts[i]}' has upper-case letters";
            }

            if (!PathComponentPattern().IsMatch(parts[i]))
            {
                return $"'{parts[i]}' has characters other than a-z, 0-9 and single separators";
            }
        }

        return null;
    }

    /// <summary>True when <paramref name="tag"/> is a valid tag.</summary>
    public static bool IsValidTag(string tag) => TagPattern().IsMatch(tag);

    /// <summary>The repository of a reference: <c>ghcr.io/acme/app</c> of <c>ghcr.io/acme/app:1.2</c>, <c>app@sha256:...</c> or <c>app:1.2@sha256:...</c>.</summary>
    public static string RepositoryOf(string reference)
    {
        string name = reference.Contains('@') ? reference[..reference.IndexOf('@')] : reference;
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[..colon] : name;
    }

    /// <summary>The tag of a reference, or null when it names none (a digest alone, or the implicit latest).</summary>
    public static string? TagOf(string reference)
    {
        string name = reference.Contains('@') ? reference[..reference.IndexOf('@')] : reference;
        int colon = name.LastIndexOf(':');
        return colon > name.LastIndexOf('/') ? name[(colon + 1)..] : null;
    }

    /// <summary>The digest of a reference (<c>sha256:...</c>), or null when it is not pinned.</summary>
    public static string? DigestOf(string reference)
        => reference.IndexOf('@') is int at and >= 0 && reference[(at + 1)..].StartsWith("sha256:", StringComparison.Ordinal) ? reference[(at + 1)..] : null;

    /// <summary>Joins a registry prefix (host, or host/namespace) and a repository name.</summary>
    public static string Qualify(string? registry, string repository)
    {
        if (string.IsNullOrWhiteSpace(registry))
        {
            return repository;
        }

        string prefix = registry.Trim().TrimEnd('/');
        return repository.StartsWith(prefix + "/", StringComparison.Ordinal) ? repository : prefix + "/" + repository;
    }

    /// <summary>
    /// The reference without docker's implied registry and namespace ('docker.io/library/python:3.11'
    /// is 'python:3.11'), as BuildKit prints a reference the Dockerfile wrote short.
    /// </summary>
    public static string WithoutDefaultRegistry(string reference)
    {
        string r = reference.Trim();
        foreach (string prefix in new[] { "docker.io/library/", "index.docker.io/library/", "docker.io/", "index.docker.io/" })
        {
            if (r.StartsWith(prefix, StringComparison.Ordinal))
            {
                return r[prefix.Length..];
            }
        }

        return r;
    }

    /// <summary>Makes a repository name from a project or folder name: lower case, invalid characters replaced.</summary>
    public static string FromProjectName(string name)
    {
        string lower = name.ToLowerInvariant();
        string cleaned = InvalidNameCharacters().Replace(lower, "-").Trim('-', '.', '_');
        cleaned = RepeatedSeparators().Replace(cleaned, "-");
        return cleaned.Length == 0 ? "app" : cleaned;
    }

    /// <summary>A registry host is a first component with a dot or a port, or "localhost".</summary>
    private static bool IsRegistryHost(string component)
        => component.Contains('.') || component.Contains(':') || component == "localhost";

    [GeneratedRegex(@"^[a-z0-9]+(?:(?:[._]|__|-+)[a-z0-9]+)*$")]
    private static partial Regex PathComponentPattern();

    [GeneratedRegex(@"^(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?)(?:\.(?:[a-zA-Z0-9](?:[a-zA-Z0-9-]*[a-zA-Z0-9])?))*(?::[0-9]+)?$")]
    private static partial Regex RegistryHostPattern();

    [GeneratedRegex(@"^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$")]
    private static partial Regex TagPattern();

    [GeneratedRegex(@"[^a-z0-9._-]+")]
    private static partial Regex InvalidNameCharacters();

    [GeneratedRegex(@"[-._]{2,}")]
    private static partial Regex RepeatedSeparators();
}
