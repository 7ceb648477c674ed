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

    /// <summary>
    /// Codes raised by targets and project files themselves (&lt;Error Code="SBC..."&gt;) are catalogue codes
    /// too, so that they are documented, and their text says the same as the catalogue's.
    /// </summary>
    [Fact]
    public void Codes_raised_by_targets_and_project_files_are_in_the_catalogue()
    {
        var files = Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "src"), "*.targets", SearchOption.AllDirectories)
            .Concat(Directory.EnumerateFiles(Path.Combine(RepoPaths.Root, "samples"), "*.proj", SearchOption.AllDirectories))
            .ToList();
        var raised = files
            .SelectMany(f => System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(f), "Code=\"(SBC\\d{4})\"\\s+File=\"[^\"]*\"\\s+Text=\"(?<text>[^\"]*)\"")
                .Select(m => (File: Path.GetFileName(f), Code: m.Groups[1].Value, Text: m.Groups["text"].Value)))
            .ToList();
        Assert.Contains(raised, r => r.Code == "SBC0042");
        Assert.All(raised, r =>
        {
            var descriptor = DiagnosticCatalog.All.SingleOrDefault(d => d.Code == r.Code);
            Assert.True(descriptor is not null, $"{r.File} raises {r.Code}, which the catalogue does not have");
            string start = descriptor!.MessageFormat.Split('{')[0];
            Assert.True(r.Text.StartsWith(start, StringComparison.Ordinal), $"{r.File}: {r.Code}'s text should start like the catalogue's: '{start}'");
        });
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
