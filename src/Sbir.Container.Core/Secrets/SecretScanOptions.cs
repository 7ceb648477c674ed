namespace Sbir.Container.Secrets;

/// <summary>What the secret scanner should know beyond the file itself.</summary>
public sealed record SecretScanOptions
{
    /// <summary>The default options: no extra secret names, not an example file.</summary>
    public static SecretScanOptions Default { get; } = new();

    /// <summary>
    /// Names the environment contract marks secret (config/docker.yaml), checked in addition to the names that look
    /// secret by themselves (*_PASSWORD, *_TOKEN, NEO4J_AUTH, password:, ...). Compared case-insensitively.
    /// </summary>
    public IReadOnlySet<string> SecretVariables { get; init; } = new HashSet<string>(StringComparer.OrdinalIgnoreCase);

    /// <summary>
    /// True for .env.example and its kind: placeholders (empty, change-me, &lt;password&gt;, your-..., xxx, ...) are
    /// fine there, and a real-looking value for a secret-named key is reported as SBC2006. Files named *.example,
    /// *.sample, *.template and *.dist are treated as example files even when this is false.
    /// </summary>
    public bool IsExampleFile { get; init; }

    /// <summary>
    /// The project's known secret values (.env, the environment, earlier findings): one written literally in the file
    /// is SBC2009, wherever it is and whatever the key.
    /// </summary>
    public SecretValueSet? KnownSecrets { get; init; }

    /// <summary>
    /// For a file the image will contain: the instruction that copies it ("COPY on line 86 of the Dockerfile"), added to
    /// every finding, since the secret then ships to everyone who can pull the image. Null for other files.
    /// </summary>
    public string? CopiedInto { get; init; }
}
