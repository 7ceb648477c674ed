using System.Diagnostics;
using System.Globalization;
using System.Runtime.InteropServices;
using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;

namespace Sbir.Container.Testing;

/// <summary>A test run in containers.</summary>
public sealed record ContainerTestRequest
{
    /// <summary>The project directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The image of the test stage (tests and test dependencies baked in).</summary>
    public required string TestImage { get; init; }

    /// <summary>Where the JUnit report goes (the project's TestResults/).</summary>
    public required string ResultsDirectory { get; init; }

    /// <summary>A pytest -k expression (SbirTestFilter), or null.</summary>
    public string? Filter { get; init; }

    /// <summary>Run through the compose test stack (services such as Neo4j), or a lone container when null.</summary>
    public ComposeRequest? Stack { get; init; }

    /// <summary>The compose service that runs the tests.</summary>
    public string TestService { get; init; } = "tests";

    /// <summary>Variables compose reads the images from, with the images just built (unless .env or the environment sets them).</summary>
    public IReadOnlyDictionary<string, string?> ImageVariables { get; init; } = new Dictionary<string, string?>();
}

/// <summary>What the test run found.</summary>
public sealed record ContainerTestResult(IReadOnlyList<Diagnostic> Diagnostics, JUnitReport? Report, int ExitCode, TimeSpan Elapsed, string ReportPath)
{
    /// <summary>True when every test passed and nothing failed around them.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Runs the application's tests inside its test image: alone with 'docker run', or with the services
/// they need through the compose test stack (an ephemeral project, every container, network and
/// volume removed afterwards, on failure and on Ctrl+C too). Results come back as JUnit XML; each
/// failing test becomes a diagnostic at its file and line.
/// </summary>
public sealed class ContainerTestRunner
{
    /// <summary>The report's path inside the container.</summary>
    public const string ContainerReport = "/results/junit.xml";

    private readonly DockerCli _docker;
    private readonly ComposeCli? _compose;
    private readonly IBuildProgress _progress;

    /// <summary>Creates a runner; <paramref name="compose"/> is needed only for runs with a stack.</summary>
    public ContainerTestRunner(DockerCli docker, ComposeCli? compose, IBuildProgress progress)
    {
        _docker = docker;
        _compose = compose;
        _progress = progress;
    }

    /// <summary>pytest's arguments: quiet, the report with files and lines (xunit1), no cache written into the image.</summary>
    public static IReadOnlyList<string> PytestArguments(string? filter)
    {
        var args = new List<string> { "python3", "-m", "pytest", "-q", "tests", "-p", "no:cacheprovider", "-o", "junit_family=xunit1", "--junitxml=" + ContainerReport };
        if (!string.IsNullOrWhiteSpace(filter))
        {
            args.AddRange(["-k", filter!]);
        }

        return args;
    }

