using System.Diagnostics;
using System.Globalization;
using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Text;

namespace Sbir.Container.Testing;

/// <summary>Which tests run with the compose test stack.</summary>
public enum TestStackMode
{
    /// <summary>Every test in the test image alone; no stack.</summary>
    None,

    /// <summary>Tests with the stack marker run with the stack (started only when the selection has one), the others alone.</summary>
    Marked,

    /// <summary>Every test with the stack.</summary>
    All,
}

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

    /// <summary>Which tests need the stack.</summary>
    public TestStackMode Mode { get; init; } = TestStackMode.None;

    /// <summary>The pytest marker of tests that need the stack (<see cref="TestStackMode.Marked"/>).</summary>
    public string StackMarker { get; init; } = "stack";

    /// <summary>The compose test stack (its Services: what the test service depends on), or null when none is defined.</summary>
    public ComposeRequest? Stack { get; init; }

    /// <summary>Why there is no stack, for the error when marked tests need one.</summary>
    public string NoStackReason { get; init; } = "config/docker.yaml defines no test profile";

    /// <summary>The compose profile of the test stack (for the fix of SBC5307).</summary>
    public string StackProfile { get; init; } = "test";

    /// <summary>The compose service that runs the tests.</summary>
    public string TestService { get; init; } = "tests";

    /// <summary>The runtime image to smoke-test, or null for none.</summary>
    public ServiceImage? SmokeImage { get; init; }

    /// <summary>Commands run in <see cref="SmokeImage"/>; each must exit 0.</summary>
    public IReadOnlyList<IReadOnlyList<string>> SmokeCommands { get; init; } = [];
}

/// <summary>What the test run found.</summary>
/// <param name="Diagnostics">Failures, each coded.</param>
/// <param name="Report">The merged JUnit report, or null.</param>
/// <param name="ExitCode">The exit code of the last pytest run.</param>
/// <param name="Elapsed">Wall time.</param>
/// <param name="ReportPath">Where the merged report is.</param>
/// <param name="StackTests">How many selected tests needed the stack (-1 when every test ran with it).</param>
/// <param name="Smoked">How many smoke commands passed.</param>
public sealed record ContainerTestResult(IReadOnlyList<Diagnostic> Diagnostics, JUnitReport? Report, int ExitCode, TimeSpan Elapsed, string ReportPath, int StackTests = 0, int Smoked = 0)
{
    /// <summary>True when every test passed and nothing failed around them.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Runs the application's tests inside its test image, and smoke-tests its runtime image. Tests that
/// need services run with the compose test stack, which is started only when the selected tests include
/// one of them: brought up and waited for as ComposeUp does (the same runner, the same progress and the
/// same SBC52xx errors when a service fails), then the test service is run once ('compose run') and the
/// stack removed with its volumes, on failure and on Ctrl+C too. The other tests run in the test image
/// alone ('docker run'). Reports of both runs are merged into one JUnit file; each failing test becomes
/// a diagnostic at its file and line.
/// </summary>
public sealed class ContainerTestRunner
{
    /// <summary>The report's folder inside the container.</summary>
    public const string ContainerResults = "/results";

    private readonly DockerCli _docker;
    private readonly ComposeRunner? _compose;
    private readonly IBuildProgress _progress;

    /// <summary>Creates a runner; <paramref name="compose"/> is needed only for runs with a stack.</summary>
    public ContainerTestRunner(DockerCli docker, ComposeRunner? compose, IBuildProgress progress)
    {
        _docker = docker;
        _compose = compose;
        _progress = progress;
    }

    /// <summary>
    /// pytest's arguments: quiet, the report with files and lines (xunit1) at <paramref name="report"/> under
    /// /results, no cache written into the image, -k with the filter and -m with the marker expression.
    /// </summary>
    public static IReadOnlyList<string> PytestArguments(string? filter, string? markers = null, string report = "junit.xml", bool collectOnly = false)
    {
        var args = new List<string> { "python3", "-m", "pytest", "-q", "tests", "-p", "no:cacheprovider" };
        args.AddRange(collectOnly ? ["--collect-only"] : ["-o", "junit_family=xunit1", "--junitxml=" + ContainerResults + "/" + report]);
        if (!string.IsNullOrWhiteSpace(filter))
        {
            args.AddRange(["-k", filter!]);
        }

        if (!string.IsNullOrWhiteSpace(markers))
        {
            args.AddRange(["-m", markers!]);
        }

        return args;
    }

