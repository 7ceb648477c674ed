namespace Sbir.Container.Core.Tests;

/// <summary>Locates the repository from the test binaries (artifacts/bin/...).</summary>
internal static class RepoPaths
{
    public static string Root { get; } = Find();

    public static string Sample => Path.Combine(Root, "samples", "sbir-etl");

    private static string Find()
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
