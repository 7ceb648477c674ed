namespace Sbir.Container.Build;

/// <summary>
/// The standard OCI annotations the SDK puts on images
/// (https://github.com/opencontainers/image-spec/blob/main/annotations.md).
/// </summary>
public static class OciLabels
{
    /// <summary>org.opencontainers.image.revision: the source control revision.</summary>
    public const string Revision = "org.opencontainers.image.revision";

    /// <summary>org.opencontainers.image.source: URL of the source repository.</summary>
    public const string Source = "org.opencontainers.image.source";

    /// <summary>org.opencontainers.image.created: RFC 3339 build time.</summary>
    public const string Created = "org.opencontainers.image.created";

    /// <summary>org.opencontainers.image.version: the version of the packaged software.</summary>
    public const string Version = "org.opencontainers.image.version";

    /// <summary>org.opencontainers.image.title: human-readable title.</summary>
    public const string Title = "org.opencontainers.image.title";

    /// <summary>org.opencontainers.image.description.</summary>
    public const string Description = "org.opencontainers.image.description";

    /// <summary>
    /// The build time for the created label: SOURCE_DATE_EPOCH when set (reproducible builds), else now.
    /// </summary>
    public static string CreatedTimestamp(string? sourceDateEpoch, DateTimeOffset now)
    {
        if (long.TryParse(sourceDateEpoch, out long seconds) && seconds >= 0)
        {
            now = DateTimeOffset.FromUnixTimeSeconds(seconds);
        }

        return now.UtcDateTime.ToString("yyyy-MM-ddTHH:mm:ssZ", System.Globalization.CultureInfo.InvariantCulture);
    }
}