    /// <summary>Runs the smoke test and the tests.</summary>
    public async Task<ContainerTestResult> RunAsync(ContainerTestRequest request, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        Directory.CreateDirectory(request.ResultsDirectory);
        string report = Path.Combine(request.ResultsDirectory, "junit.xml");
        string unitReport = Path.Combine(request.ResultsDirectory, "junit-unit.xml");
        string stackReport = Path.Combine(request.ResultsDirectory, "junit-stack.xml");
        foreach (string stale in new[] { report, unitReport, stackReport })
        {
            File.Delete(stale);
        }

        var diagnostics = new List<Diagnostic>();
        int smoked = await SmokeAsync(request, diagnostics, cancellationToken).ConfigureAwait(false);

        var runs = new List<TestRun>();
        int stackTests = 0;
        switch (request.Mode)
        {
            case TestStackMode.None:
                runs.Add(await RunAloneAsync(request, null, "junit-unit.xml", cancellationToken).ConfigureAwait(false));
                break;
            case TestStackMode.All:
                stackTests = -1;
                runs.Add(await RunWithStackAsync(request, null, diagnostics, cancellationToken).ConfigureAwait(false));
                break;
            case TestStackMode.Marked:
                var (count, collect) = await CountMarkedAsync(request, cancellationToken).ConfigureAwait(false);
                if (collect.Outcome == ProcessOutcome.Cancelled)
                {
                    runs.Add(new TestRun(collect, collect.ExitCode, false, true));
                    break;
                }

                if (count < 0)
                {
                    diagnostics.Add(DiagnosticCatalog.TestStackCollectFailed.Create(request.StackMarker, collect.ExitCode, Indentation.Block(collect.Tail(15))));
                    break;
                }

                stackTests = count;
                runs.Add(await RunAloneAsync(request, "not " + request.StackMarker, "junit-unit.xml", cancellationToken).ConfigureAwait(false));
                if (count > 0 && request.Stack is null)
                {
                    diagnostics.Add(DiagnosticCatalog.TestStackMissing.Create(count, request.StackMarker, request.NoStackReason, request.StackProfile));
                }
                else if (count > 0 && !runs[^1].Cancelled)
                {
                    runs.Add(await RunWithStackAsync(request, request.StackMarker, diagnostics, cancellationToken).ConfigureAwait(false));
                }

                break;
        }

        if (runs.Any(r => r.Cancelled))
        {
            diagnostics.Add(DiagnosticCatalog.Cancelled.Create("DockerTest", "test"));
            return new ContainerTestResult(diagnostics, null, -1, clock.Elapsed, report, stackTests, smoked);
        }

        if (File.Exists(report))
        {
            // The stack run's service wrote junit.xml (its command names it): keep it as its part.
            File.Move(report, stackReport, overwrite: true);
        }

        JUnitReport.Merge([unitReport, stackReport], report);
        File.Delete(unitReport);
        File.Delete(stackReport);
        var junit = JUnitReport.Load(report);
        foreach (var run in runs)
        {
            Assess(run, junit?.Failed ?? 0, diagnostics);
        }

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

        if (runs.Count > 0 && (junit?.Cases.Count ?? 0) == 0 && runs.All(r => r.ExitCode is 0 or 5))
        {
            diagnostics.Add(DiagnosticCatalog.TestNothingRan.Create(
                runs.Any(r => r.ExitCode == 0) ? $"the tests exited with 0 but left no report at {Path.GetRelativePath(request.ProjectDirectory, report)}"
                : string.IsNullOrWhiteSpace(request.Filter) ? "pytest collected no tests in the image"
                : $"pytest collected no test matching '{request.Filter}'"));
        }

        return new ContainerTestResult(diagnostics, junit, runs.Count == 0 ? -1 : runs[^1].ExitCode, clock.Elapsed, report, stackTests, smoked);
    }

    /// <summary>What one pytest run left: its process, exit code, whether it ran with the stack, whether it was cancelled.</summary>
    private sealed record TestRun(ProcessResult Process, int ExitCode, bool WithStack, bool Cancelled = false);

