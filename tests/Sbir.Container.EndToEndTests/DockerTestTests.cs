using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// DockerTest on the sample (offline twin): the runtime image is smoke-tested (the fixture's .env points
/// SBIR_IMAGE at the Dagster stand-in built on it, the image the stack runs), the tests run inside the
/// test-stage image, alone unless a selected test carries the stack marker, then with the ephemeral
/// compose test stack (stand-ins for Neo4j and Dagster); a failing test fails the build at its file and
/// line, a stack that cannot start is named as ComposeUp names it; nothing is left behind.
/// </summary>
[Collection(EngineCollection.Name)]
public class DockerTestTests : IClassFixture<ComposeStackFixture>
{
    // The fixture records a missing prerequisite; skipping here shows as a skip, not as a failure.
    private readonly ComposeStackFixture stack;

    public DockerTestTests(ComposeStackFixture stack)
    {
        Prerequisite.SkipIf(stack.SkipReason);
        this.stack = stack;
    }

    /// <summary>A test that needs the stack: it reaches Neo4j by its service name and completes a Bolt handshake.</summary>
    private const string MarkedTest = """
        import socket

        import pytest


        @pytest.mark.stack
        def test_neo4j_answers_by_service_name():
            with socket.create_connection(("neo4j", 7687), timeout=5) as s:
                s.sendall(bytes.fromhex("6060B017") + bytes((0, 0, 4, 5)) + bytes(12))
                assert s.recv(4) == bytes((0, 0, 4, 5))
        """;

    private BuildOutcome DockerTest(params string[] extra)
        => stack.Repo.Build(["-t:DockerTest", "-v:n", "-p:SbirContainerImageName=" + stack.AppImage, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli, .. extra]);