    /// <summary>Runs the tests.</summary>
    public async Task<ContainerTestResult> RunAsync(ContainerTestRequest request, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(request.ResultsDirectory);
        string report = Path.Combine(request.ResultsDirectory, "junit.xml");
        File.Delete(report);

        var diagnostics = new List<Diagnostic>();
        int exitCode;
        ProcessResult run;
        if (request.Stack is null)
        {
            (run, exitCode) = await RunAloneAsync(request, cancellationToken).ConfigureAwait(false);
        }
        else
        {
            (run, exitCode) = await RunWithStackAsync(request, request.Stack, diagnostics, cancellationToken).ConfigureAwait(false);
        }

        if (run.Outcome == ProcessOutcome.Cancelled)
        {
            diagnostics.Add(DiagnosticCatalog.Cancelled.Create("DockerTest", "test"));
            return new ContainerTestResult(diagnostics, null, -1, clock.Elapsed, report);
        }

        var junit = JUnitReport.Load(report);
        if (junit is not null)
        {
            foreach (var failed in junit.Cases.Where(c => c.Outcome is "failed" or "error"))
            {
                string? file = failed.File is null ? null : Path.Combine(request.ProjectDirectory, failed.File);
                var span = failed.Line > 0 ? SourceSpan.OnLine(failed.Line) : SourceSpan.None;
                string filter = failed.Id.Contains("::", StringComparison.Ordinal) ? failed.Id[(failed.Id.LastIndexOf("::", StringComparison.Ordinal) + 2)..] : failed.Id;
                // 'test_x[a-b]' is no -k expression: the parameters go, the test's name stays.
                filter = filter.IndexOf('[', StringComparison.Ordinal) is > 0 and int bracket ? filter[..bracket] : filter;
                diagnostics.Add(DiagnosticCatalog.TestFailed.Create(file is not null && File.Exists(file) ? file : null, span, failed.Id, failed.Message.Length == 0 ? failed.Outcome : failed.Message, filter, Path.GetRelativePath(request.ProjectDirectory, report)));
            }
        }

        if (exitCode == 5 || (junit is not null && junit.Cases.Count == 0))
        {
            diagnostics.Add(DiagnosticCatalog.TestNothingRan.Create(string.IsNullOrWhiteSpace(request.Filter) ? "pytest collected no tests in the image" : $"pytest collected no test matching '{request.Filter}'"));
        }
        else if (junit is null && exitCode != 0 && request.Stack is not null && PortConflict.Find(run) is { } port)
        {
            // The test stack's ports were free a moment before; something took one in between.
            diagnostics.Add(DiagnosticCatalog.ComposePortTaken.Create(port, " of the tests (DockerTest picked it free just before, so running again usually works)", Indent(run.Tail(15))));
        }
        else if (junit is null && exitCode != 0)
        {
            diagnostics.Add(DiagnosticCatalog.TestRunFailed.Create(exitCode, Indent(run.Tail(15))));
        }
        else if (junit is null)
        {
            diagnostics.Add(DiagnosticCatalog.TestNothingRan.Create($"the tests exited with 0 but left no report at {Path.GetRelativePath(request.ProjectDirectory, report)}"));
        }
        else if (exitCode != 0 && junit.Failed == 0 && !diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            diagnostics.Add(DiagnosticCatalog.TestRunFailed.Create(exitCode, Indent(run.Tail(15))));
        }

        return new ContainerTestResult(diagnostics, junit, exitCode, clock.Elapsed, report);
    }

