using Microsoft.Build.Framework;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;
using Sbir.Container.Registry;

namespace Sbir.Container.Tasks;

/// <summary>
/// Gives an image already in the registry new tags, by digest, without rebuilding or pulling layers
/// (DockerPromote); refuses when the source's digest is not the expected one.
/// </summary>
public sealed class PromoteImage : SbirTask
{
    /// <summary>The registry prefix (SbirContainerRegistry).</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>The image name (SbirContainerImageName).</summary>
    [Required] public string ImageName { get; set; } = string.Empty;

    /// <summary>The tag or digest to promote (SbirPromoteFrom).</summary>
    [Required] public string From { get; set; } = string.Empty;

    /// <summary>The new tags (SbirPromoteTo), for example staging, or prod.</summary>
    [Required] public string[] To { get; set; } = [];

    /// <summary>The digest the source must have (SbirExpectedDigest); empty accepts any.</summary>
    public string ExpectedDigest { get; set; } = string.Empty;

    /// <summary>Talk plain HTTP to the registry (SbirContainerRegistryInsecure); loopback hosts always do.</summary>
    public bool Insecure { get; set; }

    /// <summary>The promoted digest.</summary>
    [Output] public string Digest { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        if (string.IsNullOrWhiteSpace(Registry))
        {
            Diagnostics.Log(DiagnosticCatalog.RegistryNotSet.Create("DockerPromote"));
            return;
        }

        var reference = RegistryReference.Parse(ImageReference.Qualify(Registry, ImageName.Trim()));
        var credential = await new RegistryCredentials(ProcessRunner, Environment).GetAsync(reference.Host, CancellationToken).ConfigureAwait(false);
        Masker.Add(credential?.Secret);
        using var client = new RegistryClient(reference.Host, credential, Insecure || RegistryClient.IsLoopback(reference.Host));
        string from = From.Trim();
        var tags = To.Select(t => t.Trim()).Where(t => t.Length > 0).Distinct(StringComparer.Ordinal).ToList();
        var result = await ImagePromoter.PromoteAsync(client, reference.Repository, from, tags, string.IsNullOrWhiteSpace(ExpectedDigest) ? null : ExpectedDigest, CancellationToken).ConfigureAwait(false);
        LogDiagnostics(result.Diagnostics);
        if (result.Succeeded)
        {
            Digest = result.Digest!;
            Diagnostics.Message($"DockerPromote: {reference.Host}/{reference.Repository}:{from} ({result.Digest}) is now also {string.Join(", ", tags.Select(t => ":" + t))}; nothing was rebuilt or pulled.", MessageImportance.High);
        }
    }
}
