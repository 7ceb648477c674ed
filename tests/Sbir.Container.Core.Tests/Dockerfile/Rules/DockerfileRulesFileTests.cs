using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>Whole files: the sample passes, the original project's Dockerfile fails where it should.</summary>
public class DockerfileRulesFileTests
{
    [Fact]
    public void The_sample_Dockerfile_passes_without_warnings_or_errors()
    {
        string path = Path.Combine(DockerfileRuleTesting.RepoRoot, "samples", "sbir-etl", "Dockerfile");
        var document = DockerfileParser.ParseFile(path);
        Assert.Empty(document.Diagnostics);

        foreach (var options in new[]
        {
            new DockerfileRuleOptions(),
            new DockerfileRuleOptions { RuntimeStage = "runtime", BuildArgs = new Dictionary<string, string> { ["BASE_IMAGE"] = "python:3.11-slim-bookworm" } },
        })
        {
            var findings = DockerfileRules.Check(document, options);
            Assert.True(findings.All(d => d.Severity == DiagnosticSeverity.Info), string.Join(Environment.NewLine, findings));
        }
    }

    [Fact]
    public void The_sample_fails_the_digest_rule_only_when_it_is_asked_for()
    {
        var document = DockerfileParser.ParseFile(Path.Combine(DockerfileRuleTesting.RepoRoot, "samples", "sbir-etl", "Dockerfile"));
        var findings = DockerfileRules.Check(document, new DockerfileRuleOptions { RequirePinnedDigest = true });
        Assert.Equal(["SBC3115", "SBC3115"], findings.Select(d => d.Code));
        Assert.All(findings, d => Assert.Contains("'${BASE_IMAGE}' (resolved to 'python:3.11-slim')", d.Message));
    }

    [Fact]
    public void The_original_projects_Dockerfile_fails_at_the_right_lines()
    {
        string path = Path.Combine(DockerfileRuleTesting.Fixtures, "upstream.Dockerfile");
        var document = DockerfileParser.ParseFile(path);
        Assert.Empty(document.Diagnostics);

        var findings = DockerfileRules.Check(document, new DockerfileRuleOptions { RuntimeStage = "runtime" });

        Assert.Equal(
            [
                (29, "SBC3120"), // COPY . /workspace/ before the dependency install (pip wheel -r) at line 31
                (59, "SBC3127"), // gosu downloaded with curl into /usr/local/bin, no checksum
                (70, "SBC3123"), // a separate RUN chown -R sbir:sbir /app duplicates /app
                (77, "SBC3104"), // the no-op HEALTHCHECK is in shell form
            ],
            findings.Select(d => (d.Span.Line, d.Code)));
        Assert.All(findings, d => Assert.Equal(path, d.File));

        var copy = findings[0];
        Assert.Equal(new SourceSpan(29, 6, 29, 6), copy.Span);
        Assert.Contains("'.' is copied before the dependency install at line 31", copy.Message);
        Assert.Contains("'/usr/local/bin/gosu'", findings[1].Message);
        Assert.Equal((59, 63), (findings[1].Span.Line, findings[1].Span.EndLine));
        Assert.Equal(new SourceSpan(70, 5, 70, 27), findings[2].Span);
    }
}
