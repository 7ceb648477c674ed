using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// ComposeUp, ComposeStatus and ComposeDown on the real engine with the sample's compose files and
/// entrypoint scripts (Neo4j and Dagster are stand-ins; see StandIns/README.md).
/// </summary>
[Collection(EngineCollection.Name)]
public partial class ComposeStackTests : IClassFixture<ComposeStackFixture>
{
    // The fixture records a missing prerequisite; skipping here shows as a skip, not as a failure.
    private readonly ComposeStackFixture stack;

    public ComposeStackTests(ComposeStackFixture stack)
    {
        Prerequisite.SkipIf(stack.SkipReason);
        this.stack = stack;
    }

    // The dev profile comes up in ComposeStackTests.DevProfile.cs, which asserts the same and the dev loop on one stack.
    [Theory]
    [InlineData("prod")]
    public void Profile_comes_up_healthy_and_down_leaves_nothing_behind(string profile)
    {
        var up = stack.Compose("ComposeUp", "-p:Profile=" + profile).AssertSucceeded();
        Assert.Contains($"ComposeUp: the {profile} stack is healthy", up.Output);
        foreach (string service in new[] { "neo4j", "dagster-webserver", "dagster-daemon" })
        {
            Assert.Matches($@"\n\s*{service}\s+running\s+healthy", up.Output);
        }

        Assert.DoesNotContain(stack.Secret, up.Output);
        var status = stack.Compose("ComposeStatus", "-p:Profile=" + profile).AssertSucceeded();
        Assert.Matches(@"dagster-webserver\s+running\s+healthy\s+0\.0\.0\.0:\d+->3000/tcp", status.Output);

        stack.Compose("ComposeDown", "-p:Profile=" + profile, "-p:SbirComposeRemoveVolumes=true").AssertSucceeded();
        Assert.Equal((0, 0, 0), stack.Leftovers());
    }

    [Fact]
    public void Webserver_daemon_and_etl_runner_load_the_same_code_location()
    {
        try
        {
            stack.Compose("ComposeUp", "-p:Profile=prod").AssertSucceeded();
            // Each Dagster process logs the code server it started, as real Dagster does.
            string Location(string text) => System.Text.RegularExpressions.Regex.Match(text, @"Started Dagster code server for module (\S+)").Groups[1].Value;
            string web = Location(DockerEngine.DockerOk("logs", stack.ContainerOf("dagster-webserver")));
            string daemon = Location(DockerEngine.DockerOk("logs", stack.ContainerOf("dagster-daemon")));
            var run = stack.Compose("ComposeRun", "-p:Profile=prod", "-p:SbirComposeRunService=etl-runner", "-p:SbirComposeRunArguments=dagster definitions validate").AssertSucceeded();
            Assert.Equal("sbir_etl.definitions", web);
            Assert.Equal(web, daemon);
            Assert.Equal(web, Location(run.Output));
            Assert.Contains("Validation successful for code location sbir_etl.definitions: assets raw_sbir_awards, neo4j_award_graph", run.Output);
            Assert.Contains("ComposeRun: etl-runner finished (exit code 0).", run.Output);

            // A command that fails in the service is SBC5210 with its exit code and output: here through the
            // etl-runner script, whose check of a Dagster command's code location exits 2 with SBC5312.
            var failed = stack.Compose("ComposeRun", "-p:Profile=prod", "-p:SbirComposeRunService=etl-runner", "-p:SbirComposeRunArguments=etl-runner dagster asset list -m no_such_module").AssertFailed();
            Assert.Contains("The command in service 'etl-runner' ended with exit code 2", failed.Single("SBC5210").Message);
            Assert.Contains("SBC5312", failed.Output);
            Assert.DoesNotContain(stack.Secret, run.Output + failed.Output);
        }
        finally
        {
            stack.Compose("ComposeDown", "-p:Profile=prod", "-p:SbirComposeRemoveVolumes=true");
        }
    }

    [Fact]
    public void A_service_without_a_code_location_is_named_with_the_coded_line_of_its_entrypoint()
    {
        // The webserver as the image once was: no code location. Its entrypoint says so in one coded log
        // line and exits 2; ComposeUp fails at its first restart, showing that line.
        stack.Repo.Write("docker/no-code-location.yml", """
            services:
              dagster-webserver:
                environment:
                  DAGSTER_MODULE_NAME: ""
            """);
        string config = File.ReadAllText(Path.Combine(stack.Repo.Path, "config", "docker.yaml"));
        stack.Repo.Write("config/docker.yaml", config.Replace("  health:\n", "    nolocation:\n      files: [docker-compose.yml, docker/no-code-location.yml]\n  health:\n"));
        try
        {
            var up = stack.Compose("ComposeUp", "-p:Profile=nolocation", "-p:SbirComposeDownOnFailure=true").AssertFailed();
            var error = up.Single("SBC5204");
            Assert.StartsWith("Service 'dagster-webserver'", error.Message);
            Assert.Contains("\"code\":\"SBC5310\"", up.Output);
            Assert.Contains("no Dagster code location", up.Output);
            Assert.DoesNotContain(stack.Secret, up.Output);
        }
        finally
        {
            stack.Repo.Write("config/docker.yaml", config);
            File.Delete(Path.Combine(stack.Repo.Path, "docker", "no-code-location.yml"));
        }
    }

