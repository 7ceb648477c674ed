using System.Globalization;
using System.Net;
using System.Net.Sockets;
using Sbir.Container.TestKit;

namespace Sbir.Container.EndToEndTests;

/// <summary>
/// DockerTest on the sample (offline twin): the tests run inside the test-stage image, with the
/// ephemeral compose test stack (stand-ins for Neo4j and Dagster) or alone; a failing test fails the
/// build at its file and line; nothing is left behind either way.
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

    private BuildOutcome DockerTest(params string[] extra)
        => stack.Repo.Build(["-t:DockerTest", "-v:n", "-p:SbirContainerImageName=" + stack.AppImage, "-p:SbirContainerBaseImage=" + DockerEngine.BaseImage, "-p:SbirDockerCli=" + DockerEngine.Cli, .. extra]);

    [Fact]
    public void Passing_tests_pass_with_the_test_stack_and_leave_nothing_behind()
    {
        // The host ports of .env are taken, as a running dev stack would take them: the test stack
        // must not use them (DockerTest gives every port variable a free port).
        var held = File.ReadAllLines(Path.Combine(stack.Repo.Path, ".env"))
            .Where(l => l.Contains("_PORT=", StringComparison.Ordinal))
            .Select(l => new TcpListener(IPAddress.Any, int.Parse(l[(l.IndexOf('=') + 1)..], CultureInfo.InvariantCulture)))
            .ToList();
        Assert.Equal(3, held.Count);
        held.ForEach(l => l.Start());
        BuildOutcome result;
        try
        {
            result = DockerTest().AssertSucceeded();
        }
        finally
        {
            held.ForEach(l => l.Stop());
        }

        Assert.Matches(@"DockerTest: \d+ passed, 0 failed, 0 skipped with the test stack sbir-etl-test-\w+ \(removed\)", result.Output);
        Assert.True(File.Exists(Path.Combine(stack.Repo.Path, "TestResults", "junit.xml")));
        Assert.DoesNotContain(stack.Secret, result.Output);
        AssertNoTestStackLeft();
    }

    [Fact]
    public void A_failing_test_fails_the_build_at_its_file_and_line_and_the_filter_selects_it()
    {
        string test = stack.Repo.Write("tests/test_e2e_deliberate.py", "\n\ndef test_deliberately_fails():\n    assert 1 + 1 == 3\n\n\ndef test_other_passes():\n    assert True\n");
        try
        {
            var result = DockerTest().AssertFailed();
            var failed = result.Single("SBC5301");
            Assert.Equal(test, failed.File);
            Assert.Equal(3, failed.Line);
            Assert.Contains("tests/test_e2e_deliberate.py::test_deliberately_fails", failed.Message);
            Assert.Contains("assert (1 + 1) == 3", failed.Message);
            AssertNoTestStackLeft();

            var filtered = DockerTest("-p:SbirTestFilter=deliberately", "-p:SbirTestServices=false").AssertFailed();
            Assert.Contains("DockerTest: 0 passed, 1 failed, 0 skipped in a container", filtered.Output);

            var none = DockerTest("-p:SbirTestFilter=no_such_test_anywhere", "-p:SbirTestServices=false").AssertFailed();
            Assert.Contains("no test matching 'no_such_test_anywhere'", none.Single("SBC5303").Message);
        }
        finally
        {
            File.Delete(test);
        }

        Assert.Empty(DockerEngine.DockerOk("ps", "-aq", "--filter", "label=org.sbir.container.test"));
    }

    private static void AssertNoTestStackLeft()
    {
        string projects = DockerEngine.DockerOk("ps", "-a", "--format", "{{.Label \"com.docker.compose.project\"}}")
            + "\n" + DockerEngine.DockerOk("network", "ls", "--format", "{{.Name}}")
            + "\n" + DockerEngine.DockerOk("volume", "ls", "--format", "{{.Name}}");
        Assert.DoesNotContain("sbir-etl-test-", projects);
    }
}
