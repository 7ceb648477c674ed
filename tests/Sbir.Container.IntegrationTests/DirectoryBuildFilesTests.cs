using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// A one-line project on the packed SDK picks up the nearest Directory.Build.props and
/// Directory.Build.targets above it, as projects on every MSBuild SDK do, and can opt out.
/// </summary>
public class DirectoryBuildFilesTests
{
    private static TestRepository WithDirectoryBuildFiles()
    {
        var repo = TestRepository.Create("app");
        // One level above the project, as a repository root would be.
        string root = Path.GetDirectoryName(repo.Path)!;
        File.WriteAllText(Path.Combine(root, "Directory.Build.props"), """
            <Project>
              <PropertyGroup><SharedImageName>from-directory-build-props</SharedImageName></PropertyGroup>
            </Project>
            """);
        File.WriteAllText(Path.Combine(root, "Directory.Build.targets"), """
            <Project>
              <Target Name="ShowShared">
                <Message Importance="high" Text="shared: [$(SharedImageName)] sdk: [$(UsingSbirContainerSdk)]" />
              </Target>
            </Project>
            """);
        return repo;
    }

    [Fact]
    public void Directory_build_props_and_targets_above_the_project_are_imported()
    {
        using var repo = WithDirectoryBuildFiles();
        var result = repo.MSBuild("-t:ShowShared").AssertSucceeded();
        Assert.Contains("shared: [from-directory-build-props] sdk: [true]", result.Output);
    }

    [Fact]
    public void ImportDirectoryBuildProps_false_skips_the_props()
    {
        using var repo = WithDirectoryBuildFiles();
        var result = repo.MSBuild("-t:ShowShared", "-p:ImportDirectoryBuildProps=false").AssertSucceeded();
        Assert.Contains("shared: [] sdk: [true]", result.Output);
    }
}
