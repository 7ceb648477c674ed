using Sbir.Container.TestKit;

namespace Sbir.Container.IntegrationTests;

/// <summary>docker-compose itself renders the sample's dev, test and prod stacks from its files and a .env.</summary>
public class ComposeConfigTests
{
    [Theory]
    [InlineData("prod", new[] { "docker-compose.yml" }, new string[0])]
    [InlineData("dev", new[] { "docker-compose.yml", "docker/docker-compose.dev.yml" }, new[] { "dev" })]
    [InlineData("test", new[] { "docker-compose.yml", "docker/docker-compose.test.yml" }, new[] { "test" })]
    [InlineData("seed", new[] { "docker-compose.yml", "docker/docker-compose.seed.yml" }, new[] { "runner" })]
    public void Docker_compose_config_renders_the_profile(string profile, string[] files, string[] profiles)
    {
        string compose = Tools.Require("docker-compose", "apt-get install docker-compose");
        string env = Path.Combine(Path.GetTempPath(), "sbir-config-" + Guid.NewGuid().ToString("N") + ".env");
        File.WriteAllText(env, File.ReadAllText(Path.Combine(RepoPaths.Sample, ".env.example")).Replace("NEO4J_PASSWORD=change-me", "NEO4J_PASSWORD=Render-Test-Secret-1"));
        try
        {
            var args = new List<string> { "--project-directory", RepoPaths.Sample, "--env-file", env };
            foreach (string file in files)
            {
                args.AddRange(["--file", Path.Combine(RepoPaths.Sample, file)]);
            }

            foreach (string p in profiles)
            {
                args.AddRange(["--profile", p]);
            }

            args.Add("config");
            var result = ProcessRun.Run(compose, args, RepoPaths.Sample);
            Assert.True(result.ExitCode == 0, $"{profile}:\n{result.Output}");
            Assert.Contains("neo4j:", result.Output);
            Assert.Contains("dagster-webserver:", result.Output);
            Assert.DoesNotContain("WARNING", result.Output);
            if (profile == "prod")
            {
                Assert.DoesNotContain(RepoPaths.Sample + "/src:/app/src", result.Output);
            }
            else if (profile == "dev")
            {
                Assert.Contains(RepoPaths.Sample + "/src:/app/src:ro", result.Output);
            }
        }
        finally
        {
            File.Delete(env);
        }
    }
}