    private async Task<(ProcessResult Run, int ExitCode)> RunAloneAsync(ContainerTestRequest request, CancellationToken cancellationToken)
    {
        string name = "sbir-test-" + Guid.NewGuid().ToString("N")[..10];
        var args = new List<string> { "run", "--rm", "--name", name, "--label", "org.sbir.container.test=" + name, "--volume", request.ResultsDirectory + ":/results" };
        if (CurrentUser() is { } user)
        {
            // The report belongs to whoever runs the build, not to root.
            args.AddRange(["--user", user]);
        }

        args.Add(request.TestImage);
        args.AddRange(PytestArguments(request.Filter));
        _progress.Status(new ProcessSpec { FileName = _docker.Executable, Arguments = args }.Display);
        try
        {
            var run = await _docker.RunAsync(args, observer: new Forward(_progress), workingDirectory: request.ProjectDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            return (run, run.ExitCode);
        }
        finally
        {
            // A killed 'docker run' client leaves its container running: remove it whatever happened.
            await _docker.RunAsync(["rm", "--force", "--volumes", name], cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    private async Task<(ProcessResult Run, int ExitCode)> RunWithStackAsync(ContainerTestRequest request, ComposeRequest stack, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (_compose is null)
        {
            throw new InvalidOperationException("A compose CLI is needed for a test stack.");
        }

        var environment = new Dictionary<string, string?>(stack.Environment, StringComparer.Ordinal);
        foreach (var (name, value) in request.ImageVariables)
        {
            environment[name] = value;
        }

        environment["PYTEST_ADDOPTS"] = string.IsNullOrWhiteSpace(request.Filter) ? string.Empty : "-k " + ShellQuote(request.Filter!);
        environment["SBIR_TEST_USER"] = CurrentUser() ?? "root";
        var ephemeral = stack with { RemoveVolumes = true, Environment = environment };
        var runner = new ComposeRunner(_docker, _compose, _progress);
        var args = runner.Arguments(ephemeral, "up", "--abort-on-container-exit", "--exit-code-from", request.TestService, request.TestService);
        _progress.Status(new ProcessSpec { FileName = _compose.Executable, Arguments = args }.Display);
        try
        {
            var run = await _docker.Runner.RunAsync(
                new ProcessSpec { FileName = _compose.Executable, Arguments = args, WorkingDirectory = request.ProjectDirectory, Environment = environment },
                new Forward(_progress),
                cancellationToken).ConfigureAwait(false);
            if (run.Outcome == ProcessOutcome.Exited)
            {
                await ReportFailedServicesAsync(runner, ephemeral, request.TestService, diagnostics, cancellationToken).ConfigureAwait(false);
            }

            return (run, run.ExitCode);
        }
        finally
        {
            _progress.Status($"Removing the test stack {stack.ProjectName} (containers, networks, volumes).");
            diagnostics.AddRange(await runner.DownAsync(ephemeral, CancellationToken.None).ConfigureAwait(false));
        }
    }

    /// <summary>Services that exited non-zero before the tests finished (not those compose stopped afterwards).</summary>
    private async Task ReportFailedServicesAsync(ComposeRunner runner, ComposeRequest stack, string testService, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var containers = await runner.StatusAsync(stack, cancellationToken).ConfigureAwait(false);
        var tests = containers.FirstOrDefault(c => c.Service == testService);
        if (tests is null)
        {
            return;
        }

        var finished = await FinishedAtAsync(containers.Select(c => c.Id).ToList(), cancellationToken).ConfigureAwait(false);
        finished.TryGetValue(tests.Id, out var testsFinished);
        foreach (var c in containers.Where(c => c.Service != testService && c.State is "exited" or "dead" && c.ExitCode != 0))
        {
            if (finished.TryGetValue(c.Id, out var at) && at < testsFinished)
            {
                var logs = await _docker.RunAsync(["logs", "--tail", "15", c.Id], cancellationToken: cancellationToken).ConfigureAwait(false);
                diagnostics.Add(DiagnosticCatalog.TestServiceFailed.Create(c.Service, c.ExitCode, Indent(string.Join('\n', logs.StandardOutput.Concat(logs.StandardError).TakeLast(15)))));
            }
        }
    }

    private async Task<Dictionary<string, DateTimeOffset>> FinishedAtAsync(IReadOnlyList<string> ids, CancellationToken cancellationToken)
    {
        var result = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        if (ids.Count == 0)
        {
            return result;
        }

        var inspect = await _docker.RunAsync(["inspect", "--format", "{{.Id}} {{.State.FinishedAt}}", .. ids], cancellationToken: cancellationToken).ConfigureAwait(false);
        foreach (string line in inspect.StandardOutput)
        {
            string[] parts = line.Split(' ', 2);
            if (parts.Length == 2 && DateTimeOffset.TryParse(parts[1], CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
            {
                result[parts[0]] = at;
            }
        }

        return result;
    }

    /// <summary>"uid:gid" of this process on Linux and macOS, or null elsewhere.</summary>
    private static string? CurrentUser()
    {
        if (OperatingSystem.IsWindows())
        {
            return null;
        }

        try
        {
            return $"{getuid()}:{getgid()}";
        }
        catch (Exception ex) when (ex is DllNotFoundException or EntryPointNotFoundException)
        {
            return null;
        }
    }

    [DllImport("libc")]
    private static extern uint getuid();

    [DllImport("libc")]
    private static extern uint getgid();

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\"'\"'") + "'";

    private static string Indent(string text)
        => string.IsNullOrWhiteSpace(text) ? " (none)" : "\n    " + string.Join("\n    ", text.Replace("\r", string.Empty).Split('\n'));

    private sealed class Forward(IBuildProgress progress) : IProcessObserver
    {
        private readonly object _gate = new();

        public void OnLine(string line, bool isError)
        {
            lock (_gate)
            {
                progress.Output(BuildOutputParser.StripAnsi(line));
            }
        }
    }
}
