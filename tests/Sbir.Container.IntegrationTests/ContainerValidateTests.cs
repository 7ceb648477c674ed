using System.Text;
using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// ContainerValidate through real 'dotnet build' processes on the packed SDK: the sample passes in every
/// profile, the original project's mistakes fail at their lines, bad input gives coded diagnostics, and
/// no secret reaches the log or SARIF.
/// </summary>
public class ContainerValidateTests
{
    private const string Secret = "Integration-Secret-9f3k2";

    private static readonly string[] SampleFiles =
        ["Dockerfile", ".dockerignore", ".gitignore", ".env.example", "docker-compose.yml", "docker", "config", "dagster_home", "scripts/docker", "src", "README.md"];

    private static TestRepository Sample(string? env = null)
    {
        var repo = TestRepository.Create("sbir-etl");
        repo.CopyFromSample(SampleFiles);
        repo.Write("pyproject.toml", File.ReadAllText(Path.Combine(RepoPaths.Sample, "pyproject.toml")));
        repo.Write("poetry.lock", File.ReadAllText(Path.Combine(RepoPaths.Sample, "poetry.lock")));
        repo.Write(".env", env ?? $"NEO4J_PASSWORD={Secret}\n");
        return repo;
    }

    [Fact]
    public void A_Poetry_pin_older_than_the_samples_lock_fails_at_the_pin_with_SBC3128()
    {
        // The sample's lock has lock-version 2.1 from Poetry 2.2.1; the Dockerfile once pinned 1.8.5.
        using var repo = Sample();
        string dockerfile = File.ReadAllText(Path.Combine(repo.Path, "Dockerfile"));
        int line = dockerfile.Split('\n').ToList().FindIndex(l => l.StartsWith("ARG POETRY_VERSION=", StringComparison.Ordinal)) + 1;
        repo.Write("Dockerfile", System.Text.RegularExpressions.Regex.Replace(dockerfile, @"ARG POETRY_VERSION=\S+", "ARG POETRY_VERSION=1.8.5"));
        var error = repo.Build("-t:ContainerValidate").AssertFailed().Single("SBC3128");
        Assert.EndsWith("Dockerfile", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains("installs Poetry 1.8.5, but poetry.lock has lock-version 2.1", error.Message);
        Assert.Contains("Pin Poetry 2.2.1 or newer", error.Message);
    }

    [Theory]
    [InlineData("")]
    [InlineData("dev")]
    [InlineData("test")]
    [InlineData("prod")]
    public void The_sample_passes_cleanly_in_every_profile(string profile)
    {
        using var repo = Sample();
        repo.InitGit();
        var result = repo.Build("-t:ContainerValidate", "-v:n", "-p:Profile=" + profile).AssertSucceeded();
        Assert.Empty(result.Diagnostics);
        Assert.Contains("ContainerValidate: 0 error(s), 0 warning(s)", result.Output);
    }

    [Fact]
    public void The_original_compose_file_fails_at_NEO4J_AUTH_and_its_other_mistakes()
    {
        using var repo = Sample();
        repo.Write("docker-compose.yml", File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Fixtures", "upstream-docker-compose.yml")));
        var result = repo.Build("-t:ContainerValidate", "-p:Profile=prod").AssertFailed();
        var auth = result.Errors.Where(d => d.File.EndsWith("docker-compose.yml") && d.Line == 7).ToList();
        Assert.Contains(auth, d => d.Code.StartsWith("SBC2", StringComparison.Ordinal));
        Assert.Contains(result.Errors, d => d.Code == "SBC4010" && d.Line == 15);     // password expanded into the health check
        Assert.Contains(result.Errors, d => d.Code.StartsWith("SBC2") && d.Line == 15); // literal default password
        Assert.Contains(result.Errors, d => d.Code == "SBC4011" && d.Line == 28);     // ps in a slim image
        Assert.DoesNotContain("password123", string.Join("\n", result.Diagnostics.Select(d => d.Message)));
    }

    [Fact]
    public void SbirContainerEnvFile_is_the_file_validation_reads_and_defaults_to_the_contract_file()
    {
        using var repo = Sample();
        repo.InitGit();
        // A second env file with a typo in a known name: only the run that points at it sees the typo.
        repo.Write("staging.env", "NEO4J_PASSWORD=" + Secret + "\nNEO4J_PASWORD=x\n");
        repo.Write(".gitignore", File.ReadAllText(Path.Combine(repo.Path, ".gitignore")) + "staging.env\n");
        repo.Write(".dockerignore", File.ReadAllText(Path.Combine(repo.Path, ".dockerignore")) + "\nstaging.env\n");

        var plain = repo.Build("-t:ContainerValidate", "-p:Profile=prod").AssertSucceeded();
        Assert.DoesNotContain(plain.Diagnostics, d => d.File.EndsWith("staging.env", StringComparison.Ordinal));

        var other = repo.Build("-t:ContainerValidate", "-p:Profile=prod", "-p:SbirContainerEnvFile=staging.env");
        var typo = Assert.Single(other.Diagnostics, d => d.Code == "SBC1103");
        Assert.EndsWith("staging.env", typo.File);
        Assert.Equal(2, typo.Line);
        Assert.Contains("NEO4J_PASSWORD", typo.Message);
    }

    [Fact]
    public void Missing_env_is_a_warning_for_a_build_and_an_error_before_compose_runs()
    {
        using var repo = Sample();
        File.Delete(Path.Combine(repo.Path, ".env"));
        var validate = repo.Build("-t:ContainerValidate").AssertSucceeded();
        Assert.Equal("warning", validate.Single("SBC1112").Severity);

        var up = repo.MSBuild("-t:ComposeUp", "-p:Profile=dev", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
        Assert.Equal("error", up.Single("SBC1112").Severity);
        Assert.DoesNotContain(up.Diagnostics, d => d.Code == "SBC5001");
    }

    [Fact]
    public void Env_mistakes_are_all_reported_in_one_run_and_secrets_never_printed()
    {
        using var repo = Sample($"NEO4J_PASSWORD={Secret}\nDAGSTER_PORT=30o0\nSBIR_ETL__NEO4J__BOLT_URL=bolt://neo4j:7687\nNEO4J_PASWORD={Secret}\nNEO4J_PASSWORD={Secret}\n");
        string sarif = Path.Combine(repo.Path, "obj", "validate.sarif");
        var result = repo.Build("-t:ContainerValidate", "-v:diag", "-p:SbirContainerSarifOutput=" + sarif).AssertFailed();
        Assert.Equal(2, result.Single("SBC1102").Line);
        Assert.Contains("SBIR_ETL__NEO4J__URI", result.Single("SBC1104").Message);
        Assert.Contains("NEO4J_PASSWORD", result.Single("SBC1103").Message);
        Assert.Equal(5, result.Single("SBC1105").Line);
        Assert.DoesNotContain(Secret, result.Output);
        Assert.True(File.Exists(sarif));
        string text = File.ReadAllText(sarif);
        Assert.Contains("\"version\": \"2.1.0\"", text);
        Assert.Contains("SBC1104", text);
        Assert.DoesNotContain(Secret, text);
    }

    [Fact]
    public void Rule_severities_come_from_config_docker_yaml()
    {
        using var repo = Sample($"NEO4J_PASSWORD={Secret}\nDAGSTER_PORT=30o0\n");
        string config = File.ReadAllText(Path.Combine(repo.Path, "config", "docker.yaml"));
        repo.Write("config/docker.yaml", config + "\nrules:\n  SBC1102: warning\n");
        var result = repo.Build("-t:ContainerValidate").AssertSucceeded();
        Assert.Equal("warning", result.Single("SBC1102").Severity);
    }

    /// <summary>Bad input of every kind: a coded diagnostic naming the file (and line), quickly, never MSB4018.</summary>
    [Theory]
    [InlineData("config/docker.yaml", "container:\n  image: [unclosed\n", "SBC0020")]
    [InlineData("config/docker.yaml", "container:\n  imag: typo\n", "SBC0021")]
    [InlineData("docker-compose.yml", "services:\n  a:\n    image: x:1\n    image: y:2\n", "SBC4001")]
    [InlineData("docker-compose.yml", "\u0001\u0002 garbage: [", "SBC4001")]
    [InlineData("docker-compose.yml", "", "SBC4001")]
    [InlineData("Dockerfile", "FROM python:3.11-slim AS runtime\nFORM typo\nRUN echo \\\n", "SBC3001")]
    [InlineData(".env", "NEO4J_PASSWORD=\"never closed\n", "SBC1001")]
    public void Bad_input_gets_a_coded_diagnostic(string file, string content, string code)
    {
        using var repo = Sample();
        repo.Write(file, content);
        var result = repo.Build("-t:ContainerValidate");
        Assert.DoesNotContain("MSB4018", result.Output);
        var d = result.Single(code);
        Assert.EndsWith(file.Replace('/', Path.DirectorySeparatorChar), d.File);
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(2), result.Elapsed.ToString());
    }

    [Fact]
    public void ComposeUp_after_a_build_validated_in_the_same_run_checks_again_for_its_profile_with_env_required()
    {
        // 'ContainerValidate;ComposeUp' (as in 'DockerBuild;ComposeUp'): the first validation allows a missing
        // .env; ComposeUp's own must not be skipped because the target already ran.
        using var repo = Sample();
        File.Delete(Path.Combine(repo.Path, ".env"));
        var result = repo.MSBuild("-t:ContainerValidate;ComposeUp", "-p:SbirComposeBuildImage=false", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
        Assert.Contains(result.Diagnostics, d => d.Code == "SBC1112" && d.Severity == "warning");
        Assert.Contains(result.Diagnostics, d => d.Code == "SBC1112" && d.Severity == "error");
        Assert.DoesNotContain("SBC5001", result.Output);
    }

    [Fact]
    public void A_variable_no_compose_file_uses_is_SBC1114_unless_a_service_takes_its_prefix_or_loads_the_file_with_env_file()
    {
        // The sample's app services carry x-sbir-environment-prefix: SBIR_ETL__, so the SDK passes the setting.
        using var repo = Sample($"NEO4J_PASSWORD={Secret}\nSBIR_ETL__NEO4J__DATABASE=graph\n");
        Assert.DoesNotContain(repo.Build("-t:ContainerValidate").AssertSucceeded().Diagnostics, d => d.Code == "SBC1114");

        // Without the prefix nothing names it: SBC1114 at its line.
        string compose = File.ReadAllText(Path.Combine(repo.Path, "docker-compose.yml"));
        string withoutPrefix = compose.Replace("  x-sbir-environment-prefix: SBIR_ETL__\n", string.Empty);
        Assert.NotEqual(compose, withoutPrefix);
        repo.Write("docker-compose.yml", withoutPrefix);
        var unused = repo.Build("-t:ContainerValidate").AssertSucceeded().Single("SBC1114");
        Assert.Equal(2, unused.Line);
        Assert.StartsWith("SBIR_ETL__NEO4J__DATABASE is set in .env, but no compose file uses it", unused.Message);

        repo.Write("docker-compose.yml", withoutPrefix.Replace("  dagster-webserver:\n    <<: *sbir-app\n", "  dagster-webserver:\n    <<: *sbir-app\n    env_file: [{ path: .env, required: false }]\n"));
        var loaded = repo.Build("-t:ContainerValidate").AssertSucceeded();
        Assert.DoesNotContain(loaded.Diagnostics, d => d.Code == "SBC1114");
    }

    [Fact]
    public void A_flood_of_findings_shows_the_first_twenty_per_file_and_code_while_counts_and_SARIF_keep_all()
    {
        using var repo = Sample($"NEO4J_PASSWORD={Secret}\n" + string.Concat(Enumerable.Range(1, 300).Select(i => $"B@D{i}=x\n")));
        string sarif = Path.Combine(repo.Path, "obj", "validate.sarif");
        var result = repo.Build("-t:ContainerValidate", "-p:SbirContainerSarifOutput=" + sarif).AssertFailed();
        Assert.Equal(20, result.Diagnostics.Count(d => d.Code == "SBC1002"));
        Assert.Contains("SBC0031: 280 more SBC1002 findings in this file are not shown (300 in all)", result.Output);
        Assert.Matches(@"ContainerValidate: 30\d error\(s\)", result.Output);
        Assert.Equal(300, System.Text.RegularExpressions.Regex.Matches(File.ReadAllText(sarif), "\"ruleId\": \"SBC1002\"").Count);
    }

    [Fact]
    public void A_million_levels_of_nesting_are_a_coded_error_not_a_crashed_build()
    {
        // Once a stack overflow that ended the MSBuild process itself.
        using var repo = Sample();
        repo.Write("config/docker.yaml", "container:\n  tags: " + new string('[', 1_000_000) + "\n");
        var result = repo.Build("-t:ContainerValidate").AssertFailed();
        Assert.DoesNotContain("Stack overflow", result.Output);
        var d = result.Single("SBC0020");
        Assert.Equal(2, d.Line);
        Assert.Contains("deeper than 100 levels", d.Message);
    }

    [Fact]
    public void Huge_lines_garbage_bytes_and_an_alias_bomb_are_handled()
    {
        using var repo = Sample();
        var env = new StringBuilder($"NEO4J_PASSWORD={Secret}\nHUGE=");
        env.Append('x', 5 * 1024 * 1024).Append('\n');
        repo.Write(".env", env.ToString());
        File.WriteAllBytes(Path.Combine(repo.Path, "config", "extra.yaml"), [0xFF, 0xFE, 0x00, 0x41, 0xC3, 0x28, 0x0A]);
        var bomb = new StringBuilder("x-a: &a [1, 1, 1, 1, 1, 1, 1, 1, 1, 1]\n");
        for (int i = 0; i < 12; i++)
        {
            string p = i == 0 ? "a" : "b" + (i - 1);
            bomb.Append($"x-b{i}: &b{i} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n");
        }

        repo.Write("docker/docker-compose.test.yml", bomb + "services:\n  tests:\n    image: x:1\n");
        var result = repo.Build("-t:ContainerValidate");
        Assert.DoesNotContain("MSB4018", result.Output);
        Assert.Contains(result.Diagnostics, d => d.Code == "SBC1103" && d.Message.StartsWith("HUGE", StringComparison.Ordinal));
        Assert.Contains(result.Diagnostics, d => d.Code == "SBC4001" && d.File.EndsWith("docker-compose.test.yml"));
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(2), result.Elapsed.ToString());
    }
}
