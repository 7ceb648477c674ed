namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>
/// The hardcoded secrets that line readers missed (found by hostile testing): a '$$' in compose, an anchor's literal
/// used through an alias, folded and literal block scalars, an escaped '\$' in a double-quoted shell assignment. The
/// rules now read the values the core's parsers produce, and still point at the characters in the file.
/// </summary>
public class BlindSpotTests
{
    [Fact]
    public void A_double_dollar_in_compose_is_a_literal_dollar()
    {
        var finding = SecretScan.Single("services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: neo4j/abc$$def123\n", "docker-compose.yml", "SBC2001", "abc$$def123");
        Assert.Equal(4, finding.Line);
        var result = SecretScan.Run("services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: neo4j/abc$$def123\n", "docker-compose.yml");
        Assert.Contains("abc$def123", result.DetectedValues);
    }

    [Theory]
    [InlineData("NEO4J_PASSWORD: $${NEO4J_PASSWORD}")]
    [InlineData("NEO4J_AUTH: neo4j/$${NEO4J_PASSWORD}")]
    [InlineData("NEO4J_AUTH: neo4j/$$NEO4J_PASSWORD")]
    public void A_reference_passed_to_the_container_is_still_clean(string entry)
        => SecretScan.None($"services:\n  neo4j:\n    environment:\n      {entry}\n", "docker-compose.yml");

    [Fact]
    public void An_anchor_literal_used_through_an_alias_is_reported_where_it_is_written()
    {
        const string Compose = "x-shared: &pw hunter2-anchored\nservices:\n  app:\n    environment:\n      NEO4J_PASSWORD: *pw\n";
        var finding = SecretScan.Single(Compose, "docker-compose.yml", "SBC2001", "hunter2-anchored");
        Assert.Equal(1, finding.Line);
        Assert.Contains("NEO4J_PASSWORD", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void An_alias_bomb_is_walked_once_per_node()
    {
        var yaml = new System.Text.StringBuilder("x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (int i = 0; i < 20; i++)
        {
            string p = i == 0 ? "a" : "b" + (i - 1);
            yaml.Append($"x-b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
        }

        yaml.Append("services:\n  app:\n    environment:\n      API_TOKEN: tok-after-the-bomb\n");
        var findings = Bounded.Run("an alias bomb", () => SecretScan.Findings(yaml.ToString(), "docker-compose.yml"));
        Assert.Equal("tok-after-the-bomb", Assert.Single(findings).Text);
    }

    [Theory]
    [InlineData(">-")]
    [InlineData(">")]
    [InlineData("|")]
    [InlineData("|-")]
    public void Block_scalars_hold_the_value_on_their_content_line(string indicator)
    {
        var finding = SecretScan.Single($"services:\n  app:\n    environment:\n      NEO4J_PASSWORD: {indicator}\n        folded-secret-value\n", "docker-compose.yml", "SBC2001", "folded-secret-value");
        Assert.Equal(5, finding.Line);
    }

    [Fact]
    public void A_multi_line_block_secret_is_one_finding_masked_line_by_line()
    {
        var result = SecretScan.Run("tls:\n  private_key: |\n    first-line-of-the-key\n    second-line-of-the-key\n", "config/app.yaml");
        var finding = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC2001", finding.Code);
        Assert.Equal(3, finding.Span.Line);
        Assert.Equal(4, finding.Span.EndLine);
        Assert.Contains("first-line-of-the-key\nsecond-line-of-the-key", result.DetectedValues);
    }

    [Fact]
    public void Quoted_yaml_values_are_read_without_their_quotes_and_escapes()
    {
        SecretScan.Single("db:\n  password: \"it''s \\\"quoted\\\"\"\n", "config/app.yaml", "SBC2001", "it''s \\\"quoted\\\"");
        SecretScan.Single("db:\n  password: 'it''s'\n", "config/app.yaml", "SBC2001", "it''s");
    }

    [Fact]
    public void Json_is_read_as_yaml()
        => Assert.Equal(3, SecretScan.Single("{\n  \"db\": {\n    \"password\": \"json-secret-1\"\n  }\n}\n", "config/app.json", "SBC2001", "json-secret-1").Line);

    [Fact]
    public void After_a_syntax_error_the_file_is_read_line_by_line()
    {
        var finding = SecretScan.Single("services:\n  app:\n    environment:\n      NEO4J_PASSWORD: fallback-secret\n    image: [unclosed\n", "docker-compose.yml", "SBC2001", "fallback-secret");
        Assert.Equal(4, finding.Line);
    }

    [Fact]
    public void An_escaped_dollar_in_a_double_quoted_shell_assignment_is_literal()
    {
        SecretScan.Single("#!/bin/sh\nNEO4J_PASSWORD=\"abc\\$def-secret\"\n", "scripts/docker/start.sh", "SBC2001", "abc\\$def-secret");
        SecretScan.None("#!/bin/sh\nNEO4J_PASSWORD=\"abc$def\"\n", "scripts/docker/start.sh");
    }
}
