using Sbir.Container.Configuration;
using Sbir.Container.Swarm;
using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>
/// The docker CLI's own stack loader ('docker stack config', the same code as 'docker stack deploy',
/// no engine needed) reads the stack file the SDK renders from the sample's prod profile: every value
/// survives its interpolation unchanged, whatever the CLI's environment holds, and no secret is in it.
/// </summary>
public class StackFileTests
{
    private const string Password = "Stack-File-Secret-3e8d1a";

    [Theory]
    [InlineData(1, "vip")]
    [InlineData(3, "dnsrr")]
    public void Docker_stack_config_reads_the_rendered_prod_profile_as_written(int nodes, string endpointMode)
    {
        string docker = StackCli();
        string dagster = Path.Combine(Path.GetTempPath(), "sbir-stack-dagster-" + Guid.NewGuid().ToString("N")[..8] + ".yaml");
        string file = Path.Combine(Path.GetTempPath(), "sbir-stack-" + Guid.NewGuid().ToString("N")[..8] + ".yml");
        File.WriteAllText(dagster, "storage:\n  postgres:\n    postgres_db:\n      username: dagster\n      password:\n        env: DAGSTER_PG_PASSWORD\n      hostname: postgres\n      db_name: dagster\n");
        try
        {
            var plan = StackPlanner.Plan(new StackPlanInput
            {
                ProjectDirectory = RepoPaths.Sample,
                StackName = "sbir-etl",
                Files = [Path.Combine(RepoPaths.Sample, "docker-compose.yml")],
                Lookup = name => name switch { "NEO4J_PASSWORD" => Password, "SBIR_IMAGE" => "ghcr.io/acme/sbir-etl@sha256:" + new string('a', 64), _ => null },
                Contract = ContainerConfigLoader.Load(Path.Combine(RepoPaths.Sample, "config", "docker.yaml")).Config.Environment,
                NodeCount = nodes,
                DataLabel = "sbir-etl.data",
                EndpointMode = endpointMode,
                DagsterConfig = dagster,
            });
            Assert.True(plan.Succeeded, string.Join("\n", plan.Diagnostics));
            File.WriteAllText(file, plan.Render(plan.Secrets.ToDictionary(s => s.Key, s => $"sbir-etl_{s.Key}_v1")));

            // Variables the health check leaves to the container's shell, set in the CLI's environment: they must not leak in.
            var result = ProcessRun.Run(docker, ["stack", "config", "--compose-file", file], RepoPaths.Sample,
                new Dictionary<string, string?> { ["NEO4J_AUTH_FILE"] = "/leaked", ["NEO4J_AUTH"] = "leaked", ["a"] = "leaked", ["DOCKER_HOST"] = "unix:///nonexistent.sock" });
            Assert.True(result.ExitCode == 0, result.Output);
            Assert.DoesNotContain("leaked", result.Output);
            Assert.DoesNotContain(Password, result.Output);
            Assert.DoesNotContain(Password, File.ReadAllText(file));
            Assert.Contains("a=$(cat \"${NEO4J_AUTH_FILE:-/dev/null}\") && a=${a:-$NEO4J_AUTH}", result.Output);
            Assert.Contains("NEO4J_AUTH_FILE: /run/secrets/NEO4J_AUTH", result.Output);
            Assert.Contains("SBIR_ETL__NEO4J__PASSWORD_FILE: /run/secrets/SBIR_ETL__NEO4J__PASSWORD", result.Output);
            Assert.Contains("name: sbir-etl_NEO4J_AUTH_v1", result.Output);
            Assert.Contains("image: ghcr.io/acme/sbir-etl@sha256:" + new string('a', 64), result.Output);
            Assert.Contains("node.labels.sbir-etl.data == true", result.Output);
            Assert.Contains("failure_action: rollback", result.Output);
            Assert.DoesNotContain("depends_on", result.Output);
            Assert.DoesNotContain("etl-runner", result.Output);
            Assert.DoesNotContain("Ignoring", result.Output);
            if (endpointMode == "dnsrr")
            {
                Assert.Contains("endpoint_mode: dnsrr", result.Output);
                Assert.Contains("mode: host", result.Output);
            }
        }
        finally
        {
            File.Delete(file);
            File.Delete(dagster);
        }
    }

    /// <summary>A docker CLI with 'stack config' (added after 20.10): the one on PATH, else a visible skip.</summary>
    private static string StackCli()
    {
        string docker = Tools.Require("docker", "install the docker CLI (docker-ce-cli 23 or newer has 'docker stack config')");
        var help = ProcessRun.Run(docker, ["stack", "config", "--help"]);
        if (help.ExitCode != 0 || !help.Output.Contains("--compose-file", StringComparison.Ordinal))
        {
            Assert.Skip($"{docker} has no 'docker stack config' (it came after docker 20.10); install a newer CLI");
        }

        return docker;
    }
}
