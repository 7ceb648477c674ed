using System.Globalization;
using System.Security.Cryptography;
using Microsoft.Build.Framework;
using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Configuration;
using Sbir.Container.Dotenv;
using Sbir.Container.Engine;
using Sbir.Container.Testing;

namespace Sbir.Container.Tasks;

/// <summary>
/// Runs the tests inside the test image (the DockerTest target): alone, or with the compose test
/// stack; reports each failing test as an error at its file and line; removes everything it started.
/// </summary>
public sealed class RunContainerTests : SbirTask
{
    /// <summary>The project directory.</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The test-stage image to run.</summary>
    [Required] public string TestImage { get; set; } = string.Empty;

    /// <summary>The runtime image, for the services of the test stack.</summary>
    public string RuntimeImage { get; set; } = string.Empty;

    /// <summary>Where the JUnit report goes (SbirTestResultsDirectory).</summary>
    [Required] public string ResultsDirectory { get; set; } = string.Empty;

    /// <summary>A pytest -k expression (SbirTestFilter).</summary>
    public string Filter { get; set; } = string.Empty;

    /// <summary>Run with the compose test stack.</summary>
    public bool UseServices { get; set; }

    /// <summary>Base of the ephemeral compose project name.</summary>
    public string ProjectName { get; set; } = "sbir";

    /// <summary>Compose files of the test profile.</summary>
    public string[] ComposeFiles { get; set; } = [];

    /// <summary>Compose profiles of the test profile.</summary>
    public string[] ComposeProfiles { get; set; } = [];

    /// <summary>The .env file.</summary>
    public string EnvFile { get; set; } = string.Empty;

    /// <summary>config/docker.yaml (its secret variables get throw-away values for the ephemeral stack when unset).</summary>
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

    /// <summary>Tests that passed.</summary>
    [Output] public int Passed { get; private set; }

    /// <summary>Tests that failed.</summary>
    [Output] public int Failed { get; private set; }

    /// <summary>The JUnit report.</summary>
    [Output] public string ReportPath { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        var probe = await new EngineProbe(ProcessRunner, Environment).ProbeAsync(DockerCli, ProjectDirectory, BuilderPreference.Auto, CancellationToken).ConfigureAwait(false);
        if (!probe.Succeeded)
        {
            Diagnostics.Log(probe.Error!);
            return;
        }

        var docker = new Engine.DockerCli(probe.Engine!.CliPath, ProcessRunner);
        ComposeCli? compose = null;
        ComposeRequest? stack = null;
        var imageVariables = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (UseServices)
        {
            (compose, var error) = await Compose.ComposeCli.FindAsync(probe.Engine.CliPath, ComposeCli, ProcessRunner, Environment, CancellationToken).ConfigureAwait(false);
            if (compose is null)
            {
                Diagnostics.Log(error!);
                return;
            }

            string envFile = FullPath(string.IsNullOrWhiteSpace(EnvFile) ? ".env" : EnvFile, ProjectDirectory);
            var dotenv = File.Exists(envFile) ? DotenvParser.ParseFile(envFile, Environment.Get).Values : new Dictionary<string, string>();
            // Empty counts as unset: CI sets a variable to "" when the secret it names is not defined.
            bool Unset(string name) => string.IsNullOrEmpty(Environment.Get(name)) && string.IsNullOrEmpty(dotenv.GetValueOrDefault(name));
            if (Unset(TestImageVariable))
            {
                imageVariables[TestImageVariable] = TestImage;
            }

            if (RuntimeImage.Length > 0 && Unset(RuntimeImageVariable))
            {
                imageVariables[RuntimeImageVariable] = RuntimeImage;
            }

            stack = new ComposeRequest
            {
                ProjectName = $"{ProjectName}-test-{Guid.NewGuid().ToString("N")[..8]}",
                ProjectDirectory = ProjectDirectory,
                Files = ComposeFiles.Where(f => f.Trim().Length > 0).Select(f => FullPath(f, ProjectDirectory)).ToList(),
                Profiles = ComposeProfiles.Where(p => p.Trim().Length > 0).ToList(),
                EnvFile = envFile,
                ProfileName = "test",
                Environment = ThrowAwayValues(Unset),
            };
        }

        var runner = new ContainerTestRunner(docker, compose, new Progress(this));
        var result = await runner.RunAsync(
            new ContainerTestRequest
            {
                ProjectDirectory = ProjectDirectory,
                TestImage = TestImage,
                ResultsDirectory = FullPath(ResultsDirectory, ProjectDirectory),
                Filter = string.IsNullOrWhiteSpace(Filter) ? null : Filter.Trim(),
                Stack = stack,
                TestService = TestService,
                ImageVariables = imageVariables,
            },
            CancellationToken).ConfigureAwait(false);

        LogDiagnostics(result.Diagnostics);
        ReportPath = result.ReportPath;
        Passed = result.Report?.Passed ?? 0;
        Failed = result.Report?.Failed ?? 0;
        if (result.Report is { } report)
        {
            string where = stack is null ? "in a container" : $"with the test stack {stack.ProjectName} (removed)";
            Diagnostics.Message(
                string.Create(CultureInfo.InvariantCulture, $"DockerTest: {report.Passed} passed, {report.Failed} failed, {report.Skipped} skipped {where} in {result.Elapsed.TotalSeconds:0.0} s. JUnit: {Path.GetRelativePath(ProjectDirectory, result.ReportPath)}"),
                MessageImportance.High);
        }
    }

    /// <summary>
    /// The test stack is ephemeral: secrets of the contract that neither .env nor the environment sets
    /// get a random value for this run only (CI needs no secret to run the tests), masked like any secret;
    /// and every port variable of the contract gets a free port, so that the stack never collides with a
    /// running dev stack (or another test run) over the host ports of .env.
    /// </summary>
    private Dictionary<string, string?> ThrowAwayValues(Func<string, bool> unset)
    {
        var values = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (string.IsNullOrWhiteSpace(ConfigFile))
        {
            return values;
        }

        var config = ContainerConfigLoader.Load(FullPath(ConfigFile, ProjectDirectory)).Config;
        foreach (string name in config.Environment.SecretNames.Where(unset))
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

    private sealed class Progress(RunContainerTests task) : IBuildProgress
    {
        public void Status(string message) => task.Diagnostics.Message(message, MessageImportance.Normal);

        public void Output(string line) => task.Diagnostics.Message(line, MessageImportance.Normal);
    }
}
