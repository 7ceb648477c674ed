using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// ContainerValidate's record under obj/ through real 'dotnet build' processes on the packed SDK: nothing changed, it
/// repeats its findings in one line and checks nothing again; each kind of change (a file edited, a file added to a
/// folder it walked, .env, a property, an environment variable it reads) runs every check; errors are never recorded;
/// SARIF is written either way; no secret value reaches obj/.
/// </summary>
public class IncrementalValidationTests
{
    private const string Secret = "Incremental-Secret-7q2w9";
    private const string Skipped = "nothing changed since the last validation";
    private const string Ran = "every check ran:";

    private static TestRepository Sample()
    {
        var repo = TestRepository.Create("sbir-etl");
        repo.CopyFromSample("Dockerfile", ".dockerignore", ".gitignore", ".env.example", "docker-compose.yml", "docker", "config", "dagster_home", "scripts/docker", "src", "README.md");
        repo.Write("pyproject.toml", File.ReadAllText(Path.Combine(RepoPaths.Sample, "pyproject.toml")));
        repo.Write("poetry.lock", File.ReadAllText(Path.Combine(RepoPaths.Sample, "poetry.lock")));
        repo.Write(".env", $"NEO4J_PASSWORD={Secret}\n");
        // State of an earlier build: the sample's .dockerignore has '!' exceptions, so the context walker enters obj/,
        // where the record itself is written; the SDK's own state must not count as a change.
        repo.Write("obj/SbirContainer/earlier.buildstate.json", "{}");
        repo.InitGit();
        return repo;
    }

    /// <summary>Validates twice: the first run checks everything (no record yet), the second is skipped.</summary>
    private static void ValidateTwice(TestRepository repo, params string[] args)
    {
        var first = repo.Build(["-t:ContainerValidate", .. args]).AssertSucceeded();
        Assert.Contains(Ran, first.Output);
        var second = repo.Build(["-t:ContainerValidate", .. args]).AssertSucceeded();
        Assert.Contains(Skipped, second.Output);
    }

    private static string RunAgain(TestRepository repo, params string[] args)
    {
        var result = repo.Build(["-t:ContainerValidate", .. args]).AssertSucceeded();
        Assert.DoesNotContain(Skipped, result.Output);
        return result.Output.Split('\n').Single(l => l.Contains(Ran, StringComparison.Ordinal));
    }

    [Fact]
    public void Nothing_changed_repeats_the_findings_in_one_line_and_writes_no_secret_to_obj()
    {
        using var repo = Sample();
        // A warning to repeat: a variable no compose file uses (the sample's services pass every SBIR_ETL__ name through
        // x-sbir-environment-prefix, so without that field nothing names it).
        repo.Write(".env", $"NEO4J_PASSWORD={Secret}\nSBIR_ETL__NEO4J__DATABASE=graph\n");
        string compose = File.ReadAllText(Path.Combine(repo.Path, "docker-compose.yml"));
        repo.Write("docker-compose.yml", compose.Replace("  x-sbir-environment-prefix: SBIR_ETL__\n", string.Empty, StringComparison.Ordinal));
        var first = repo.Build("-t:ContainerValidate").AssertSucceeded();
        var second = repo.Build("-t:ContainerValidate").AssertSucceeded();
        Assert.Contains(Skipped, second.Output);
        Assert.Equal(first.Single("SBC1114"), second.Single("SBC1114"));
        Assert.Single(second.Output.Split('\n'), l => l.Contains("ContainerValidate:", StringComparison.Ordinal) && l.Contains(Skipped, StringComparison.Ordinal));

        foreach (string file in Directory.EnumerateFiles(Path.Combine(repo.Path, "obj"), "*", SearchOption.AllDirectories))
        {
            Assert.DoesNotContain(Secret, File.ReadAllText(file));
        }
    }

    [Fact]
    public void A_file_edit_runs_every_check()
    {
        using var repo = Sample();
        ValidateTwice(repo);
        File.AppendAllText(Path.Combine(repo.Path, "config", "docker.yaml"), "# edited\n");
        Assert.Contains("config/docker.yaml changed", RunAgain(repo));
    }

    [Fact]
    public void A_new_file_in_config_runs_every_check_and_is_scanned()
    {
        using var repo = Sample();
        ValidateTwice(repo);
        repo.Write("config/extra.yaml", "neo4j:\n  password: Hardcoded-Pa55word-in-config\n");
        var result = repo.Build("-t:ContainerValidate");
        Assert.Contains("a file was added to or removed from config", result.Output);
        Assert.Contains(result.Diagnostics, d => d.Code.StartsWith("SBC2", StringComparison.Ordinal) && d.File.EndsWith("extra.yaml", StringComparison.Ordinal));
    }

    [Fact]
    public void A_changed_env_file_runs_every_check()
    {
        using var repo = Sample();
        ValidateTwice(repo, "-p:Profile=prod");
        repo.Write(".env", $"NEO4J_PASSWORD={Secret}-changed\n");
        Assert.Contains(".env changed", RunAgain(repo, "-p:Profile=prod"));
    }

    [Fact]
    public void A_changed_property_runs_every_check()
    {
        using var repo = Sample();
        ValidateTwice(repo);
        Assert.Contains("a property or the SDK changed", RunAgain(repo, "-p:SbirContainerBaseImage=python:3.12-slim"));

        // Each set of properties keeps its own record: going back to the first needs no new check.
        Assert.Contains(Skipped, repo.Build("-t:ContainerValidate").AssertSucceeded().Output);
        Assert.Contains(Skipped, repo.Build("-t:ContainerValidate", "-p:SbirContainerBaseImage=python:3.12-slim").AssertSucceeded().Output);
    }

    [Fact]
    public void A_changed_environment_variable_runs_every_check()
    {
        using var repo = Sample();
        ValidateTwice(repo);
        repo.Environment["SBIR_IMAGE"] = "sbir-etl:other";
        Assert.Contains("the environment variable SBIR_IMAGE changed", RunAgain(repo));
    }

    [Fact]
    public void Errors_are_never_recorded_and_SARIF_is_written_when_skipped()
    {
        using var repo = Sample();
        repo.Write(".env", $"NEO4J_PASSWORD={Secret}\nDAGSTER_PORT=30o0\n");
        for (int i = 0; i < 2; i++)
        {
            var failed = repo.Build("-t:ContainerValidate").AssertFailed();
            Assert.Equal(2, failed.Single("SBC1102").Line);
            Assert.DoesNotContain(Skipped, failed.Output);
        }

        repo.Write(".env", $"NEO4J_PASSWORD={Secret}\n");
        string sarif = Path.Combine(repo.Path, "obj", "validate.sarif");
        ValidateTwice(repo, "-p:SbirContainerSarifOutput=" + sarif);
        File.Delete(sarif);
        var skipped = repo.Build("-t:ContainerValidate", "-p:SbirContainerSarifOutput=" + sarif).AssertSucceeded();
        Assert.Contains(Skipped, skipped.Output);
        Assert.Contains("\"version\": \"2.1.0\"", File.ReadAllText(sarif));
    }

    [Fact]
    public void ForceValidation_runs_every_check()
    {
        using var repo = Sample();
        ValidateTwice(repo);
        RunAgain(repo, "-p:SbirContainerForceValidation=true");
    }
}
