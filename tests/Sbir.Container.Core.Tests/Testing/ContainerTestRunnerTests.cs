using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Core.Tests.Fakes;
using Sbir.Container.Engine;
using Sbir.Container.Testing;

namespace Sbir.Container.Core.Tests.Testing;

/// <summary>
/// The orchestration of DockerTest at the process level (the end-to-end tests run it on the engine): the
/// stack only for marked tests, started and reported as ComposeUp does, one merged report, the runtime
/// image's smoke test.
/// </summary>
public sealed class ContainerTestRunnerTests : IDisposable
{
    private const string Passing = """<testsuite><testcase classname="tests.test_a" name="test_ok" file="tests/test_a.py" line="3"/></testsuite>""";
    private const string StackPassing = """<testsuite><testcase classname="tests.test_s" name="test_neo4j" file="tests/test_s.py" line="5"/></testsuite>""";
    private const string Healthy = """[{"Id":"c1","Name":"/p_neo4j_1","State":{"Status":"running","Health":{"Status":"healthy","Log":[]}},"Config":{"Labels":{"com.docker.compose.service":"neo4j","com.docker.compose.project":"p"}},"RestartCount":0}]""";

    private readonly TempDirectory _dir = new();
    private readonly ScriptedProcessRunner _runner = new();
    private readonly List<string> _milestones = [];

    public void Dispose() => _dir.Dispose();

    private string Results => Path.Combine(_dir.Path, "TestResults");

    private ContainerTestRequest Request(TestStackMode mode, bool withStack = true) => new()
    {
        ProjectDirectory = _dir.Path,
        TestImage = "app:test",
        ResultsDirectory = Results,
        Mode = mode,
        Stack = withStack
            ? new ComposeRequest { ProjectName = "p", ProjectDirectory = _dir.Path, Files = [Path.Combine(_dir.Path, "docker-compose.yml")], Services = ["neo4j"], PollInterval = TimeSpan.FromMilliseconds(1) }
            : null,
    };

    private ContainerTestRunner Runner()
    {
        var docker = new DockerCli("/usr/bin/docker", _runner);
        return new ContainerTestRunner(docker, new ComposeRunner(docker, new ComposeCli("/usr/bin/docker-compose", [], "1.29.2"), new Progress(_milestones)), new Progress(_milestones));
    }

    /// <summary>The lone 'docker run' of pytest writes its report into the mounted results folder.</summary>
    private void AloneRunWrites(string report, int exit = 0)
        => _runner.On("docker", ["run", "--rm", "--name"], spec =>
        {
            string file = spec.Arguments.First(a => a.StartsWith("--junitxml=", StringComparison.Ordinal))["--junitxml=/results/".Length..];
            File.WriteAllText(Path.Combine(Results, file), report);
            return ScriptedProcessRunner.Result(exit, "1 passed");
        });

    private void Collects(int exit, string stdout = "")
        => _runner.On("docker", ["run", "--rm", "--network", "none", "--label", "org.sbir.container.test=collect"], exit, stdout);

    private void CleanupAnswers()
    {
        _runner.On("docker", ["rm"], 0);
        _runner.On("docker", ["network", "ls"], 0);
        _runner.On("docker", ["volume", "ls"], 0);
        _runner.On("docker-compose", [], spec => spec.Arguments.Contains("down") ? ScriptedProcessRunner.Result(0) : throw new InvalidOperationException("unexpected compose call " + spec.Display));
    }

    [Fact]
    public async Task With_no_marked_test_the_stack_is_never_started()
    {
        Collects(5, "no tests collected");
        AloneRunWrites(Passing);
        CleanupAnswers();

        var result = await Runner().RunAsync(Request(TestStackMode.Marked));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(0, result.StackTests);
        Assert.Equal(1, result.Report!.Passed);
        Assert.DoesNotContain(_runner.Calls, c => Path.GetFileName(c.FileName) == "docker-compose");
        var alone = _runner.Calls.Single(c => c.Arguments.Contains("--name"));
        Assert.Equal(["-m", "not stack"], alone.Arguments.TakeLast(2));
        Assert.True(File.Exists(Path.Combine(Results, "junit.xml")));
        Assert.False(File.Exists(Path.Combine(Results, "junit-unit.xml")));
    }

