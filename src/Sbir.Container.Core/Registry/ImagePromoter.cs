using Sbir.Container.Diagnostics;

namespace Sbir.Container.Registry;

/// <summary>What a promotion did.</summary>
public sealed record PromoteResult(IReadOnlyList<Diagnostic> Diagnostics, string? Digest, IReadOnlyList<string> Tags)
{
    /// <summary>True when every new tag points at the digest.</summary>
    public bool Succeeded => Digest is not null && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Promotes an image already in the registry: reads the manifest of the source tag (or digest),
/// refuses when its digest differs from the expected one, and puts the same manifest bytes under each
/// new tag. The registry then holds one image under several tags, with one digest; no layer is pulled
/// or pushed, nothing is rebuilt.
/// </summary>
public static class ImagePromoter
{
    /// <summary>Promotes <paramref name="repository"/>:<paramref name="from"/> to <paramref name="to"/>.</summary>
    public static async Task<PromoteResult> PromoteAsync(RegistryClient client, string repository, string from, IReadOnlyList<string> to, string? expectedDigest, CancellationToken cancellationToken = default)
    {
        from = SourceReference(from);
        var (manifest, failure) = await client.GetManifestAsync(repository, from, cancellationToken).ConfigureAwait(false);
        if (manifest is null)
        {
            return new PromoteResult([Describe(client.Host, repository, from, failure!)], null, []);
        }

        if (!string.IsNullOrWhiteSpace(expectedDigest) && !string.Equals(manifest.Digest, Normalize(expectedDigest!), StringComparison.OrdinalIgnoreCase))
        {
            return new PromoteResult([DiagnosticCatalog.PromoteDigestMismatch.Create($"{client.Host}/{repository}", from, manifest.Digest, Normalize(expectedDigest!))], null, []);
        }

        var tagged = new List<string>();
        foreach (string tag in to)
        {
            var (digest, putFailure) = await client.PutManifestAsync(repository, tag, manifest, cancellationToken).ConfigureAwait(false);
            if (digest is null)
            {
                return new PromoteResult([Describe(client.Host, repository, tag, putFailure!)], null, tagged);
            }

            if (!string.Equals(digest, manifest.Digest, StringComparison.OrdinalIgnoreCase))
            {
                return new PromoteResult([DiagnosticCatalog.PromoteDigestMismatch.Create($"{client.Host}/{repository}", tag, digest, manifest.Digest)], null, tagged);
            }

            tagged.Add(tag);
        }

        return new PromoteResult([], manifest.Digest, tagged);
    }

    /// <summary>
    /// The tag or digest to read: a tag as given; a digest also in the digest file's "repo@sha256:…"
    /// form, so that a rollback can pass the file's content as it is.
    /// </summary>
    public static string SourceReference(string from)
    {
        string f = from.Trim();
        return f.Contains('@', StringComparison.Ordinal) || f.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? Normalize(f) : f;
    }

    /// <summary>Accepts "sha256:…", "repo@sha256:…" (the digest file's form) or the bare hex.</summary>
    public static string Normalize(string digest)
    {
        string d = digest.Trim();
        int at = d.IndexOf('@');
        if (at >= 0)
        {
            d = d[(at + 1)..];
        }

        return d.StartsWith("sha256:", StringComparison.OrdinalIgnoreCase) ? d.ToLowerInvariant() : "sha256:" + d.ToLowerInvariant();
    }

    /// <summary>The coded error for a failed registry call.</summary>
    public static Diagnostic Describe(string host, string repository, string reference, RegistryFailure failure) => failure.Kind switch
    {
        RegistryFailureKind.Unreachable => DiagnosticCatalog.RegistryUnreachable.Create(host, failure.Message),
        RegistryFailureKind.Unauthorized => DiagnosticCatalog.RegistryAuthenticationFailed.Create(host, repository, failure.Message),
        RegistryFailureKind.NotFound => DiagnosticCatalog.PromoteSourceMissing.Create(host, repository, reference),
        RegistryFailureKind.Insecure => DiagnosticCatalog.RegistryInsecure.Create(host),
        _ => DiagnosticCatalog.RegistryProtocolError.Create(host, failure.Message, $"{repository}:{reference}"),
    };
}
