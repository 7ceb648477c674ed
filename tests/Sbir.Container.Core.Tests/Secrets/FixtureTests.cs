using System.Runtime.CompilerServices;
using Sbir.Container.Diagnostics;
using Sbir.Container.Secrets;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>The original project's compose file (rewritten from its description) and its clean counterpart.</summary>
public class FixtureTests
{
    // Found from this source file, so the tests run whatever --artifacts-path the build used.
    private static string Fixture(string name) => Path.Combine(Here(), "Fixtures", name);

    private static string Here([CallerFilePath] string file = "") => Path.GetDirectoryName(file)!;

    private static string Sample() => Path.GetFullPath(Path.Combine(Here(), "..", "..", "..", "samples", "sbir-etl"));

    [Fact]
    public void The_upstream_compose_file_fails_at_the_literal_NEO4J_AUTH()
    {
        string path = Fixture("upstream-docker-compose.yml");
        string text = File.ReadAllText(path);
        var result = SecretScanner.ScanFile(path, text, SecretScanOptions.Default);
        var findings = SecretScan.Read(text, result);
        string[] lines = text.Split('\n');
        int authLine = Array.FindIndex(lines, l => l.Trim() == "- NEO4J_AUTH=neo4j/password123") + 1;
        Assert.True(authLine > 0, "the fixture must keep the line '- NEO4J_AUTH=neo4j/password123'");

        var auth = Assert.Single(findings, f => f.Line == authLine);
        Assert.Equal("SBC2001", auth.Code);
        Assert.Equal(DiagnosticSeverity.Error, auth.Severity);
        Assert.Equal("password123", auth.Text);
        Assert.Equal(lines[authLine - 1].IndexOf("password123", StringComparison.Ordinal) + 1, auth.Column);
        Assert.Equal($"{path}({authLine},{auth.Column}): error SBC2001: NEO4J_AUTH is set to a literal password of 11 characters in the compose environment, so the secret is committed with the file. Write '- NEO4J_AUTH=neo4j/${{NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}}' instead, keep the real value in the untracked .env or a secret store, and rotate it if this file was ever pushed.", result.Diagnostics.Single(d => d.Span.Line == authLine).ToString());

        // Every other mistake of the file, each once, at its own value.
        int Line(string contains) => Array.FindIndex(lines, l => l.Contains(contains, StringComparison.Ordinal)) + 1;
        var expected = new (string Code, int Line, string Text)[]
        {
            ("SBC2001", authLine, "password123"),
            ("SBC2002", Line("-p ${NEO4J_PASSWORD:-password} 'RETURN 1'"), "password"),
            ("SBC2002", Line("NEO4J_AUTH=${NEO4J_AUTH:-${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:-password}}"), "password"),
            ("SBC2007", Line("test: cypher-shell -u neo4j -p ${NEO4J_PASSWORD} 'RETURN 1'"), "${NEO4J_PASSWORD}"),
            ("SBC2002", Line("NEO4J_AUTH: ${NEO4J_AUTH:-neo4j/test}"), "test"),
            ("SBC2004", Line("\"curl\", \"-u\", \"neo4j:test\""), "test"),
            ("SBC2002", Line("- NEO4J_PASSWORD=${NEO4J_PASSWORD:-password}"), "password"),
            ("SBC2002", lines.Select((l, i) => (l, i)).Where(x => x.l.Contains("- NEO4J_PASSWORD=${NEO4J_PASSWORD:-password}", StringComparison.Ordinal)).Last().i + 1, "password"),
            ("SBC2003", Line("bolt://neo4j:password123@neo4j:7687"), "password123"),
        };
        Assert.Equal(expected.OrderBy(e => e.Line), findings.Select(f => (f.Code, f.Line, f.Text)));
        Assert.Equal(new[] { "password123", "password", "test" }, result.DetectedValues);
    }

    [Fact]
    public void The_clean_compose_file_has_no_findings()
    {
        string path = Fixture("clean-docker-compose.yml");
        var result = SecretScanner.ScanFile(path, File.ReadAllText(path), SecretScanOptions.Default);
        Assert.Empty(result.Diagnostics);
        Assert.Empty(result.DetectedValues);
    }

    [Fact]
    public void The_sample_project_has_no_findings()
    {
        Assert.NotEmpty(SecretScanner.DiscoverFiles(Sample()));
        foreach (string file in SecretScanner.DiscoverFiles(Sample()))
        {
            var result = SecretScanner.ScanFile(file, File.ReadAllText(file), SecretScanOptions.Default);
            Assert.True(result.Diagnostics.Count == 0, file + ":\n" + string.Join('\n', result.Diagnostics));
        }
    }
}
