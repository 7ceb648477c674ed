using Sbir.Container.Configuration;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Diagnostics;
using Sbir.Container.Validation;

namespace Sbir.Container.Core.Tests.Validation;

public class EnvContractCheckerTests : IDisposable
{
    private const string Secret = "k8-Zq!real-secret-value-9f";
    private readonly TempDirectory _dir = new();
    private readonly ContainerConfig _config;

    public EnvContractCheckerTests()
    {
        _dir.Write("config/docker.yaml", File.ReadAllText(Path.Combine(RepoPaths.Sample, "config", "docker.yaml")));
        _dir.Write(".env.example", File.ReadAllText(Path.Combine(RepoPaths.Sample, ".env.example")));
        _dir.Write(".dockerignore", ".env\n.env.*\n!.env.example\n");
        _config = ContainerConfigLoader.Load(Path.Combine(_dir.Path, "config", "docker.yaml")).Config;
    }

    public void Dispose() => _dir.Dispose();

    private IReadOnlyList<Diagnostic> Check(string? env, bool envRequired = false, string? profile = null, Dictionary<string, string>? host = null, Func<string, GitIgnoreStatus>? git = null)
    {
        if (env is not null)
        {
            _dir.Write(".env", env);
        }

        return EnvContractChecker.Check(new EnvContractInput
        {
            Contract = _config.Environment,
            SettingsKeys = _config.SettingsKeys,
            Profile = profile,
            ProjectDirectory = _dir.Path,
            ContextDirectory = _dir.Path,
            EnvRequired = envRequired,
            Host = n => host is not null && host.TryGetValue(n, out var v) ? v : null,
            GitIgnore = git,
        }).Diagnostics;
    }

    [Fact]
    public void The_sample_contract_and_example_with_a_real_env_are_clean()
    {
        var diagnostics = Check($"NEO4J_PASSWORD={Secret}\nDAGSTER_PORT=3001\nSBIR_ETL__NEO4J__DATABASE=graph\n", git: _ => GitIgnoreStatus.Ignored);
        Assert.Empty(diagnostics);
    }