    /// <summary>The coded problems of one run that its report does not show.</summary>
    private static void Assess(TestRun run, int failedCases, List<Diagnostic> diagnostics)
    {
        if (run.ExitCode is 0 or 5 || (run.ExitCode == 1 && failedCases > 0) || diagnostics.Any(d => d.Code.StartsWith("SBC52", StringComparison.Ordinal)))
        {
            // Passed, failed tests (each reported), nothing collected (judged over all runs), or the stack already explained it.
            return;
        }

        if (run.WithStack && PortConflict.Find(run.Process) is { } port)
        {
            // The test stack's ports were free a moment before; something took one in between.
            diagnostics.Add(DiagnosticCatalog.ComposePortTaken.Create(port, " of the tests (DockerTest picked it free just before, so running again usually works)", Indentation.Block(run.Process.Tail(15))));
            return;
        }

        diagnostics.Add(DiagnosticCatalog.TestRunFailed.Create(run.ExitCode, Indentation.Block(run.Process.Tail(15))));
    }

    /// <summary>Runs each smoke command in the runtime image, through its entrypoint, without a network; SBC5305 for each that fails.</summary>
    private async Task<int> SmokeAsync(ContainerTestRequest request, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        if (request.SmokeImage is not { } image || request.SmokeCommands.Count == 0)
        {
            return 0;
        }

        _progress.Milestone($"  smoke test of the runtime image {image.Image}: {string.Join("; ", request.SmokeCommands.Select(c => string.Join(' ', c)))}");
        var runs = request.SmokeCommands.Select(async command =>
        {
            string name = "sbir-smoke-" + Guid.NewGuid().ToString("N")[..10];
            var args = new List<string> { "run", "--rm", "--name", name, "--network", "none", "--label", "org.sbir.container.test=" + name, image.Image };
            args.AddRange(command);
            try
            {
                return (Command: command, Run: await _docker.RunAsync(args, workingDirectory: request.ProjectDirectory, cancellationToken: cancellationToken).ConfigureAwait(false));
            }
            finally
            {
                await _docker.RunAsync(["rm", "--force", name], cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }).ToList();

        int passed = 0;
        foreach (var (command, run) in await Task.WhenAll(runs).ConfigureAwait(false))
        {
            string shown = string.Join(' ', command);
            if (run.Succeeded)
            {
                passed++;
                _progress.Status($"  smoke: '{shown}' passed");
            }
            else if (run.ExitCode == 125 && run.StandardError.Any(l => l.Contains("Unable to find image", StringComparison.Ordinal) || l.Contains("pull access denied", StringComparison.Ordinal) || l.Contains("manifest unknown", StringComparison.Ordinal)))
            {
                // docker run's own failure (125) to get the image: name it and what selects it, once.
                if (!diagnostics.Any(d => d.Code == DiagnosticCatalog.ComposeImageNotPullable.Code))
                {
                    diagnostics.Add(ComposeRunner.Unpullable(image, run));
                }
            }
            else
            {
                diagnostics.Add(DiagnosticCatalog.TestSmokeFailed.Create(image.Image, shown, run.ExitCode, Indentation.Block(string.Join('\n', run.StandardOutput.Concat(run.StandardError).TakeLast(15)))));
            }
        }

        return passed;
    }

    /// <summary>How many selected tests carry the marker (pytest --collect-only in the test image): -1 when collection failed.</summary>
    private async Task<(int Count, ProcessResult Run)> CountMarkedAsync(ContainerTestRequest request, CancellationToken cancellationToken)
    {
        var args = new List<string> { "run", "--rm", "--network", "none", "--label", "org.sbir.container.test=collect" };
        args.Add(request.TestImage);
        args.AddRange(PytestArguments(request.Filter, request.StackMarker, collectOnly: true));
        _progress.Status(new ProcessSpec { FileName = _docker.Executable, Arguments = args }.Display);
        var run = await _docker.RunAsync(args, workingDirectory: request.ProjectDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
        if (run.ExitCode == 5)
        {
            return (0, run);
        }

        if (!run.Succeeded)
        {
            return (-1, run);
        }

        // -q --collect-only prints one node id per line ("tests/test_x.py::test_y"), then a summary.
        return (run.StandardOutput.Count(l => l.Contains("::", StringComparison.Ordinal)), run);
    }

    private async Task<TestRun> RunAloneAsync(ContainerTestRequest request, string? markers, string report, CancellationToken cancellationToken)
    {
        string name = "sbir-test-" + Guid.NewGuid().ToString("N")[..10];
        var args = new List<string> { "run", "--rm", "--name", name, "--label", "org.sbir.container.test=" + name, "--volume", request.ResultsDirectory + ":" + ContainerResults };
        if (HostUser.Current() is { } user)
        {
            // The report belongs to whoever runs the build, not to root.
            args.AddRange(["--user", user]);
        }

        args.Add(request.TestImage);
        args.AddRange(PytestArguments(request.Filter, markers, report));
        _progress.Status(new ProcessSpec { FileName = _docker.Executable, Arguments = args }.Display);
        try
        {
            var run = await _docker.RunAsync(args, observer: new ProgressObserver(_progress, stripAnsi: true), workingDirectory: request.ProjectDirectory, cancellationToken: cancellationToken).ConfigureAwait(false);
            return new TestRun(run, run.ExitCode, false, run.Outcome == ProcessOutcome.Cancelled);
        }
        finally
        {
            // A killed 'docker run' client leaves its container running: remove it whatever happened.
            await _docker.RunAsync(["rm", "--force", "--volumes", name], cancellationToken: CancellationToken.None).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Brings the test stack up (the services the test service depends on) and waits for it as ComposeUp
    /// does, runs the test service once with PYTEST_ADDOPTS (-m, -k), and removes the stack.
    /// </summary>
    private async Task<TestRun> RunWithStackAsync(ContainerTestRequest request, string? markers, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var stack = request.Stack ?? throw new InvalidOperationException("A test stack is needed.");
        var runner = _compose ?? throw new InvalidOperationException("A compose runner is needed for a test stack.");
        var environment = new Dictionary<string, string?>(stack.Environment, StringComparer.Ordinal)
        {
            ["PYTEST_ADDOPTS"] = string.Join(' ', new[]
            {
                string.IsNullOrWhiteSpace(request.Filter) ? null : "-k " + ShellQuote(request.Filter!),
                string.IsNullOrWhiteSpace(markers) ? null : "-m " + ShellQuote(markers!),
            }.Where(a => a is not null)),
            ["SBIR_TEST_USER"] = HostUser.Current() ?? "root",
        };
        var ephemeral = stack with { RemoveVolumes = true, Environment = environment };
        try
        {
            _progress.Milestone($"DockerTest: starting the test stack {stack.ProjectName} ({(stack.Services.Count == 0 ? "every service" : string.Join(", ", stack.Services))}) for the tests{(markers is null ? string.Empty : $" marked '{markers}'")}");
            var up = await runner.UpAsync(ephemeral, cancellationToken).ConfigureAwait(false);
            if (!up.Succeeded)
            {
                // The stack's own errors (SBC52xx, as ComposeUp reports them), not a pytest exit code.
                diagnostics.AddRange(up.Diagnostics);
                bool cancelled = cancellationToken.IsCancellationRequested || up.Diagnostics.Any(d => d.Code == DiagnosticCatalog.Cancelled.Code);
                return new TestRun(new ProcessResult(cancelled ? ProcessOutcome.Cancelled : ProcessOutcome.Exited, -1, [], []), -1, true, cancelled);
            }

            var run = await runner.RunAsync(ephemeral, request.TestService, [], noDeps: true, cancellationToken).ConfigureAwait(false);
            diagnostics.AddRange(run.Diagnostics.Where(d => d.Code != DiagnosticCatalog.Cancelled.Code));
            if (run.Run.Outcome == ProcessOutcome.Exited)
            {
                await ReportFailedServicesAsync(runner, ephemeral, diagnostics, cancellationToken).ConfigureAwait(false);
            }

            return new TestRun(run.Run, run.Run.ExitCode, true, run.Run.Outcome == ProcessOutcome.Cancelled);
        }
        finally
        {
            _progress.Status($"Removing the test stack {stack.ProjectName} (containers, networks, volumes).");
            diagnostics.AddRange(await runner.DownAsync(ephemeral, CancellationToken.None).ConfigureAwait(false));
        }
    }

    /// <summary>Services of the stack that exited non-zero while the tests ran (the stack stays up during the run, so any exit is a failure).</summary>
    private async Task ReportFailedServicesAsync(ComposeRunner runner, ComposeRequest stack, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        var containers = await runner.StatusAsync(stack, cancellationToken).ConfigureAwait(false);
        foreach (var c in containers.Where(c => !c.OneOff && c.State is "exited" or "dead" && c.ExitCode != 0))
        {
            var logs = await _docker.RunAsync(["logs", "--tail", "15", c.Id], cancellationToken: cancellationToken).ConfigureAwait(false);
            diagnostics.Add(DiagnosticCatalog.TestServiceFailed.Create(c.Service, c.ExitCode, Indentation.Block(string.Join('\n', logs.StandardOutput.Concat(logs.StandardError).TakeLast(15)))));
        }
    }

    private static string ShellQuote(string value) => "'" + value.Replace("'", "'\"'\"'") + "'";
}
