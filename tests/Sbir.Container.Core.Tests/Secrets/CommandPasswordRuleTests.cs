using Sbir.Container.Diagnostics;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>Rule 4, SBC2004: literal passwords on command lines; SBC2007: host-side ${VAR} passwords in compose commands.</summary>
public class CommandPasswordRuleTests
{
    [Theory]
    [InlineData("test: [\"CMD-SHELL\", \"cypher-shell -u neo4j -p secret 'RETURN 1'\"]", "secret")]
    [InlineData("test: [\"CMD\", \"cypher-shell\", \"-u\", \"neo4j\", \"-p\", \"secret\", \"RETURN 1\"]", "secret")]
    [InlineData("test: [\"CMD\",\"cypher-shell\",\"-u\",\"neo4j\",\"--password\",\"secret\"]", "secret")]
    [InlineData("test: cypher-shell -u neo4j --password=secret 'RETURN 1'", "secret")]
    [InlineData("test: cypher-shell -u neo4j -psecret 'RETURN 1'", "secret")]
    [InlineData("test: /var/lib/neo4j/bin/cypher-shell -a bolt://localhost:7687 -u neo4j -p 'secret' 'RETURN 1'", "secret")]
    [InlineData("test: [\"CMD-SHELL\", \"curl -fsS -u neo4j:secret http://localhost:7474/\"]", "secret")]
    [InlineData("test: [\"CMD\", \"curl\", \"--user\", \"neo4j:secret\", \"http://localhost:7474/\"]", "secret")]
    [InlineData("test: [\"CMD-SHELL\", \"mysqladmin ping -h localhost -uroot -psecret\"]", "secret")]
    [InlineData("test: [\"CMD\", \"redis-cli\", \"-a\", \"secret\", \"ping\"]", "secret")]
    [InlineData("test: [\"CMD-SHELL\", \"mongosh -u root -p secret --eval 'db.runCommand({ping: 1})'\"]", "secret")]
    [InlineData("test: [\"CMD-SHELL\", \"wget --spider --http-password=secret http://localhost:7474\"]", "secret")]
    public void Compose_healthchecks_list_and_string_forms(string test, string password)
    {
        var finding = SecretScan.Single($"services:\n  neo4j:\n    healthcheck:\n      {test}\n      interval: 10s\n", "docker-compose.yml", "SBC2004", password);
        Assert.Equal(DiagnosticSeverity.Error, finding.Severity);
    }

    [Fact]
    public void Block_sequence_healthchecks()
        => SecretScan.Single("""
            services:
              neo4j:
                healthcheck:
                  test:
                    - CMD
                    - cypher-shell
                    - -u
                    - neo4j
                    - -p
                    - secret
                    - RETURN 1
            """, "docker-compose.yml", "SBC2004", "secret");

    [Fact]
    public void Folded_command_strings()
        => SecretScan.Single("""
            services:
              neo4j:
                healthcheck:
                  test: >
                    cypher-shell -u neo4j
                    -p secret 'RETURN 1' || exit 1
            """, "docker-compose.yml", "SBC2004", "secret");

    [Theory]
    [InlineData("FROM neo4j:5\nHEALTHCHECK --interval=10s CMD cypher-shell -u neo4j -p secret 'RETURN 1'\n", "secret")]
    [InlineData("FROM neo4j:5\nHEALTHCHECK CMD [\"cypher-shell\", \"-u\", \"neo4j\", \"-p\", \"secret\", \"RETURN 1\"]\n", "secret")]
    [InlineData("FROM neo4j:5\nRUN neo4j-admin dbms set-initial-password secret\n", "secret")]
    [InlineData("FROM x\nRUN echo hi && \\\n    cypher-shell -u neo4j \\\n      -p secret 'RETURN 1'\n", "secret")]
    [InlineData("FROM x\nRUN <<EOF\ncypher-shell -u neo4j -p secret 'RETURN 1'\nEOF\n", "secret")]
    [InlineData("FROM x\nRUN docker login -u me -p secret registry.example.org\n", "secret")]
    public void Dockerfile_run_and_healthcheck(string dockerfile, string password)
        => SecretScan.Single(dockerfile, "Dockerfile", "SBC2004", password);

    [Theory]
    [InlineData("#!/bin/sh\ncypher-shell -u neo4j -p secret 'RETURN 1'\n", "secret")]
    [InlineData("#!/bin/sh\nexec gosu neo4j cypher-shell -u neo4j --password secret\n", "secret")]
    [InlineData("#!/bin/sh\nsshpass -p secret ssh host\n", "secret")]
    [InlineData("#!/bin/sh\nmysql -uroot -psecret db < dump.sql\n", "secret")]
    [InlineData("#!/bin/sh\nmyapp --db-password hunter2 --verbose\n", "hunter2")]
    [InlineData("#!/bin/sh\nmyapp --api-key=k123\n", "k123")]
    [InlineData("#!/bin/sh\nsh -c \"cypher-shell -u neo4j -p secret 'RETURN 1'\"\n", "secret")]
    [InlineData("#!/bin/sh\ncurl -u admin:secret https://example.org\n", "secret")]
    public void Scripts(string script, string password)
        => SecretScan.Single(script, "scripts/check.sh", "SBC2004", password);