    [Fact]
    public void Missing_env_is_a_warning_for_builds_and_an_error_for_compose()
    {
        Assert.Equal(DiagnosticSeverity.Warning, Assert.Single(Check(null), d => d.Code == "SBC1112").Severity);
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(Check(null, envRequired: true), d => d.Code == "SBC1112").Severity);
    }

    [Fact]
    public void A_secret_shorter_than_its_minLength_is_SBC1102_naming_the_length_but_never_the_value()
    {
        // Neo4j 5 refuses passwords under 8 characters; the sample's contract says so (minLength: 8).
        var found = Assert.Single(Check("NEO4J_PASSWORD=k8-Zq!x\n"), d => d.Code == "SBC1102");
        Assert.Contains("at least 8 characters", found.Message);
        Assert.Contains("it has 7", found.Message);
        Assert.DoesNotContain("k8-Zq!x", found.ToString());
        Assert.Equal(1, found.Span.Line);
        Assert.DoesNotContain(Check($"NEO4J_PASSWORD={Secret}\n"), d => d.Code == "SBC1102");
    }

    [Fact]
    public void A_project_that_declares_no_environment_gets_no_warning_about_a_missing_env_when_it_builds()
    {
        using var bare = new TempDirectory();
        EnvContractInput Input(bool envRequired) => new()
        {
            Contract = new EnvironmentContract(),
            SettingsKeys = new HashSet<string>(),
            ProjectDirectory = bare.Path,
            ContextDirectory = bare.Path,
            EnvRequired = envRequired,
            Host = _ => null,
        };
        Assert.Empty(EnvContractChecker.Check(Input(envRequired: false)).Diagnostics);
        Assert.Single(EnvContractChecker.Check(Input(envRequired: true)).Diagnostics, d => d.Code == "SBC1112");
    }

    [Fact]
    public void Missing_env_is_only_a_warning_for_compose_when_the_environment_holds_every_required_variable()
    {
        var exported = new Dictionary<string, string> { ["NEO4J_PASSWORD"] = Secret };
        var found = Assert.Single(Check(null, envRequired: true, host: exported), d => d.Code == "SBC1112");
        Assert.Equal(DiagnosticSeverity.Warning, found.Severity);
        Assert.Contains("come from the environment", found.Message);

        // Exported but empty (as CI does for an undefined secret) does not count.
        var empty = new Dictionary<string, string> { ["NEO4J_PASSWORD"] = "" };
        Assert.Equal(DiagnosticSeverity.Error, Assert.Single(Check(null, envRequired: true, host: empty), d => d.Code == "SBC1112").Severity);
    }

    [Fact]
    public void Required_variable_missing_is_SBC1101_unless_the_host_sets_it()
    {
        var d = Assert.Single(Check("DAGSTER_PORT=3000\n"), x => x.Code == "SBC1101");
        Assert.Contains("NEO4J_PASSWORD is required", d.Message);
        Assert.DoesNotContain(Check("DAGSTER_PORT=3000\n", host: new() { ["NEO4J_PASSWORD"] = Secret }), x => x.Code == "SBC1101");
    }

    [Theory]
    [InlineData("DAGSTER_PORT=http", "a port")]
    [InlineData("DAGSTER_PORT=70000", "not a port")]
    [InlineData("SERVICE_STARTUP_TIMEOUT=soon", "whole number")]
    [InlineData("SBIR_ETL_LOG_LEVEL=INFO", "did you mean info?")]
    [InlineData("SBIR_ETL__NEO4J__URI=http://neo4j:7474", "scheme 'http' is not one of bolt")]
    [InlineData("SBIR_ETL__NEO4J__URI=neo4j", "not an absolute URL")]
    public void Wrong_types_are_SBC1102_at_the_value(string line, string expected)
    {
        var d = Assert.Single(Check($"NEO4J_PASSWORD={Secret}\n{line}\n"), x => x.Code == "SBC1102");
        Assert.Contains(expected, d.Message);
        Assert.Equal((2, line.IndexOf('=') + 2), (d.Span.Line, d.Span.Column));
    }

    [Fact]
    public void Unknown_names_get_a_did_you_mean()
    {
        var diagnostics = Check($"NEO4J_PASSWORD={Secret}\nNEO4J_PASWORD=x\nSBIR_ETL__NEO4J__BOLT_URL=bolt://neo4j:7687\n");
        Assert.Contains("Did you mean NEO4J_PASSWORD?", Assert.Single(diagnostics, d => d.Code == "SBC1103").Message);
        var setting = Assert.Single(diagnostics, d => d.Code == "SBC1104");
        Assert.Contains("'neo4j.bolt_url'", setting.Message);
        Assert.Contains("Did you mean SBIR_ETL__NEO4J__URI?", setting.Message);
        Assert.Equal(3, setting.Span.Line);
    }

    [Fact]
    public void Duplicates_empty_and_placeholder_secrets_are_reported_without_values()
    {
        var empty = Check("NEO4J_PASSWORD=\n");
        Assert.Contains(empty, d => d.Code == "SBC1106");

        var placeholder = Check("NEO4J_PASSWORD=change-me\nDAGSTER_PORT=3000\nDAGSTER_PORT=3001\n");
        var p = Assert.Single(placeholder, d => d.Code == "SBC1107");
        Assert.DoesNotContain("change-me", p.Message);
        Assert.Contains("first on line 2", Assert.Single(placeholder, d => d.Code == "SBC1105").Message);
        Assert.Contains(Check("NEO4J_PASSWORD=password123\n"), d => d.Code == "SBC1107");
        Assert.Contains(Check("NEO4J_PASSWORD=<your password>\n"), d => d.Code == "SBC1107");
    }

    [Fact]
    public void No_message_ever_contains_a_secret_value()
    {
        var diagnostics = Check($"NEO4J_PASSWORD={Secret}\nNEO4J_PASSWORD={Secret}\nNEO4J_PASWORD={Secret}\nSBIR_ETL__NEO4J__PASSWORD={Secret}\n", git: _ => GitIgnoreStatus.Tracked);
        Assert.NotEmpty(diagnostics);
        Assert.All(diagnostics, d => Assert.DoesNotContain(Secret, d.Message));
    }

    [Fact]
    public void Undocumented_variables_and_ignore_rules_are_checked()
    {
        _dir.Write(".env.example", "NEO4J_PASSWORD=change-me\n# DAGSTER_PORT=3000\n");
        _dir.Write(".dockerignore", "data/\n");
        var diagnostics = Check($"NEO4J_PASSWORD={Secret}\n", git: _ => GitIgnoreStatus.NotIgnored);
        var undocumented = diagnostics.Where(d => d.Code == "SBC1109").Select(d => d.Message).ToList();
        Assert.Contains(undocumented, m => m.StartsWith("NEO4J_IMAGE ", StringComparison.Ordinal));
        Assert.DoesNotContain(undocumented, m => m.StartsWith("DAGSTER_PORT ", StringComparison.Ordinal));
        Assert.Contains(diagnostics, d => d.Code == "SBC1110" && d.Message.Contains("'git add .'"));
        Assert.Contains(diagnostics, d => d.Code == "SBC1111");
        Assert.Contains(Check($"NEO4J_PASSWORD={Secret}\n", git: _ => GitIgnoreStatus.Tracked), d => d.Code == "SBC1110" && d.Message.Contains("committed"));
    }

    [Theory]
    [InlineData("change-me", true)]
    [InlineData("your-password-here", true)]
    [InlineData("xxxxxxxx", true)]
    [InlineData("<password>", true)]
    [InlineData("neo4j", true)]
    [InlineData("k8-Zq!real-secret-value-9f", false)]
    [InlineData("correct horse battery staple", false)]
    public void Placeholders(string value, bool placeholder) => Assert.Equal(placeholder, EnvContractChecker.IsPlaceholder(value));
}
