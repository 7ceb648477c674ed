namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>Rule 6, SBC2006: .env.example may hold placeholders, not values that look real.</summary>
public class ExampleFileRuleTests
{
    [Theory]
    [InlineData("NEO4J_PASSWORD=")]
    [InlineData("NEO4J_PASSWORD=change-me")]
    [InlineData("NEO4J_PASSWORD=changeme")]
    [InlineData("NEO4J_PASSWORD=change_me")]
    [InlineData("NEO4J_PASSWORD=CHANGE_ME_BEFORE_USE")]
    [InlineData("NEO4J_PASSWORD=<your neo4j password>")]
    [InlineData("NEO4J_PASSWORD=your-password")]
    [InlineData("NEO4J_PASSWORD=your_password_here")]
    [InlineData("NEO4J_PASSWORD=xxx")]
    [InlineData("NEO4J_PASSWORD=xxxx-xxxx-xxxx")]
    [InlineData("NEO4J_PASSWORD=example")]
    [InlineData("NEO4J_PASSWORD=example-password-for-docs-only")]
    [InlineData("NEO4J_PASSWORD=replace-me")]
    [InlineData("NEO4J_PASSWORD=...")]
    [InlineData("NEO4J_PASSWORD=password")]
    [InlineData("NEO4J_PASSWORD=secret")]
    [InlineData("NEO4J_AUTH=neo4j/change-me")]
    [InlineData("NEO4J_AUTH=none")]
    [InlineData("SBIR_ETL__NEO4J__PASSWORD=${NEO4J_PASSWORD}")]
    [InlineData("SBIR_ETL__NEO4J__URI=bolt://neo4j:7687")]
    [InlineData("NEO4J_USER=neo4j")]
    [InlineData("AWS_ACCESS_KEY_ID=AKIAIOSFODNN7EXAMPLE")]
    public void Placeholders_and_weak_values_are_fine(string line)
        => SecretScan.None(line + "\n", ".env.example", example: true);

    [Theory]
    [InlineData("NEO4J_PASSWORD=password123", "password123")]
    [InlineData("NEO4J_PASSWORD=Xk9#mQ2v!Lp4", "Xk9#mQ2v!Lp4")]
    [InlineData("NEO4J_PASSWORD=hunter2hunter2", "hunter2hunter2")]
    [InlineData("NEO4J_PASSWORD=correcthorsebatterystaple", "correcthorsebatterystaple")]
    [InlineData("NEO4J_AUTH=neo4j/Tr0ub4dor3xyz", "Tr0ub4dor3xyz")]
    [InlineData("API_TOKEN=\"q8ZrT2mVx9LwP4sN\"", "q8ZrT2mVx9LwP4sN")]
    public void Real_looking_values_are_findings(string line, string value)
    {
        var finding = SecretScan.Single(line + "\n", ".env.example", "SBC2006", value, example: true);
        Assert.Contains("change-me", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Provider_tokens_under_a_secret_name_are_example_findings_and_elsewhere_token_findings()
    {
        string token = "gh" + "p_" + new string('k', 12) + "Q7rT2mVx9LwP4sN3zYb8aCdE";
        var secretKey = SecretScan.Single($"GITHUB_TOKEN={token}\n", ".env.example", "SBC2006", token, example: true);
        Assert.Contains("GitHub token", secretKey.Message, StringComparison.Ordinal);
        SecretScan.Single($"SOME_SETTING={token}\n", ".env.example", "SBC2005", token, example: true);
    }

    [Fact]
    public void Example_files_are_recognised_by_name()
    {
        SecretScan.None("NEO4J_PASSWORD=change-me\n", "/repo/.env.example");
        SecretScan.Single("NEO4J_PASSWORD=password123\n", "/repo/.env.sample", "SBC2006", "password123");
        SecretScan.Single("NEO4J_PASSWORD=change-me\n", "/repo/.env", "SBC2001", "change-me");
    }

    [Fact]
    public void The_upstream_example_is_clean()
        => SecretScan.None("""
            # Neo4j
            NEO4J_USER=neo4j
            NEO4J_PASSWORD=change_me
            NEO4J_PLUGINS='["apoc"]'
            NEO4J_server_memory_pagecache_size=1G
            # SBIR_ETL__
            SBIR_ETL__NEO4J__BOLT_URL=bolt://neo4j:7687
            SBIR_ETL__NEO4J__USERNAME=${NEO4J_USER}
            SBIR_ETL__NEO4J__PASSWORD=${NEO4J_PASSWORD}
            ENABLE_DUCKDB_TOOLS=true
            """, ".env.example", example: true);
}
