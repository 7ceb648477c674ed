namespace Sbir.Container.Build;

/// <summary>
/// The fix part of SBC5103 (base image unavailable), chosen for the situation: a FROM line that
/// ignores SbirContainerBaseImage, a machine that reaches no registry (with a local image of the
/// same name when the engine has one), or a name or access problem.
/// </summary>
public static class BaseImageFix
{
    // What docker prints when the registry cannot be reached at all (DNS, routing, TLS, proxy), as
    // opposed to a registry that answered "not found" or "denied".
    private static readonly string[] UnreachableMarkers =
    [
        "dial tcp", "no such host", "connection refused", "i/o timeout", "network is unreachable",
        "TLS handshake timeout", "Temporary failure in name resolution", "server misbehaving",
        "Client.Timeout exceeded", "proxyconnect", "no route to host",
    ];

    /// <summary>What the fix depends on.</summary>
    /// <param name="Image">The image as the build resolved it.</param>
    /// <param name="Argument">The Dockerfile ARG that SbirContainerBaseImage feeds (SbirContainerBaseImageArg).</param>
    /// <param name="Setting">SbirContainerBaseImage (or container.baseImage), or null when neither is set.</param>
    /// <param name="FromIgnoresSetting">True when the failing FROM line does not take its image from <paramref name="Argument"/>.</param>
    /// <param name="RegistryUnreachable">True when docker could not reach the registry at all.</param>
    /// <param name="LocalAlternative">An image of the same name the engine has (local/python:3.11-slim for python:3.11-slim), or null.</param>
    public sealed record Situation(string Image, string Argument, string? Setting, bool FromIgnoresSetting, bool RegistryUnreachable, string? LocalAlternative);

    /// <summary>True when docker's message says that no registry answered.</summary>
    public static bool RegistryUnreachable(string message)
        => UnreachableMarkers.Any(m => message.Contains(m, StringComparison.OrdinalIgnoreCase));

    /// <summary>
    /// An image of the engine with the same name (the last path part of the repository) as
    /// <paramref name="image"/>: the same tag first, then any tag; null when there is none.
    /// </summary>
    public static string? SameNameLocal(string image, IEnumerable<string> localImages)
    {
        var (name, tag) = NameAndTag(ImageReference.WithoutDefaultRegistry(image));
        var candidates = localImages
            .Select(l => l.Trim())
            .Where(l => l.Length > 0 && !l.Contains("<none>", StringComparison.Ordinal) && ImageReference.WithoutDefaultRegistry(l) != ImageReference.WithoutDefaultRegistry(image))
            .Select(l => (Reference: l, Parts: NameAndTag(l)))
            .Where(c => c.Parts.Name == name)
            .ToList();
        return candidates.FirstOrDefault(c => c.Parts.Tag == tag).Reference ?? candidates.FirstOrDefault().Reference;
    }

    /// <summary>The fix text.</summary>
    public static string Describe(Situation s)
    {
        string variable = $"SbirContainerBaseImage (or container.baseImage in config/docker.yaml)";
        string declare = $"declare 'ARG {s.Argument}={s.Image}' before the first FROM and write 'FROM ${{{s.Argument}}}' on this line";
        if (s.FromIgnoresSetting && s.Setting is not null)
        {
            return $"This FROM line names its image itself, so SbirContainerBaseImage ('{s.Setting}') does not apply to it: {declare}, or change the image on this line.";
        }

        string where = s.RegistryUnreachable
            ? "No registry answered from this machine, so only images the engine already has can be used: "
              + (s.LocalAlternative is { } local
                  ? $"the engine has '{local}'; use it with -p:SbirContainerBaseImage={local} or {variable}"
                  : $"load the image into the engine ('docker save' where a registry answers, then 'docker load' here), or set {variable} to an image the engine has ('docker images')")
            : $"Check the name and your registry access ('docker pull {s.Image}'), or set {variable} to an image the engine has ('docker images')";
        return s.FromIgnoresSetting
            ? where + $". The variable applies only to a FROM line that uses it: {declare}."
            : where + ".";
    }

    private static (string Name, string Tag) NameAndTag(string reference)
    {
        string withoutDigest = reference.Split('@')[0];
        int slash = withoutDigest.LastIndexOf('/');
        int colon = withoutDigest.LastIndexOf(':');
        string repository = colon > slash ? withoutDigest[..colon] : withoutDigest;
        string tag = colon > slash ? withoutDigest[(colon + 1)..] : "latest";
        return (repository[(repository.LastIndexOf('/') + 1)..], tag);
    }
}