    [Theory]
    [InlineData("#!/bin/sh\ncypher-shell -u neo4j -p \"$NEO4J_PASSWORD\" 'RETURN 1'\n")]
    [InlineData("#!/bin/sh\ncypher-shell -u neo4j -p$pw 'RETURN 1'\n")]
    [InlineData("#!/bin/sh\ncypher-shell -u neo4j -p \"${NEO4J_PASSWORD:?}\" 'RETURN 1'\n")]
    [InlineData("#!/bin/sh\ncypher-shell -u neo4j -p \"$(cat /run/secrets/neo4j)\" 'RETURN 1'\n")]
    [InlineData("#!/bin/sh\npsql -h db -p 5432 -U app\n")]
    [InlineData("#!/bin/sh\nmysql -u root -p appdb\n")]
    [InlineData("#!/bin/sh\npsql --password appdb\n")]
    [InlineData("#!/bin/sh\ndocker run -p 8080:80 nginx\n")]
    [InlineData("#!/bin/sh\ndagster-webserver -h 0.0.0.0 -p 3000\n")]
    [InlineData("#!/bin/sh\nread -p 'Password: ' pw\n")]
    [InlineData("#!/bin/sh\necho \"$TOKEN\" | docker login -u me --password-stdin ghcr.io\n")]
    [InlineData("#!/bin/sh\ncurl -u admin https://example.org\n")]
    [InlineData("#!/bin/sh\ncurl -u \"admin:$ADMIN_PASSWORD\" https://example.org\n")]
    [InlineData("#!/bin/sh\nmyapp --password\n")]
    [InlineData("#!/bin/sh\nmyapp --password-file /run/secrets/pw\n")]
    public void Clean_commands(string script)
        => SecretScan.None(script, "scripts/check.sh");

    [Fact]
    public void Container_side_expansion_is_the_clean_compose_form()
        => SecretScan.None("""
            services:
              neo4j:
                environment:
                  NEO4J_AUTH: neo4j/${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}
                  SBIR_HEALTH_PASSWORD: ${NEO4J_PASSWORD:?set NEO4J_PASSWORD in .env}
                healthcheck:
                  test: ["CMD-SHELL", "cypher-shell -u neo4j -p \"$${SBIR_HEALTH_PASSWORD}\" 'RETURN 1'"]
              web:
                healthcheck:
                  test: ["CMD-SHELL", "curl -fsS -u neo4j:$${NEO4J_PASSWORD} http://neo4j:7474/"]
            """, "docker-compose.yml");

    [Theory]
    [InlineData("test: [\"CMD-SHELL\", \"cypher-shell -u neo4j -p ${NEO4J_PASSWORD} 'RETURN 1'\"]", "${NEO4J_PASSWORD}")]
    [InlineData("test: cypher-shell -u neo4j -p $NEO4J_PASSWORD 'RETURN 1'", "$NEO4J_PASSWORD")]
    [InlineData("test: [\"CMD\", \"cypher-shell\", \"-p\", \"${NEO4J_PASSWORD:?required}\"]", "${NEO4J_PASSWORD:?required}")]
    [InlineData("test: [\"CMD-SHELL\", \"curl -u neo4j:${NEO4J_PASSWORD} http://localhost:7474\"]", "${NEO4J_PASSWORD}")]
    public void Host_interpolated_passwords_in_compose_commands_are_warnings(string test, string reference)
    {
        var finding = SecretScan.Single($"services:\n  neo4j:\n    healthcheck:\n      {test}\n", "docker-compose.yml", "SBC2007", reference);
        Assert.Equal(DiagnosticSeverity.Warning, finding.Severity);
        Assert.Contains("$${NEO4J_PASSWORD}", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Host_interpolation_is_fine_outside_commands()
        => SecretScan.None("services:\n  app:\n    environment:\n      - NEO4J_PASSWORD=${NEO4J_PASSWORD}\n      - CMD_LINE=run --password ${NEO4J_PASSWORD}\n", "docker-compose.yml");

    [Fact]
    public void Host_interpolated_default_is_the_literal_default_finding()
    {
        var finding = SecretScan.Single("services:\n  neo4j:\n    healthcheck:\n      test: cypher-shell -p ${NEO4J_PASSWORD:-password} 'RETURN 1'\n", "docker-compose.yml", "SBC2002", "password");
        Assert.Equal(4, finding.Line);
    }

    [Fact]
    public void Fixes_name_the_safe_form_for_each_program()
    {
        static string Message(string script) => SecretScan.Findings(script, "scripts/a.sh").Single().Message;
        Assert.Contains("cypher-shell reads NEO4J_USERNAME and NEO4J_PASSWORD", Message("#!/bin/sh\ncypher-shell -p secret\n"), StringComparison.Ordinal);
        Assert.Contains("MYSQL_PWD", Message("#!/bin/sh\nmysql -psecret\n"), StringComparison.Ordinal);
        Assert.Contains("REDISCLI_AUTH", Message("#!/bin/sh\nredis-cli -a secret ping\n"), StringComparison.Ordinal);
        Assert.Contains("--password-stdin", Message("#!/bin/sh\ndocker login -p secret\n"), StringComparison.Ordinal);
        Assert.Contains("SSHPASS", Message("#!/bin/sh\nsshpass -p secret ssh h\n"), StringComparison.Ordinal);
    }
}
