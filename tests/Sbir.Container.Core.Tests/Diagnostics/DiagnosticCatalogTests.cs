using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Diagnostics;

public class DiagnosticCatalogTests
{
    [Fact]
    public void Codes_are_unique_and_well_formed()
    {
        var codes = DiagnosticCatalog.All.Select(d => d.Code).ToList();
        Assert.NotEmpty(codes);
        Assert.Equal(codes.Count, codes.Distinct().Count());
        Assert.All(codes, c => Assert.Matches(@"^SBC\d{4}$", c));
    }

    [Fact]
    public void Every_message_ends_with_a_fix()
    {
        Assert.All(DiagnosticCatalog.All, d =>
        {
            Assert.False(string.IsNullOrWhiteSpace(d.FixFormat), $"{d.Code} has no fix");
            Assert.False(string.IsNullOrWhiteSpace(d.Title), $"{d.Code} has no title");
        });
    }

    /// <summary>
    /// docs/reference/diagnostics.md is generated from the catalogue, so the two cannot drift.
    /// Regenerate it with: SBIR_UPDATE_DOCS=1 dotnet test tests/Sbir.Container.Core.Tests
    /// </summary>
    [Fact]
    public void The_diagnostics_reference_matches_the_catalogue()
    {
        string path = Path.Combine(RepoPaths.Root, "docs", "reference", "diagnostics.md");
        string expected = DiagnosticsDocument.Generate();
        if (Environment.GetEnvironmentVariable("SBIR_UPDATE_DOCS") == "1")
        {
            Directory.CreateDirectory(Path.GetDirectoryName(path)!);
            File.WriteAllText(path, expected);
        }

        string actual = File.Exists(path) ? File.ReadAllText(path) : string.Empty;
        Assert.True(expected == actual, "docs/reference/diagnostics.md is out of date: run SBIR_UPDATE_DOCS=1 dotnet test tests/Sbir.Container.Core.Tests");
    }

    [Fact]
    public void Diagnostic_prints_in_the_canonical_MSBuild_form()
    {
        var d = DiagnosticCatalog.DockerfileNotFound.Create("/src/app/Dockerfile", SourceSpan.OnLine(12, 3), "/src/app/Dockerfile");
        Assert.Equal("/src/app/Dockerfile(12,3): error SBC0012: The Dockerfile '/src/app/Dockerfile' does not exist. Create it, or set SbirDockerfile to its path (relative to the project directory).", d.ToString());
    }

    [Fact]
    public void Format_keeps_braces_in_arguments()
    {
        var d = DiagnosticCatalog.InvalidImageName.Create("{weird}", "it has {braces}");
        Assert.Contains("'{weird}'", d.Message);
        Assert.Contains("{braces}", d.Message);
    }
}
