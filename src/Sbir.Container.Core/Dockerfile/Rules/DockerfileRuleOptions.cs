namespace Sbir.Container.Dockerfile.Rules;

/// <summary>What <see cref="DockerfileRules.Check"/> needs to know about the build beyond the Dockerfile itself.</summary>
public sealed record DockerfileRuleOptions
{
    /// <summary>The stage the product is built from (<c>--target</c>); null, or a name no stage has, means the last stage.</summary>
    public string? RuntimeStage { get; init; }

    /// <summary>Build arguments given to the build; they override the defaults of the ARGs they name (for example BASE_IMAGE).</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>(StringComparer.Ordinal);

    /// <summary>The poetry.lock of the build context, for the Poetry pin rules (SBC3128, SBC3129); null when there is none.</summary>
    public Project.PoetryLock? PoetryLock { get; init; }

    /// <summary>Optional strict rule: every base image is pinned by an <c>@sha256:</c> digest (SBC3115).</summary>
    public bool RequirePinnedDigest { get; init; }
}
