using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>Rule 7: gitleaks and detect-secrets pragmas turn a finding into a visible Info SBC2099.</summary>
public class SuppressionTests
{
    [Theory]
    [InlineData("neo4j:\n  password: change_me  # gitleaks:allow\n", "gitleaks:allow")]
    [InlineData("neo4j:\n  password: \"change_me\"  # pragma: allowlist secret\n", "pragma: allowlist secret")]
    [InlineData("neo4j:\n  # pragma: allowlist nextline secret\n  password: change_me\n", "pragma: allowlist nextline secret")]
    [InlineData("neo4j:\n  password: change_me  # trufflehog:ignore\n", "trufflehog:ignore")]
    public void Suppressed_findings_become_visible_info(string yaml, string pragma)
    {
        var result = SecretScan.Run(yaml, "config/docker.yaml");
        var diagnostic = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC2099", diagnostic.Code);
        Assert.Equal(DiagnosticSeverity.Info, diagnostic.Severity);
        Assert.Equal(yaml.Split('\n').ToList().FindIndex(l => l.Contains("password:", StringComparison.Ordinal)) + 1, diagnostic.Span.Line);
        Assert.Equal($"A SBC2001 finding (Hardcoded secret) on this line is suppressed by '{pragma}'. Nothing to do if the value is not a secret; if it is, remove the comment and fix the finding.", diagnostic.Message);
        Assert.Contains("change_me", result.DetectedValues);
    }

    [Fact]
    public void Each_rule_names_itself_when_suppressed()
    {
        var result = SecretScan.Run("""
            services:
              neo4j:
                environment:
                  - NEO4J_PASSWORD=${NEO4J_PASSWORD:-password} # gitleaks:allow
                  - NEO4J_URI=bolt://neo4j:pw@neo4j:7687 # pragma: allowlist secret
                healthcheck:
                  test: cypher-shell -p secret # gitleaks:allow
            """, "docker-compose.yml");
        Assert.All(result.Diagnostics, d => Assert.Equal("SBC2099", d.Code));
        Assert.Equal(new[] { "SBC2002", "SBC2003", "SBC2004" }, result.Diagnostics.Select(d => d.Message.Split(' ')[1]));
    }

    [Fact]
    public void A_pragma_covers_only_its_own_line()
    {
        var findings = SecretScan.Findings("neo4j:\n  # pragma: allowlist nextline secret\n  password: a1\n  token: b2\n  api_key: c3 # gitleaks:allow\n", "config/a.yaml");
        Assert.Equal(new[] { "SBC2099", "SBC2001", "SBC2099" }, findings.Select(f => f.Code));
    }

    [Fact]
    public void Unrelated_comments_do_not_suppress()
        => Assert.Equal("SBC2001", Assert.Single(SecretScan.Findings("password: a1 # allowlist, gitleaks, pragma\n", "config/a.yaml")).Code);
}