    [Fact]
    public void The_samples_tests_run_without_Neo4j_or_Dagster_and_the_runtime_image_is_smoke_tested()
    {
        // The host ports of .env are taken, as a running dev stack would take them: nothing of DockerTest may need them.
        var held = HoldEnvPorts();
        string since = DateTimeOffset.UtcNow.AddSeconds(-1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        BuildOutcome result;
        try
        {
            result = DockerTest().AssertSucceeded();
        }
        finally
        {
            held.ForEach(l => l.Stop());
        }

        string until = DateTimeOffset.UtcNow.AddSeconds(1).ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        Assert.Matches(@"DockerTest: \d+ passed, 0 failed, 0 skipped in the test image alone \(no selected test is marked 'stack', so no stack was started\); runtime image smoke test: 4 of 4 command\(s\) passed", result.Output);
        Assert.True(File.Exists(Path.Combine(stack.Repo.Path, "TestResults", "junit.xml")));
        Assert.DoesNotContain(stack.Secret, result.Output);
        AssertNoTestStackLeft(result);

        // The engine's own record (other test runs may share the engine: only this fixture's images
        // count): no container of the Neo4j image, no compose container of the Dagster image; that image
        // only for the four smoke commands (no network, removed).
        var created = DockerEngine.DockerOk("events", "--since", since, "--until", until, "--filter", "type=container", "--filter", "event=create",
            "--format", "{{.Actor.Attributes.image}} {{index .Actor.Attributes \"com.docker.compose.project\"}}").Split('\n', StringSplitOptions.RemoveEmptyEntries)
            .Where(c => c.StartsWith(stack.Neo4jImage, StringComparison.Ordinal) || c.StartsWith(stack.DagsterImage, StringComparison.Ordinal))
            .ToList();
        Assert.DoesNotContain(created, c => c.StartsWith(stack.Neo4jImage, StringComparison.Ordinal));
        Assert.Equal([stack.DagsterImage + " ", stack.DagsterImage + " ", stack.DagsterImage + " ", stack.DagsterImage + " "], created);
    }

    [Fact]
    public void A_marked_test_brings_the_stack_up_with_ComposeUps_progress_and_the_others_still_run_alone()
    {
        string test = stack.Repo.Write("tests/test_e2e_stack.py", MarkedTest);
        try
        {
            var result = DockerTest("-p:SbirTestSmoke=false").AssertSucceeded();
            Assert.Matches(@"DockerTest: \d+ passed, 0 failed, 0 skipped; 1 of them marked 'stack' ran with the test stack sbir-etl-test-\w+ \(removed\), the others in the test image alone", result.Output);
            // The services the test service depends on, and their progress as ComposeUp prints it.
            Assert.Contains("DockerTest: starting the test stack", result.Output);
            Assert.Matches(@"\n\s*neo4j\s+running, healthy \(\d+ s\)", result.Output);
            Assert.Matches(@"\n\s*dagster-webserver\s+running, healthy \(\d+ s\)", result.Output);
            Assert.DoesNotContain("dagster-daemon ", result.Output);
            Assert.DoesNotContain(stack.Secret, result.Output);
            AssertNoTestStackLeft(result);
        }
        finally
        {
            File.Delete(test);
        }
    }

    [Fact]
    public void An_image_that_cannot_be_pulled_is_named_with_the_variable_that_selects_it()
    {
        string test = stack.Repo.Write("tests/test_e2e_stack.py", MarkedTest);
        string env = File.ReadAllText(Path.Combine(stack.Repo.Path, ".env"));
        string missing = "sbir-e2e-no-such-image-" + Guid.NewGuid().ToString("N")[..8] + ":5.26";
        stack.Repo.Write(".env", System.Text.RegularExpressions.Regex.Replace(env, "(?m)^NEO4J_IMAGE=.*$", "NEO4J_IMAGE=" + missing));
        try
        {
            var result = DockerTest("-p:SbirTestSmoke=false").AssertFailed();
            var error = result.Single("SBC5209");
            Assert.Contains($"The image '{missing}' of service 'neo4j' is not in the engine and could not be pulled", error.Message);
            Assert.Contains("NEO4J_IMAGE in .env (line", error.Message);
            Assert.DoesNotContain(result.Errors, e => e.Code == "SBC5304");
            AssertNoTestStackLeft(result);
        }
        finally
        {
            stack.Repo.Write(".env", env);
            File.Delete(test);
        }
    }

    [Fact]
    public void A_stack_that_never_turns_healthy_is_named_as_ComposeUp_names_it_not_as_a_pytest_exit_code()
    {
        // The test profile's files plus an overlay whose Neo4j never accepts the password.
        string test = stack.Repo.Write("tests/test_e2e_stack.py", MarkedTest);
        stack.Repo.Write("docker/broken-test.yml", ComposeStackFixture.BrokenNeo4jOverlay);
        string config = File.ReadAllText(Path.Combine(stack.Repo.Path, "config", "docker.yaml"));
        stack.Repo.Write("config/docker.yaml", config.Replace("files: [docker-compose.yml, docker/docker-compose.test.yml]", "files: [docker-compose.yml, docker/docker-compose.test.yml, docker/broken-test.yml]"));
        try
        {
            var result = DockerTest("-p:SbirTestSmoke=false", "-p:SbirComposeWaitTimeout=120").AssertFailed();
            var error = result.Single("SBC5203");
            Assert.StartsWith("Service 'neo4j' is unhealthy", error.Message);
            Assert.Contains("unauthorized", result.Output);
            Assert.DoesNotContain(result.Errors, e => e.Code is "SBC5304" or "SBC5303");
            Assert.DoesNotContain(stack.Secret, result.Output);
            AssertNoTestStackLeft(result);
        }
        finally
        {
            stack.Repo.Write("config/docker.yaml", config);
            File.Delete(Path.Combine(stack.Repo.Path, "docker", "broken-test.yml"));
            File.Delete(test);
        }
    }

    [Fact]
    public void A_runtime_image_without_what_the_builder_has_fails_the_smoke_test()
    {
        // The runtime image without Dagster (the offline twin as built): the tests pass in the test stage,
        // but the runtime image cannot load its code location.
        string env = File.ReadAllText(Path.Combine(stack.Repo.Path, ".env"));
        stack.Repo.Write(".env", System.Text.RegularExpressions.Regex.Replace(env, "(?m)^SBIR_IMAGE=.*$", "SBIR_IMAGE=" + stack.AppImage + ":latest"));
        try
        {
            var result = DockerTest().AssertFailed();
            var smoke = result.Errors.Where(e => e.Code == "SBC5305").ToList();
            Assert.Contains(smoke, e => e.Message.Contains("failed the smoke test 'dagster definitions validate' (exit code 127)", StringComparison.Ordinal));
            Assert.Matches(@"DockerTest: \d+ passed, 0 failed", result.Output);
        }
        finally
        {
            stack.Repo.Write(".env", env);
        }
    }

    [Fact]
    public void A_failing_test_fails_the_build_at_its_file_and_line_and_the_filter_selects_it()
    {
        string test = stack.Repo.Write("tests/test_e2e_deliberate.py", "\n\ndef test_deliberately_fails():\n    assert 1 + 1 == 3\n\n\ndef test_other_passes():\n    assert True\n");
        try
        {
            var result = DockerTest("-p:SbirTestSmoke=false").AssertFailed();
            var failed = result.Single("SBC5301");
            Assert.Equal(test, failed.File);
            Assert.Equal(3, failed.Line);
            Assert.Contains("tests/test_e2e_deliberate.py::test_deliberately_fails", failed.Message);
            Assert.Contains("assert (1 + 1) == 3", failed.Message);
            AssertNoTestStackLeft(result);

            var filtered = DockerTest("-p:SbirTestFilter=deliberately", "-p:SbirTestServices=false", "-p:SbirTestSmoke=false").AssertFailed();
            Assert.Contains("DockerTest: 0 passed, 1 failed, 0 skipped in the test image alone", filtered.Output);

            var none = DockerTest("-p:SbirTestFilter=no_such_test_anywhere", "-p:SbirTestServices=false", "-p:SbirTestSmoke=false").AssertFailed();
            Assert.Contains("no test matching 'no_such_test_anywhere'", none.Single("SBC5303").Message);
        }
        finally
        {
            File.Delete(test);
        }

        Assert.Empty(DockerEngine.DockerOk("ps", "-aq", "--filter", "label=org.sbir.container.test"));
    }

    private List<TcpListener> HoldEnvPorts()
    {
        var held = File.ReadAllLines(Path.Combine(stack.Repo.Path, ".env"))
            .Where(l => l.Contains("_PORT=", StringComparison.Ordinal))
            .Select(l => new TcpListener(IPAddress.Any, int.Parse(l[(l.IndexOf('=') + 1)..], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(4, held.Count); // NEO4J_HTTP_PORT, NEO4J_BOLT_PORT, DAGSTER_PORT, DOCS_PORT
        held.ForEach(l => l.Start());
        return held;
    }

    /// <summary>
    /// Nothing of the runs' test stacks is left: no container, network or volume of the projects they
    /// named, and no container of this fixture's Neo4j image (other test runs may share the engine).
    /// </summary>
    private void AssertNoTestStackLeft(params BuildOutcome[] runs)
    {
        foreach (string project in runs.SelectMany(r => System.Text.RegularExpressions.Regex.Matches(r.Output, @"sbir-etl-test-[0-9a-f]{8}").Select(m => m.Value)).Distinct())
        {
            string filter = "label=com.docker.compose.project=" + project;
            Assert.Equal(string.Empty, DockerEngine.DockerOk("ps", "-aq", "--filter", filter) + DockerEngine.DockerOk("network", "ls", "-q", "--filter", filter) + DockerEngine.DockerOk("volume", "ls", "-q", "--filter", filter));
        }

        Assert.Equal(string.Empty, DockerEngine.DockerOk("ps", "-aq", "--filter", "ancestor=" + stack.Neo4jImage));
    }
}
