using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// What a careless user or an attacker does, through real 'dotnet build' processes on the packed SDK: secrets hidden
/// where the image or the build would carry them, special files, a misspelt profile, I/O faults. Each ends in a coded
/// diagnostic naming the file, never SBC0001 or MSB4018, and a known secret is absent from the console log at
/// -v:diag, the replayed binary log, SARIF and obj/.
/// </summary>
public class HostileInputTests
{
    /// <summary>The project's password, as .env holds it: every placement below uses it.</summary>
    private const string Secret = "Leak-Probe-7Hq2xW9v";

    /// <summary>A value pasted on a line of its own in .env.</summary>
    private const string Pasted = "xK9mQ2vL8pR4wZ7nT5";

    private static readonly string[] SampleFiles =
        ["Dockerfile", ".dockerignore", ".gitignore", ".env.example", "docker-compose.yml", "docker", "config", "scripts/docker", "src", "README.md"];

    private static TestRepository Sample()
    {
        var repo = TestRepository.Create("sbir-etl");
        repo.CopyFromSample(SampleFiles);
        repo.Write("pyproject.toml", File.ReadAllText(Path.Combine(RepoPaths.Sample, "pyproject.toml")));
        repo.Write(".env", $"NEO4J_PASSWORD={Secret}\n");
        return repo;
    }

    [Fact]
    public void A_known_secret_placed_every_way_is_absent_from_the_diag_log_the_replayed_binlog_sarif_and_obj()
    {
        using var repo = Sample();
        repo.Write(".env", $"NEO4J_PASSWORD={Secret}\n{Pasted}\n");
        string config = File.ReadAllText(Path.Combine(repo.Path, "config", "docker.yaml"));
        // 1. Under config/, which the image copies: an .env file, a secret file, JSON, TOML, a folded block scalar.
        repo.Write("config/local.env", $"NEO4J_PASSWORD={Secret}\n");
        repo.Write("config/secrets/neo4j_password", Secret + "\n");
        repo.Write("config/app.json", $"{{\"neo4j\": {{\"password\": \"{Secret}\"}}}}\n");
        repo.Write("config/app.toml", $"[neo4j]\npassword = \"{Secret}\"\n");
        repo.Write("config/folded.yaml", $"neo4j:\n  password: >-\n    {Secret}\n");
        // 2 and 3. As a build argument of config/docker.yaml (which MSBuild would log as an item four times).
        repo.Write("config/docker.yaml", config.Replace("container:\n", $"container:\n  buildArgs:\n    NEO4J_URI: bolt://neo4j:{Secret}@neo4j:7687\n", StringComparison.Ordinal));
        // 4. $$ in compose, an anchor used through an alias, an escaped dollar in a shell assignment.
        repo.Write("docker/docker-compose.leak.yml", $"x-pw: &pw {Secret}\nservices:\n  neo4j:\n    environment:\n      NEO4J_AUTH: neo4j/{Secret}$$x\n      NEO4J_PASSWORD: *pw\n");
        repo.Write("scripts/docker/leak.sh", $"#!/bin/sh\nNEO4J_PASSWORD=\"{Secret}\\$x\"\n");

        string sarif = Path.Combine(repo.Path, "obj", "validate.sarif");
        var result = repo.Build("-t:ContainerValidate", "-v:diag", "-p:SbirContainerSarifOutput=" + sarif).AssertFailed();

        Assert.Contains(result.Errors, d => d.Code == "SBC2001" && d.File.EndsWith("config/local.env", StringComparison.Ordinal));
        Assert.Contains(result.Errors, d => d.Code == "SBC2008" && d.File.EndsWith("neo4j_password", StringComparison.Ordinal));
        Assert.Contains(result.Errors, d => d.Code == "SBC2010" && d.Message.Contains("NEO4J_URI", StringComparison.Ordinal));
        Assert.Contains(result.Errors, d => d.Code == "SBC1007" && d.Line == 2);

        var replay = ProcessRun.Run("dotnet", ["msbuild", result.BinaryLog, "-v:diag", "-nologo"], repo.Path, repo.BuildEnvironment());
        Assert.Contains("ContainerValidate", replay.Output);
        foreach (string secret in new[] { Secret, Pasted })
        {
            Assert.DoesNotContain(secret, result.Output);
            Assert.DoesNotContain(secret, replay.Output);
            Assert.DoesNotContain(secret, File.ReadAllText(sarif));
            foreach (string file in Directory.EnumerateFiles(Path.Combine(repo.Path, "obj"), "*", SearchOption.AllDirectories))
            {
                Assert.False(File.ReadAllText(file).Contains(secret, StringComparison.Ordinal), $"{file} holds the secret");
            }
        }
    }

