namespace Sbir.Container.Registry;

/// <summary>A repository split into the registry host and the path within it.</summary>
/// <param name="Host">host[:port]; docker.io for Docker Hub.</param>
/// <param name="Repository">The path (acme/sbir-etl; library/x for official Docker Hub images).</param>
public sealed record RegistryReference(string Host, string Repository)
{
    /// <summary>Splits "ghcr.io/acme/sbir-etl" or "127.0.0.1:5000/sbir-etl"; names without a host are Docker Hub's.</summary>
    public static RegistryReference Parse(string repository)
    {
        int slash = repository.IndexOf('/');
        if (slash > 0)
        {
            string first = repository[..slash];
            if (first.Contains('.') || first.Contains(':') || first == "localhost")
            {
                return new RegistryReference(first, repository[(slash + 1)..]);
            }
        }

        return new RegistryReference("docker.io", repository.Contains('/') ? repository : "library/" + repository);
    }
}
