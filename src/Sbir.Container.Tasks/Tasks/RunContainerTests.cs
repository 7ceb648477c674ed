using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using Sbir.Container.Compose;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Tasks.Logging;
using Sbir.Container.Testing;

namespace Sbir.Container.Tasks;

/// <summary>
/// Runs the tests inside the test image (the DockerTest target) and smoke-tests the runtime image. Tests
/// that need the compose test stack (a pytest marker) run with it, started only when the selection has
/// one; the others run in the test image alone. The stack comes from the same core service as ComposeUp
/// (<see cref="ComposeSession"/>), so it is started, waited for and reported the same way. Each failing
/// test is an error at its file and line; everything it started is removed.
/// </summary>
public sealed class RunContainerTests : SbirTask
{
    /// <summary>The project directory.</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The test-stage image to run.</summary>
    [Required] public string TestImage { get; set; } = string.Empty;

    /// <summary>The runtime image DockerBuild built: for the services of the test stack and the smoke test.</summary>
    public string RuntimeImage { get; set; } = string.Empty;

    /// <summary>Where the JUnit report goes (SbirTestResultsDirectory).</summary>
    [Required] public string ResultsDirectory { get; set; } = string.Empty;

    /// <summary>A pytest -k expression (SbirTestFilter).</summary>
    public string Filter { get; set; } = string.Empty;

    /// <summary>SbirTestServices: auto (the stack for marked tests only), true (every test with the stack), false (no stack).</summary>
    public string Services { get; set; } = "auto";

    /// <summary>SbirTestStackMarker: the pytest marker of tests that need the stack; empty is config/docker.yaml's test.stackMarker, else stack.</summary>
    public string StackMarker { get; set; } = string.Empty;

    /// <summary>SbirTestSmoke: false skips the runtime image's smoke test (config/docker.yaml, test.smoke).</summary>
    public bool Smoke { get; set; } = true;

    /// <summary>Base of the ephemeral compose project name.</summary>
    public string ProjectName { get; set; } = "sbir";

    /// <summary>Compose files of the test profile; none means there is no test stack.</summary>
    public string[] ComposeFiles { get; set; } = [];

    /// <summary>Compose profiles of the test profile.</summary>
    public string[] ComposeProfiles { get; set; } = [];

    /// <summary>The SBIR profile of the test stack (SbirTestComposeProfile), for messages.</summary>
    public string ComposeProfileName { get; set; } = "test";

    /// <summary>How long the test stack may take to turn healthy (SbirComposeWaitTimeout).</summary>
    public string WaitTimeout { get; set; } = "300";

    /// <summary>The .env file.</summary>
    public string EnvFile { get; set; } = string.Empty;

    /// <summary>config/docker.yaml: test settings, and secret variables that get throw-away values for the stack when unset.</summary>
    public string ConfigFile { get; set; } = string.Empty;

    /// <summary>The docker CLI.</summary>
    public string DockerCli { get; set; } = "docker";

    /// <summary>The compose CLI (empty: auto).</summary>
    public string ComposeCli { get; set; } = string.Empty;

    /// <summary>The compose service that runs the tests.</summary>
    public string TestService { get; set; } = "tests";

    /// <summary>The variable the compose files read the test image from.</summary>
    public string TestImageVariable { get; set; } = "SBIR_TEST_IMAGE";

    /// <summary>The variable the compose files read the application image from.</summary>
    public string RuntimeImageVariable { get; set; } = "SBIR_IMAGE";

    /// <summary>Where the SDK keeps its state (SbirContainerIntermediateDirectory): the generated compose overlay of prefixed variables goes under it.</summary>
    public string StateDirectory { get; set; } = string.Empty;

    /// <summary>Tests that passed.</summary>
    [Output] public int Passed { get; private set; }

    /// <summary>Tests that failed.</summary>
    [Output] public int Failed { get; private set; }

    /// <summary>The JUnit report.</summary>
    [Output] public string ReportPath { get; private set; } = string.Empty;

    /// <summary>True when the test stack was started.</summary>
    [Output] public bool StackStarted { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        var mode = Services.Trim().ToLowerInvariant() switch
        {
            "true" => TestStackMode.All,
            "auto" or "" => TestStackMode.Marked,
            _ => TestStackMode.None,
        };
        if (!Text.DurationText.TryParse(WaitTimeout, out var waitTimeout) || waitTimeout <= TimeSpan.Zero)
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirComposeWaitTimeout", WaitTimeout, "a number of seconds or a duration such as 300s or 5m"));
            return;
        }

        var config = string.IsNullOrWhiteSpace(ConfigFile) ? ContainerConfig.Empty : ContainerConfigLoader.Load(FullPath(ConfigFile, ProjectDirectory)).Config;
        string marker = StackMarker.Trim().Length > 0 ? StackMarker.Trim() : config.Test.StackMarker ?? "stack";
        bool stackDefined = ComposeFiles.Any(f => f.Trim().Length > 0);
        if (mode == TestStackMode.All && !stackDefined)
        {
            Diagnostics.Log(DiagnosticCatalog.RequiredPropertyMissing.Create("DockerTest with SbirTestServices=true", $"compose files for the profile '{ComposeProfileName}' (compose.profiles.{ComposeProfileName}.files in config/docker.yaml)", "files: [docker-compose.yml, docker/docker-compose.test.yml]"));
            return;
        }