    [Fact]
    public void A_build_argument_item_holding_the_env_password_is_SBC2010_before_docker_runs()
    {
        var repo = TestRepository.Create("app", $"""
            <Project Sdk="Sbir.Container.Sdk/{RepoPaths.SdkVersion}">
              <ItemGroup>
                <SbirContainerBuildArg Include="NEO4J_URI" Value="bolt://neo4j:{Secret}@neo4j:7687" />
              </ItemGroup>
            </Project>
            """);
        using (repo)
        {
            repo.Write("Dockerfile", "FROM local/debian:bookworm-slim AS builder\nFROM builder AS runtime\nUSER nobody\n");
            repo.Write(".dockerignore", ".env\nobj/\n");
            repo.Write(".env", $"NEO4J_PASSWORD={Secret}\n");
            var result = repo.Build("-t:DockerBuild", "-p:SbirDockerCli=/nonexistent/docker").AssertFailed();
            Assert.Contains("NEO4J_PASSWORD (from .env)", result.Single("SBC2010").Message);
            Assert.Contains(result.Errors, d => d.Code is "SBC2003" or "SBC2009" && d.File.EndsWith("app.proj", StringComparison.Ordinal));
            Assert.DoesNotContain(result.Diagnostics, d => d.Code.StartsWith("SBC50", StringComparison.Ordinal));
        }
    }

    [Theory]
    [InlineData("fifo")]
    [InlineData("/dev/zero")]
    [InlineData("folder")]
    public void A_special_env_file_is_SBC0050_within_seconds(string kind)
    {
        using var repo = Sample();
        string env = Path.Combine(repo.Path, ".env");
        File.Delete(env);
        if (kind == "fifo")
        {
            Assert.Equal(0, ProcessRun.Run("mkfifo", [env]).ExitCode);
        }
        else if (kind == "folder")
        {
            Directory.CreateDirectory(env);
        }
        else
        {
            env = kind;
        }

        var result = repo.Build("-t:ContainerValidate", "-p:SbirContainerEnvFile=" + env).AssertFailed();
        var error = result.Errors.First(d => d.Code == "SBC0050");
        Assert.Equal(env, error.File);
        Assert.DoesNotContain("SBC0001", result.Output);
        Assert.True(result.Elapsed < TimeSpan.FromMinutes(2), result.Elapsed.ToString());
    }

    [Fact]
    public void A_misspelt_profile_fails_listing_the_known_ones()
    {
        using var repo = Sample();
        var error = repo.Build("-t:ContainerValidate", "-p:Profile=prdo").AssertFailed().Single("SBC5206");
        Assert.Contains("dev, test, prod", error.Message);
        Assert.Contains("Did you mean prod?", error.Message);
    }

    [Fact]
    public void Io_faults_are_the_users_environment_not_sdk_bugs()
    {
        using var repo = Sample();
        Directory.CreateDirectory(Path.Combine(repo.Path, "reports"));
        var sarifFolder = repo.Build("-t:ContainerValidate", "-p:SbirContainerSarifOutput=reports").AssertFailed();
        Assert.Contains("it is a folder", sarifFolder.Single("SBC0053").Message);
        Assert.DoesNotContain("SBC0001", sarifFolder.Output);

        var deviceSarif = repo.Build("-t:ContainerValidate", "-p:SbirContainerSarifOutput=/dev/full").AssertFailed();
        Assert.Contains("it is a device", deviceSarif.Single("SBC0053").Message);

        var missing = repo.Build("-t:ContainerValidate", "-p:SbirContainerConfigFile=config/dokcer.yaml").AssertFailed();
        Assert.EndsWith("config/dokcer.yaml", missing.Single("SBC0054").File);

        File.Delete(Path.Combine(repo.Path, "config", "docker.yaml"));
        Directory.CreateDirectory(Path.Combine(repo.Path, "config", "docker.yaml"));
        var folder = repo.Build("-t:ContainerValidate").AssertFailed();
        Assert.Contains("a folder", folder.Errors.First(d => d.Code == "SBC0050").Message);
        Assert.DoesNotContain("SBC0001", folder.Output);
    }

    [Fact]
    public void A_crlf_entrypoint_fails_validation_at_its_first_crlf_line()
    {
        using var repo = Sample();
        string entrypoint = Path.Combine(repo.Path, "scripts", "docker", "entrypoint.sh");
        File.WriteAllText(entrypoint, File.ReadAllText(entrypoint).Replace("\n", "\r\n", StringComparison.Ordinal));
        var error = repo.Build("-t:ContainerValidate").AssertFailed().Single("SBC3130");
        Assert.EndsWith("scripts/docker/entrypoint.sh", error.File);
        Assert.Equal(1, error.Line);
    }
}
