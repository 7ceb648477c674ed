namespace Sbir.Container.Diagnostics;

// SBC6xxx: registries, push and promotion.
public static partial class DiagnosticCatalog
{
    /// <summary>DockerPush or DockerPromote without a registry.</summary>
    public static readonly DiagnosticDescriptor RegistryNotSet = new(
        "SBC6001", "No registry", DiagnosticSeverity.Error,
        "{0} needs a registry, but SbirContainerRegistry is empty (and config/docker.yaml sets no container.registry)",
        "Set it, for example -p:SbirContainerRegistry=ghcr.io/acme or container.registry: ghcr.io/acme.");

    /// <summary>The image to push is not in the local engine.</summary>
    public static readonly DiagnosticDescriptor PushImageMissing = new(
        "SBC6002", "Image to push missing", DiagnosticSeverity.Error,
        "The image '{0}' is not in the local engine, so it cannot be pushed",
        "Build it first (dotnet build -t:DockerBuild, or run DockerPush without SbirPushWithoutBuild=true).");

    /// <summary>The registry cannot be reached.</summary>
    public static readonly DiagnosticDescriptor RegistryUnreachable = new(
        "SBC6003", "Registry unreachable", DiagnosticSeverity.Error,
        "The registry {0} cannot be reached: {1}",
        "Check the host name and port in SbirContainerRegistry, the network and any proxy; 'curl -sI https://{0}/v2/' should answer (401 is fine).");

    /// <summary>The registry refused the credentials, or there are none.</summary>
    public static readonly DiagnosticDescriptor RegistryAuthenticationFailed = new(
        "SBC6004", "Registry authentication failed", DiagnosticSeverity.Error,
        "The registry {0} refused access to {1}: {2}",
        "Log in with the docker CLI, which keeps the credentials in its own store: 'docker login {0}' (in CI: echo \"$TOKEN\" | docker login {0} -u USER --password-stdin). The SDK never takes passwords through MSBuild properties.");

    /// <summary>The registry speaks HTTP where HTTPS was expected.</summary>
    public static readonly DiagnosticDescriptor RegistryInsecure = new(
        "SBC6005", "Registry without TLS", DiagnosticSeverity.Error,
        "The registry {0} answered over plain HTTP, but docker only talks HTTP to registries listed as insecure",
        "Serve the registry over TLS, or add it to \"insecure-registries\" in /etc/docker/daemon.json and restart dockerd (localhost and 127.0.0.0/8 are insecure by default).");

    /// <summary>The tag to promote is not in the registry.</summary>
    public static readonly DiagnosticDescriptor PromoteSourceMissing = new(
        "SBC6006", "Image to promote missing", DiagnosticSeverity.Error,
        "The registry {0} has no image {1}:{2}",
        "Push it first (dotnet build -t:DockerPush), or fix SbirPromoteFrom.");

    /// <summary>The tag to promote now points at another image than expected.</summary>
    public static readonly DiagnosticDescriptor PromoteDigestMismatch = new(
        "SBC6007", "Digest differs from the expected one", DiagnosticSeverity.Error,
        "{0}:{1} is {2}, not the expected {3}; promoting it would ship an image nobody tested",
        "Promote the digest that was tested (SbirExpectedDigest from the earlier stage's digest file), or re-run the pipeline for the new image.");

    /// <summary>docker push failed for another reason.</summary>
    public static readonly DiagnosticDescriptor PushFailed = new(
        "SBC6008", "Push failed", DiagnosticSeverity.Error,
        "Pushing {0} failed (exit code {1}):{2}",
        "Read docker's message above; run 'docker push {0}' by hand to see it whole.");

    /// <summary>The registry answered something unexpected.</summary>
    public static readonly DiagnosticDescriptor RegistryProtocolError = new(
        "SBC6009", "Unexpected registry answer", DiagnosticSeverity.Error,
        "The registry {0} answered {1} to {2}",
        "Check that {0} is a Docker/OCI distribution registry (API v2) and that the repository name is right.");

    /// <summary>The runtime image's package list could not be read.</summary>
    public static readonly DiagnosticDescriptor SbomUnavailable = new(
        "SBC6010", "Package list unavailable", DiagnosticSeverity.Warning,
        "The package list of {0} could not be read: {1}",
        "The image needs /bin/sh and python3 for the inventory; set SbirContainerGenerateSbom=false to skip it.");

    /// <summary>Two tags of one push got different digests: the local image changed while it was pushed.</summary>
    public static readonly DiagnosticDescriptor PushDigestsDiffer = new(
        "SBC6011", "Tags pushed with different digests", DiagnosticSeverity.Error,
        "Pushing {0}:{1} gave {2}, but the tags pushed before it got {3}",
        "Something rebuilt or retagged the local image during the push (another build at the same time?); run DockerPush again once nothing else builds this image.");

    /// <summary>docker push succeeded but printed no digest.</summary>
    public static readonly DiagnosticDescriptor PushPrintedNoDigest = new(
        "SBC6012", "No digest from docker push", DiagnosticSeverity.Error,
        "'docker push {0}' succeeded but printed no digest, so there is nothing to promote by",
        "Run 'docker push {0}' by hand to see what it prints; a registry that answers no digest cannot be used for promotion by digest.");
}
