namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>Rule 2, SBC2002: literal defaults of secret-named variables in ${VAR:-default} and ${VAR-default}.</summary>
public class LiteralDefaultRuleTests
{
    [Theory]
    [InlineData("services:\n  app:\n    environment:\n      - NEO4J_PASSWORD=${NEO4J_PASSWORD:-password}\n", "password")]
    [InlineData("services:\n  app:\n    environment:\n      NEO4J_PASSWORD: ${NEO4J_PASSWORD:-Sup3rS3cretPw}\n", "Sup3rS3cretPw")]
    [InlineData("services:\n  app:\n    environment:\n      DB_PASSWORD: ${DB_PASSWORD-pw}\n", "pw")]
    [InlineData("services:\n  app:\n    environment:\n      PW: \"${PGPASSWORD:-postgres}\"\n", "postgres")]
    [InlineData("services:\n  app:\n    environment:\n      NEO4J_AUTH: ${NEO4J_AUTH:-neo4j/test}\n", "test")]
    [InlineData("services:\n  app:\n    environment:\n      URL: x-${OTHER:-a}-${API_TOKEN:-t0k}\n", "t0k")]
    public void Compose_defaults(string compose, string value)
    {
        var finding = SecretScan.Single(compose, "docker-compose.yml", "SBC2002", value);
        Assert.Equal(Sbir.Container.Diagnostics.DiagnosticSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Nested_defaults_are_found_at_their_own_column()
    {
        const string Compose = "services:\n  neo4j:\n    environment:\n      - NEO4J_AUTH=${NEO4J_AUTH:-${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:-password}}\n";
        var finding = SecretScan.Single(Compose, "docker-compose.yml", "SBC2002", "password");
        Assert.Equal(4, finding.Line);
        Assert.Contains("NEO4J_PASSWORD has a literal default of 8 characters", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Auth_pair_built_from_defaults_reports_the_password_part()
    {
        const string Compose = "services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: ${NEO4J_USER:-neo4j}/${NEO4J_PASSWORD:-password}\n";
        SecretScan.Single(Compose, "docker-compose.yml", "SBC2002", "password");
    }

    [Fact]
    public void Literal_password_after_a_defaulted_user_is_a_hardcoded_auth()
    {
        const string Compose = "services:\n  neo4j:\n    environment:\n      NEO4J_AUTH: ${NEO4J_USER:-neo4j}/password123\n";
        SecretScan.Single(Compose, "docker-compose.yml", "SBC2001", "password123");
    }

    [Fact]
    public void Container_side_defaults_in_healthchecks_are_committed_too()
    {
        const string Compose = "services:\n  neo4j:\n    healthcheck:\n      test: [\"CMD-SHELL\", \"cypher-shell -u neo4j -p $${NEO4J_PASSWORD:-secret} 'RETURN 1'\"]\n";
        var finding = SecretScan.Single(Compose, "docker-compose.yml", "SBC2002", "secret");
        Assert.Contains("$${NEO4J_PASSWORD}", finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("FROM python:3.11\nENV NEO4J_PASSWORD=${NEO4J_PASSWORD:-password}\n", "Dockerfile", "password")]
    [InlineData("#!/bin/sh\npw=\"${NEO4J_PASSWORD:-password}\"\n", "scripts/a.sh", "password")]
    [InlineData("#!/bin/sh\n: \"${NEO4J_PASSWORD:=password}\"\n", "scripts/a.sh", "password")]
    [InlineData("#!/bin/sh\n: \"${API_TOKEN=abc}\"\n", "scripts/a.sh", "abc")]
    [InlineData("X=${NEO4J_PASSWORD:-password}\n", ".env", "password")]
    [InlineData("neo4j:\n  password: ${NEO4J_PASSWORD:-changeme}\n", "config/app.yaml", "changeme")]
    public void Defaults_in_every_kind_of_file(string text, string path, string value)
        => SecretScan.Single(text, path, "SBC2002", value);

    [Theory]
    [InlineData("NEO4J_HOST: ${NEO4J_HOST:-neo4j}")]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD:-}")]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD-}")]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD:-${FALLBACK_PASSWORD}}")]
    [InlineData("NEO4J_PASSWORD: ${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}")]
    [InlineData("NEO4J_AUTH: ${NEO4J_AUTH:-none}")]
    [InlineData("NEO4J_AUTH: ${NEO4J_AUTH:-neo4j/${NEO4J_PASSWORD:?required}}")]
    [InlineData("NEO4J_PASSWORD_FILE: ${NEO4J_PASSWORD_FILE:-/run/secrets/neo4j}")]
    [InlineData("SBIR_ETL__NEO4J__URI: ${SBIR_ETL__NEO4J__URI:-bolt://neo4j:7687}")]
    public void Clean_defaults(string entry)
        => SecretScan.None($"services:\n  app:\n    environment:\n      {entry}\n", "docker-compose.yml");

    [Fact]
    public void Defaults_in_comments_are_not_read()
        => SecretScan.None("services:\n  app:\n    # NEO4J_PASSWORD: ${NEO4J_PASSWORD:-password}\n    image: x\n", "docker-compose.yml");
}