    [Fact]
    public async Task Marked_tests_start_only_the_services_the_test_service_needs_and_one_report_holds_both_runs()
    {
        Collects(0, "tests/test_s.py::test_neo4j\n\n1 test collected");
        AloneRunWrites(Passing);
        CleanupAnswers();
        _runner.On("docker-compose", [], spec =>
        {
            if (spec.Arguments.Contains("up"))
            {
                return ScriptedProcessRunner.Result(0);
            }

            if (spec.Arguments.Contains("run"))
            {
                File.WriteAllText(Path.Combine(Results, "junit.xml"), StackPassing);
                return ScriptedProcessRunner.Result(0, "1 passed");
            }

            return ScriptedProcessRunner.Result(0);
        });
        _runner.On("docker", ["ps"], 0, "c1");
        _runner.On("docker", ["inspect"], 0, Healthy);

        var result = await Runner().RunAsync(Request(TestStackMode.Marked));

        Assert.True(result.Succeeded, string.Join("\n", result.Diagnostics));
        Assert.Equal(1, result.StackTests);
        Assert.Equal(2, result.Report!.Passed);
        var compose = _runner.Calls.Where(c => Path.GetFileName(c.FileName) == "docker-compose").ToList();
        Assert.EndsWith("up --detach --remove-orphans neo4j", string.Join(' ', compose[0].Arguments));
        Assert.EndsWith("run --rm -T --no-deps tests", string.Join(' ', compose[1].Arguments));
        Assert.Equal("-m 'stack'", compose[1].Environment!["PYTEST_ADDOPTS"]);
        Assert.Contains("down", compose[2].Arguments);
        // The stack's progress, as ComposeUp shows it.
        Assert.Contains(_milestones, m => m.Contains("neo4j", StringComparison.Ordinal) && m.Contains("running, healthy", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_stack_that_fails_is_reported_as_ComposeUp_reports_it_and_not_as_a_pytest_exit_code()
    {
        Collects(0, "tests/test_s.py::test_neo4j");
        AloneRunWrites(Passing);
        CleanupAnswers();
        _runner.On("docker-compose", [], spec => spec.Arguments.Contains("up") ? ScriptedProcessRunner.Result(1, "", "ERROR: for tests  Container \"c1\" is unhealthy.") : ScriptedProcessRunner.Result(0));
        _runner.On("docker", ["ps"], 0, "c1");
        _runner.On("docker", ["inspect"], 0, Healthy.Replace("\"healthy\"", "\"unhealthy\""));
        _runner.On("docker", ["logs"], 0, "Started.");

        var result = await Runner().RunAsync(Request(TestStackMode.Marked));

        Assert.Contains(result.Diagnostics, d => d.Code == "SBC5203" && d.Message.StartsWith("Service 'neo4j' is unhealthy", StringComparison.Ordinal));
        Assert.DoesNotContain(result.Diagnostics, d => d.Code is "SBC5304" or "SBC5303");
        Assert.DoesNotContain(_runner.Calls, c => c.Arguments.Contains("run") && Path.GetFileName(c.FileName) == "docker-compose");
    }

    [Fact]
    public async Task Marked_tests_without_a_test_stack_are_a_coded_error()
    {
        Collects(0, "tests/test_s.py::test_neo4j\ntests/test_s.py::test_two");
        AloneRunWrites(Passing);
        CleanupAnswers();

        var result = await Runner().RunAsync(Request(TestStackMode.Marked, withStack: false));

        var error = Assert.Single(result.Diagnostics, d => d.Code == "SBC5307");
        Assert.StartsWith("2 test(s) are marked 'stack'", error.Message);
    }

    [Fact]
    public async Task A_run_that_fails_without_a_report_is_SBC5304_even_with_exit_code_1()
    {
        _runner.On("docker", ["run", "--rm", "--name"], 1, "", "ImportError while loading conftest");
        CleanupAnswers();

        var result = await Runner().RunAsync(Request(TestStackMode.None, withStack: false));

        Assert.Contains(result.Diagnostics, d => d.Code == "SBC5304" && d.Message.Contains("exit code 1", StringComparison.Ordinal));
    }

    [Fact]
    public async Task A_collection_error_is_a_coded_error()
    {
        Collects(2, "ERROR collecting tests/test_x.py\nImportError: nope");
        CleanupAnswers();

        var result = await Runner().RunAsync(Request(TestStackMode.Marked));

        Assert.Contains(result.Diagnostics, d => d.Code == "SBC5306" && d.Message.Contains("ImportError: nope", StringComparison.Ordinal));
    }

    [Fact]
    public async Task The_smoke_test_runs_each_command_in_the_runtime_image_without_a_network_and_names_what_fails()
    {
        AloneRunWrites(Passing);
        CleanupAnswers();
        _runner.On("docker", ["run", "--rm", "--name"], spec =>
        {
            if (!spec.Arguments.Contains("app:runtime"))
            {
                string file = spec.Arguments.First(a => a.StartsWith("--junitxml=", StringComparison.Ordinal))["--junitxml=/results/".Length..];
                File.WriteAllText(Path.Combine(Results, file), Passing);
                return ScriptedProcessRunner.Result(0);
            }

            return spec.Arguments[^1] == "validate" ? ScriptedProcessRunner.Result(1, "", "ImportError: libpq.so.5: cannot open shared object file") : ScriptedProcessRunner.Result(0, "usage");
        });

        var request = Request(TestStackMode.None, withStack: false) with
        {
            SmokeImage = new ServiceImage("runtime", "app:runtime", "SBIR_IMAGE", "the image DockerBuild built"),
            SmokeCommands = [["dagster", "definitions", "validate"], ["etl-runner", "--help"]],
        };
        var result = await Runner().RunAsync(request);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC5305", error.Code);
        Assert.Contains("The runtime image app:runtime failed the smoke test 'dagster definitions validate' (exit code 1)", error.Message);
        Assert.Contains("libpq.so.5", error.Message);
        Assert.Equal(1, result.Smoked);
        Assert.All(_runner.Calls.Where(c => c.Arguments.Contains("app:runtime")), c => Assert.Contains("none", c.Arguments));
    }

    [Fact]
    public async Task A_runtime_image_that_cannot_be_pulled_is_named_with_its_variable()
    {
        AloneRunWrites(Passing);
        CleanupAnswers();
        _runner.On("docker", ["run", "--rm", "--name"], spec => spec.Arguments.Contains("registry.example/app:9")
            ? ScriptedProcessRunner.Result(125, "", "Unable to find image 'registry.example/app:9' locally\ndocker: Error response from daemon: pull access denied for registry.example/app")
            : WriteReport(spec));

        var request = Request(TestStackMode.None, withStack: false) with
        {
            SmokeImage = new ServiceImage("runtime", "registry.example/app:9", "SBIR_IMAGE", "SBIR_IMAGE in .env (line 9)"),
            SmokeCommands = [["a"], ["b"]],
        };
        var result = await Runner().RunAsync(request);

        var error = Assert.Single(result.Diagnostics);
        Assert.Equal("SBC5209", error.Code);
        Assert.Contains("The image 'registry.example/app:9' of service 'runtime' is not in the engine and could not be pulled; it is selected by SBIR_IMAGE in .env (line 9)", error.Message);
        Assert.Contains("or set SBIR_IMAGE to an image that exists", error.Message);
    }

    private ProcessResult WriteReport(ProcessSpec spec)
    {
        string file = spec.Arguments.First(a => a.StartsWith("--junitxml=", StringComparison.Ordinal))["--junitxml=/results/".Length..];
        File.WriteAllText(Path.Combine(Results, file), Passing);
        return ScriptedProcessRunner.Result(0);
    }

    private sealed class Progress(List<string> milestones) : IBuildProgress
    {
        public void Status(string message)
        {
        }

        public void Output(string line)
        {
        }

        public void Milestone(string message) => milestones.Add(message);
    }
}
