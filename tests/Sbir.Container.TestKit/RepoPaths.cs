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

    /// <summary>The packed SDK package.</summary>
    public static string Package => Path.Combine(Feed, $"Sbir.Container.Sdk.{SdkVersion}.nupkg");

    /// <summary>The packed 'dotnet new' templates (Sbir.Container.Templates), packed beside the SDK.</summary>
    public static string TemplatesPackage => Path.Combine(Feed, $"Sbir.Container.Templates.{SdkVersion}.nupkg");

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
