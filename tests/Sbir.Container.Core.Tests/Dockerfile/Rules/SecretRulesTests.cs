using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile.Rules;
using static Sbir.Container.Core.Tests.Dockerfile.Rules.DockerfileRuleTesting;

namespace Sbir.Container.Core.Tests.Dockerfile.Rules;

/// <summary>SBC3121 and SBC3122: secret values in ARG and ENV, never the values in messages.</summary>
public class SecretRulesTests
{
    private static List<Diagnostic> InFinal(string line, DockerfileRuleOptions? options = null)
        => Check(GoodFinalStage + "\n" + line + "\n", options).ToList();

    [Theory]
    [InlineData("ENV NEO4J_PASSWORD=password123", "ENV", "NEO4J_PASSWORD", 11)]
    [InlineData("ENV GITHUB_TOKEN \"ghp_abcdefghijklmnop\"", "ENV", "GITHUB_TOKEN", 20)]
    [InlineData("ARG API_KEY=sk-live-123", "ARG", "API_KEY", 11)]
    [InlineData("ENV A=1 SECRET_KEY='s3cr3t value'", "ENV", "SECRET_KEY", 12)]
    [InlineData("ENV DB_PASSWORD=${DB_PASSWORD:-changeme}", "ENV", "DB_PASSWORD", 24)]
    public void A_secret_name_with_a_literal_value_fails_without_showing_the_value(string line, string keyword, string name, int length)
    {
        var d = InFinal(line).Single();
        Assert.Equal("SBC3121", d.Code);
        Assert.Equal(DiagnosticSeverity.Error, d.Severity);
        Assert.Equal("DL3064", d.Descriptor.HelpId);
        Assert.StartsWith($"{keyword} {name} has a literal value of {length} characters", d.Message);
        Assert.Contains("(hadolint DL3064)", d.Message);
        int at = line.IndexOf(name, StringComparison.Ordinal) + 1;
        Assert.Equal(new SourceSpan(5, at, 5, at + name.Length - 1), d.Span);
        foreach (string secret in new[] { "password123", "ghp_abcdefghijklmnop", "sk-live-123", "s3cr3t", "changeme" })
        {
            Assert.DoesNotContain(secret, d.Message);
        }
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
        => Assert.Empty(InFinal(line));

    [Theory]
    [InlineData("ENV NEO4J_AUTH=neo4j/password123", "user/password for NEO4J_AUTH")]
    [InlineData("ENV SBIR_ETL__NEO4J_AUTH=neo4j/s3cret", "user/password for NEO4J_AUTH")]
    [InlineData("ENV SBIR_ETL__NEO4J__URI=bolt://neo4j:password123@neo4j:7687", "a URL with a user name and password")]
    [InlineData("ARG INDEX_URL=https://user:pa55@pypi.example.com/simple", "a URL with a user name and password")]
    public void Credential_shaped_values_fail_under_any_name(string line, string shape)
    {
        var d = InFinal(line).Single();
        Assert.Equal("SBC3122", d.Code);
        Assert.Contains($"shaped like credentials ({shape})", d.Message);
        Assert.DoesNotContain("password123", d.Message);
        Assert.DoesNotContain("pa55", d.Message);
    }

    [Fact]
    public void Names_the_environment_contract_marks_secret_count_too()
    {
        const string line = "ENV SBIR_ETL__SAM_GOV_KEY=abc123";
        Assert.Empty(InFinal(line));
        var options = new DockerfileRuleOptions { SecretVariables = new HashSet<string> { "SBIR_ETL__SAM_GOV_KEY" } };
        Assert.Equal("SBC3121", InFinal(line, options).Single().Code);
    }

    [Fact]
    public void Global_ARGs_are_checked()
        => Assert.Equal("SBC3121", Check("ARG PIP_INDEX_TOKEN=abc\n" + GoodFinalStage).Single().Code);
}
