using System.Reflection;

namespace Sbir.Container.TestKit;

/// <summary>Where things are: the repository, the sample, the packed SDK.</summary>
public static class RepoPaths
{
    /// <summary>The repository root (the folder of sbir-container.sln).</summary>
    public static string Root { get; } = FindRoot();

    /// <summary>samples/sbir-etl.</summary>
    public static string Sample => Path.Combine(Root, "samples", "sbir-etl");

    /// <summary>The folder the SDK package was packed into when the TestKit was built.</summary>
    public static string Feed => Metadata("SbirTestFeed");

    /// <summary>The SDK's package version.</summary>
    public static string SdkVersion => Metadata("SbirSdkVersion");

    /// <summary>The packed SDK package (once it is complete: see <see cref="Ready"/>).</summary>
    public static string Package => PackagePath.Value;

    /// <summary>The packed 'dotnet new' templates (Sbir.Container.Templates), packed beside the SDK (once complete).</summary>
    public static string TemplatesPackage => TemplatesPackagePath.Value;

    private static readonly Lazy<string> PackagePath = new(() => Ready(Path.Combine(Feed, $"Sbir.Container.Sdk.{SdkVersion}.nupkg")));

    private static readonly Lazy<string> TemplatesPackagePath = new(() => Ready(Path.Combine(Feed, $"Sbir.Container.Templates.{SdkVersion}.nupkg")));

    /// <summary>
    /// <paramref name="path"/>, once it opens as a complete package. 'dotnet test' on the solution builds and runs its
    /// test projects in parallel, and a test project may start while the TestKit's pack (after the TestKit's build, in
    /// another build node) is still writing the feed: seen in CI, where the end-to-end tests started before the SDK
    /// package existed. After ten minutes without it the path is returned as it is, and the caller's check says what is missing.
    /// </summary>
    private static string Ready(string path)
    {
        var deadline = DateTime.UtcNow.AddMinutes(10);
        while (DateTime.UtcNow < deadline)
        {
            try
            {
                using var zip = System.IO.Compression.ZipFile.OpenRead(path);
                if (zip.Entries.Count > 0)
                {
                    return path;
                }
            }
            catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
            {
                // Not there yet, or still being written.
            }

            Thread.Sleep(TimeSpan.FromSeconds(1));
        }

        return path;
    }

    private static string Metadata(string key)
        => typeof(RepoPaths).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;

    private static string FindRoot()
    {
        string? recorded = typeof(RepoPaths).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
            .Cast<System.Reflection.AssemblyMetadataAttribute>().FirstOrDefault(a => a.Key == "SbirRepoRoot")?.Value;
        if (recorded is not null && File.Exists(Path.Combine(recorded, "sbir-container.sln")))
        {
            return Path.GetFullPath(recorded);
        }

        var dir = new DirectoryInfo(AppContext.BaseDirectory);
        while (dir is not null && !File.Exists(Path.Combine(dir.FullName, "sbir-container.sln")))
        {
            dir = dir.Parent;
        }

        return dir?.FullName ?? throw new InvalidOperationException("sbir-container.sln not found above " + AppContext.BaseDirectory);
    }
}
