namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>
/// Secret values in Dockerfile ARG and ENV: one finding per value, from the secret scan (the Dockerfile rules' SBC3121
/// and SBC3122 reported the same values a second time and are retired), never the value in a message.
/// </summary>
public class DockerfileValueTests
{
    private const string From = "FROM python:3.11-slim AS runtime\n";

    [Theory]
    [InlineData("ENV NEO4J_PASSWORD=password123", "SBC2001", "password123")]
    [InlineData("ENV GITHUB_TOKEN \"ghp_abcdefghijklmnop\"", "SBC2001", "ghp_abcdefghijklmnop")]
    [InlineData("ARG API_KEY=sk-live-123", "SBC2001", "sk-live-123")]
    [InlineData("ENV A=1 SECRET_KEY='s3cr3t value'", "SBC2001", "s3cr3t value")]
    [InlineData("ENV DB_PASSWORD=${DB_PASSWORD:-changeme}", "SBC2002", "changeme")]
    [InlineData("ENV NEO4J_AUTH=neo4j/password123", "SBC2001", "password123")]
    [InlineData("ENV SBIR_ETL__NEO4J_AUTH=neo4j/s3cret", "SBC2001", "s3cret")]
    [InlineData("ENV SBIR_ETL__NEO4J__URI=bolt://neo4j:password123@neo4j:7687", "SBC2003", "password123")]
    [InlineData("ARG INDEX_URL=https://user:pa55@pypi.example.com/simple", "SBC2003", "pa55")]
    public void A_secret_value_is_one_finding_at_the_value(string line, string code, string value)
    {
        var finding = SecretScan.Single(From + line + "\n", "Dockerfile", code, value);
        Assert.Equal(2, finding.Line);
        Assert.DoesNotContain(value, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("ARG NEO4J_PASSWORD")]
    [InlineData("ENV NEO4J_PASSWORD=${NEO4J_PASSWORD}")]
    [InlineData("ENV NEO4J_PASSWORD=$NEO4J_PASSWORD GITHUB_TOKEN=")]
    [InlineData("ENV NEO4J_PASSWORD_FILE=/run/secrets/neo4j_password")]
    [InlineData("ENV NEO4J_AUTH=none")]
    [InlineData("ENV AUTHOR=someone TOKENIZER_MODEL=bert")]
    [InlineData("ENV DATABASE_URL=postgresql://${PGUSER}:${PGPASSWORD}@db:5432/sbir")]
    [InlineData("ENV SBIR_ETL__NEO4J__URI=bolt://neo4j:7687")]
    public void References_empty_values_file_pointers_and_harmless_names_pass(string line)
        => SecretScan.None(From + line + "\n", "Dockerfile");

    [Fact]
    public void Names_the_environment_contract_marks_secret_count_too()
    {
        const string Dockerfile = From + "ENV SBIR_ETL__SAM_GOV_KEY=abc123\n";
        SecretScan.None(Dockerfile, "Dockerfile");
        SecretScan.Single(Dockerfile, "Dockerfile", "SBC2001", "abc123", secretVariables: "SBIR_ETL__SAM_GOV_KEY");
    }

    [Fact]
    public void Global_ARGs_are_checked()
        => Assert.Equal(1, SecretScan.Single("ARG PIP_INDEX_TOKEN=abc\n" + From, "Dockerfile", "SBC2001", "abc").Line);

    [Fact]
    public void A_value_on_a_continuation_line_is_found_at_its_line_and_column()
    {
        var finding = SecretScan.Single(From + "ENV A=1 \\\n    # a comment between the lines\n    API_TOKEN=tok123 \\\n    B=2\n", "Dockerfile", "SBC2001", "tok123");
        Assert.Equal(4, finding.Line);
    }

    [Fact]
    public void The_dockerfile_rules_leave_secret_values_to_the_secret_scan()
        => Assert.DoesNotContain(
            Sbir.Container.Dockerfile.Rules.DockerfileRules.Check(Sbir.Container.Dockerfile.DockerfileParser.Parse(From + "ENV NEO4J_PASSWORD=password123\nUSER 1000\n"), new()),
            d => d.Code is "SBC3121" or "SBC3122");
}
