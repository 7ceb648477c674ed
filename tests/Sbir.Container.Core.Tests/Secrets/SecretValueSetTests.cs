using Sbir.Container.Configuration;
using Sbir.Container.Dotenv;
using Sbir.Container.Secrets;

namespace Sbir.Container.Core.Tests.Secrets;

/// <summary>One set of the project's secret values, that the masker, the build arguments and the scanner consult.</summary>
public class SecretValueSetTests
{
    private static readonly EnvironmentContract Contract = new()
    {
        Variables = new Dictionary<string, VariableSpec> { ["DB_CREDS"] = new() { Name = "DB_CREDS", Secret = true } },
    };

    [Fact]
    public void Holds_secret_variables_of_env_by_contract_and_by_name_and_the_password_of_auth_pairs()
    {
        var env = DotenvParser.Parse("NEO4J_AUTH=neo4j/auth-password-1\nDB_CREDS=contract-secret\nLOG_LEVEL=info\n", ".env");
        var set = SecretValueSet.From(env, Contract, _ => null);
        Assert.Equal(["neo4j/auth-password-1", "auth-password-1", "contract-secret"], set.Secrets.Select(s => s.Value));
        Assert.Equal("NEO4J_PASSWORD", set.Secrets[1].Name);
    }

    [Fact]
    public void Holds_contract_secrets_from_the_environment_and_pasted_bare_lines()
    {
        var env = DotenvParser.Parse("xK9mQ2vL8pR4wZ7n\nINHERITED\n", ".env");
        var set = SecretValueSet.From(env, Contract, n => n == "DB_CREDS" ? "from-the-ci-env" : null);
        Assert.Equal(["xK9mQ2vL8pR4wZ7n", "from-the-ci-env"], set.Secrets.Select(s => s.Value));
        Assert.Equal("the environment", set.Secrets[1].Source);
    }

    [Fact]
    public void Finds_a_value_as_is_or_percent_encoded_and_ignores_short_ones()
    {
        var set = new SecretValueSet();
        set.Add("NEO4J_PASSWORD", ".env", "p@ss/word-long");
        set.Add("SHORT_TOKEN", ".env", "abc");
        Assert.Equal("NEO4J_PASSWORD", set.FindIn("bolt://neo4j:p%40ss%2Fword-long@db:7687")!.Value.Secret.Name);
        Assert.Null(set.FindIn("abc abc abc"));
        Assert.Null(set.FindIn(null));
    }

    [Fact]
    public void Registers_every_value_with_a_masker()
    {
        var set = new SecretValueSet();
        set.Add("A_TOKEN", ".env", "token-value-1");
        var masker = new Sbir.Container.Diagnostics.SecretMasker();
        set.RegisterWith(masker);
        Assert.Equal("x *** y", masker.Apply("x token-value-1 y"));
    }
}