        var (session, error) = await ComposeSession.OpenAsync(
            new ComposeSessionOptions { ProjectDirectory = ProjectDirectory, DockerCli = DockerCli, ComposeCli = ComposeCli, EnvFile = EnvFile, NeedsCompose = mode != TestStackMode.None && stackDefined },
            ProcessRunner, Environment, CancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            Diagnostics.Log(error!);
            return;
        }

        session.Secrets(config.Environment).RegisterWith(Masker);

        ComposeRequest? stack = null;
        if (mode != TestStackMode.None && stackDefined)
        {
            var environment = ThrowAwayValues(config, session);
            if (!session.IsSet(TestImageVariable))
            {
                environment[TestImageVariable] = TestImage;
            }

            if (RuntimeImage.Length > 0 && !session.IsSet(RuntimeImageVariable))
            {
                environment[RuntimeImageVariable] = RuntimeImage;
            }

            stack = session.Request($"{ProjectName}-test-{Guid.NewGuid().ToString("N")[..8]}", ComposeFiles, ComposeProfiles, ComposeProfileName, environment) with { WaitTimeout = waitTimeout };
            var model = session.Model(stack);
            (stack, var passed) = session.WithPrefixedVariables(stack, model, StateDirectory.Trim().Length > 0 ? StateDirectory : Path.Combine("obj", "SbirContainer"));
            foreach (var (service, names) in passed)
            {
                Diagnostics.Message($"{EnvironmentPrefix.Property}: {string.Join(", ", names)} to {service}.", MessageImportance.Normal);
            }

            var needed = model.DependenciesOf(TestService);
            stack = stack with
            {
                // What the test service depends on; without depends_on, every other service 'up' would start.
                Services = needed.Count > 0 ? needed : model.Started.Where(s => s != TestService).ToList(),
                Images = model.Images,
            };
        }

        // The runtime image the stack runs: the variable's image when .env or the environment chooses one, else the one just built.
        ServiceImage? smokeImage = null;
        if (Smoke && config.Test.Smoke.Count > 0)
        {
            smokeImage = session.IsSet(RuntimeImageVariable)
                ? session.ImageFromVariable("runtime", RuntimeImageVariable)
                : RuntimeImage.Length > 0 ? new ServiceImage("runtime", RuntimeImage, RuntimeImageVariable, "the image DockerBuild built (" + RuntimeImageVariable + " is not set)") : null;
        }

        var progress = new TaskProgress(Diagnostics);
        var runner = new ContainerTestRunner(session.Docker, stack is null ? null : session.Runner(progress), progress);
        var result = await runner.RunAsync(
            new ContainerTestRequest
            {
                ProjectDirectory = ProjectDirectory,
                TestImage = TestImage,
                ResultsDirectory = FullPath(ResultsDirectory, ProjectDirectory),
                Filter = string.IsNullOrWhiteSpace(Filter) ? null : Filter.Trim(),
                Mode = mode,
                StackMarker = marker,
                Stack = stack,
                NoStackReason = $"config/docker.yaml gives the profile '{ComposeProfileName}' no compose files",
                StackProfile = ComposeProfileName,
                TestService = TestService,
                SmokeImage = smokeImage,
                SmokeCommands = smokeImage is null ? [] : config.Test.Smoke,
            },
            CancellationToken).ConfigureAwait(false);

        LogDiagnostics(result.Diagnostics);
        ReportPath = result.ReportPath;
        Passed = result.Report?.Passed ?? 0;
        Failed = result.Report?.Failed ?? 0;
        StackStarted = stack is not null && result.StackTests != 0;
        if (result.Report is { } report)
        {
            string where = !StackStarted ? "in the test image alone" + (mode == TestStackMode.Marked ? $" (no selected test is marked '{marker}', so no stack was started)" : string.Empty)
                : result.StackTests < 0 ? $"with the test stack {stack!.ProjectName} (removed)"
                : $"; {result.StackTests} of them marked '{marker}' ran with the test stack {stack!.ProjectName} (removed), the others in the test image alone";
            string smoke = smokeImage is null ? string.Empty : $"; runtime image smoke test: {result.Smoked} of {config.Test.Smoke.Count} command(s) passed";
            Diagnostics.Message(
                string.Create(CultureInfo.InvariantCulture, $"DockerTest: {report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped{(where.StartsWith(';') ? where : " " + where)}{smoke}, in {result.Elapsed.TotalSeconds:0.0} s. JUnit: {Path.GetRelativePath(ProjectDirectory, result.ReportPath)}"),
                MessageImportance.High);
        }
    }

    /// <summary>
    /// The test stack is ephemeral: secrets of the contract that neither .env nor the environment sets
    /// get a random value for this run only (CI needs no secret to run the tests), masked like any secret;
    /// and every port variable of the contract gets a free port, so that the stack never collides with a
    /// running dev stack (or another test run) over the host ports of .env.
    /// </summary>
    private Dictionary<string, string?> ThrowAwayValues(ContainerConfig config, ComposeSession session)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        foreach (string name in config.Environment.SecretNames.Where(n => !session.IsSet(n)))
        {
            string value = "test-" + Convert.ToHexString(RandomNumberGenerator.GetBytes(16)).ToLowerInvariant();
            Masker.Add(value);
            values[name] = value;
            Diagnostics.Message($"DockerTest: {name} is not set; the ephemeral test stack gets a random value for this run.", MessageImportance.Normal);
        }

        foreach (var port in config.Environment.Variables.Values.Where(v => v.Type == VariableType.Port))
        {
            values[port.Name] = FreePort.Next().ToString(CultureInfo.InvariantCulture);
        }

        return values;
    }
}