    [Fact]
    public void A_host_port_held_by_another_process_fails_ComposeUp_with_SBC5208_naming_the_port()
    {
        string line = File.ReadAllLines(Path.Combine(stack.Repo.Path, ".env")).Single(l => l.StartsWith("NEO4J_HTTP_PORT=", StringComparison.Ordinal));
        int port = int.Parse(line["NEO4J_HTTP_PORT=".Length..], CultureInfo.InvariantCulture);
        var holder = new TcpListener(IPAddress.Any, port);
        holder.Start();
        try
        {
            var up = stack.Compose("ComposeUp", "-p:Profile=prod", "-p:SbirComposeBuildImage=false", "-p:SbirComposeDownOnFailure=true").AssertFailed();
            var error = up.Single("SBC5208");
            Assert.StartsWith($"Host port {port} is already taken", error.Message);
            Assert.Contains("NEO4J_HTTP_PORT", up.Output);
            Assert.DoesNotContain(stack.Secret, up.Output);
            Assert.Equal((0, 0, 0), stack.Leftovers());
        }
        finally
        {
            holder.Stop();
            stack.Compose("ComposeDown", "-p:Profile=prod", "-p:SbirComposeRemoveVolumes=true");
        }
    }

    [Fact]
    public void Daemon_waits_for_Neo4j_by_service_name_and_exits_non_zero_when_it_never_comes()
    {
        var clock = Stopwatch.StartNew();
        var run = DockerEngine.Docker("run", "--rm", "-e", "SERVICE_STARTUP_TIMEOUT=4", "-e", "SBIR_SERVICE=dagster-daemon",
            "-e", "SBIR_ETL__NEO4J__URI=bolt://neo4j-that-never-comes:7687", stack.DagsterImage, "dagster-daemon");
        Assert.Equal(3, run.ExitCode);
        Assert.Contains("neo4j-that-never-comes:7687", run.Output);
        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(60), clock.Elapsed.ToString());
    }

    [Fact]
    public void A_service_that_never_turns_healthy_fails_ComposeUp_with_its_name_and_logs()
    {
        // A profile of the test's own: the sample's files plus an overlay whose Neo4j never accepts the password.
        stack.Repo.Write("docker/broken.yml", ComposeStackFixture.BrokenNeo4jOverlay);
        string config = File.ReadAllText(Path.Combine(stack.Repo.Path, "config", "docker.yaml"));
        stack.Repo.Write("config/docker.yaml", config.Replace("  health:\n", "    broken:\n      files: [docker-compose.yml, docker/broken.yml]\n  health:\n"));
        try
        {
            var up = stack.Compose("ComposeUp", "-p:Profile=broken", "-p:SbirComposeWaitTimeout=120", "-p:SbirComposeDownOnFailure=true").AssertFailed();
            var error = up.Single("SBC5203");
            Assert.StartsWith("Service 'neo4j' is unhealthy", error.Message);
            Assert.Contains("unauthorized", up.Output);
            Assert.Contains("Started.", up.Output);
            Assert.DoesNotContain(stack.Secret, up.Output);
            // Torn down with the volumes this 'up' created (SbirComposeDownOnFailure=true).
            Assert.Equal((0, 0, 0), stack.Leftovers());
        }
        finally
        {
            stack.Repo.Write("config/docker.yaml", config);
            File.Delete(Path.Combine(stack.Repo.Path, "docker", "broken.yml"));
        }
    }

    [Fact]
    public void SIGTERM_stops_a_service_within_seconds_and_secrets_from_run_secrets_are_loaded_unlogged()
    {
        string token = "run-secret-" + Guid.NewGuid().ToString("N");
        stack.Repo.Write("secrets/standin_token", token);
        stack.Repo.Write("docker/secrets.yml", """
            services:
              dagster-webserver:
                secrets:
                  - source: standin_token
                    target: STANDIN_SECRET_TOKEN
            secrets:
              standin_token:
                file: ./secrets/standin_token
            """);
        string config = File.ReadAllText(Path.Combine(stack.Repo.Path, "config", "docker.yaml"));
        stack.Repo.Write("config/docker.yaml", config.Replace("  health:\n", "    secrets:\n      files: [docker-compose.yml, docker/secrets.yml]\n  health:\n"));
        try
        {
            stack.Compose("ComposeUp", "-p:Profile=secrets").AssertSucceeded();
            string web = stack.ContainerOf("dagster-webserver");
            string logs = DockerEngine.DockerOk("logs", web);
            Assert.Contains("\"STANDIN_SECRET_TOKEN\": " + token.Length, logs);
            Assert.Contains("STANDIN_SECRET_TOKEN", logs);
            Assert.DoesNotContain(token, logs);
            Assert.DoesNotContain(token, DockerEngine.DockerOk("inspect", web));
            Assert.DoesNotContain(stack.Secret, logs);

            var clock = Stopwatch.StartNew();
            DockerEngine.DockerOk("stop", "--time", "30", web);
            // Well under the 30 s after which docker kills: the entrypoint passed SIGTERM on (exit 0 or 143, not 137).
            Assert.True(clock.Elapsed < TimeSpan.FromSeconds(25), $"stopping took {clock.Elapsed.TotalSeconds:0.0} s");
            string exit = DockerEngine.DockerOk("inspect", "--format", "{{.State.ExitCode}}", web);
            Assert.Contains(exit, new[] { "0", "143" });
        }
        finally
        {
            stack.Compose("ComposeDown", "-p:Profile=secrets", "-p:SbirComposeRemoveVolumes=true");
            stack.Repo.Write("config/docker.yaml", config);
        }
    }
}
