using System.Globalization;
using Microsoft.Build.Framework;
using Sbir.Container.Diagnostics;
using Sbir.Container.Validation;

namespace Sbir.Container.Tasks;

/// <summary>
/// Runs every validation of the project before docker is started (the ContainerValidate target) and
/// reports all findings at once, masked; optionally writes them as SARIF for code scanning.
/// </summary>
public sealed class ValidateContainer : SbirTask
{
    /// <summary>The project directory.</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>config/docker.yaml (SbirContainerConfigFile).</summary>
    [Required] public string ConfigFile { get; set; } = string.Empty;

    /// <summary>The Dockerfile (SbirDockerfile).</summary>
    [Required] public string Dockerfile { get; set; } = string.Empty;

    /// <summary>The build context (SbirContainerContext).</summary>
    [Required] public string Context { get; set; } = string.Empty;

    /// <summary>The runtime stage (SbirContainerRuntimeStage).</summary>
    public string RuntimeStage { get; set; } = "runtime";

    /// <summary>The builder stage as the targets resolve it (_SbirBuilderStageEffective: empty for none).</summary>
    public string BuilderStage { get; set; } = string.Empty;

    /// <summary>False when no image is built in this run (ComposeUp with SbirComposeBuildImage=false): a missing Dockerfile is then no error.</summary>
    public bool DockerfileRequired { get; set; } = true;

    /// <summary>The base image (SbirContainerBaseImage), to resolve FROM lines.</summary>
    public string BaseImage { get; set; } = string.Empty;

    /// <summary>Its build argument (SbirContainerBaseImageArg).</summary>
    public string BaseImageArgument { get; set; } = "BASE_IMAGE";

    /// <summary>SbirContainerBuildArg items.</summary>
    public ITaskItem[] BuildArgs { get; set; } = [];

    /// <summary>The compose profile (SbirComposeProfile / Profile); empty checks every profile.</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>True for ComposeUp: a missing .env is an error.</summary>
    public bool EnvRequired { get; set; }

    /// <summary>False to skip the compose checks.</summary>
    public bool CheckCompose { get; set; } = true;

    /// <summary>Where to write SARIF 2.1.0 (SbirContainerSarifOutput); empty for none.</summary>
    public string SarifOutput { get; set; } = string.Empty;

    /// <summary>The .env file (SbirContainerEnvFile); empty for config/docker.yaml's environment.files.env.</summary>
    public string EnvFile { get; set; } = string.Empty;

    /// <summary>The SDK's version, for SARIF (its informational version).</summary>
    private static string ToolVersion => typeof(ValidateContainer).Assembly
        .GetCustomAttributes(typeof(System.Reflection.AssemblyInformationalVersionAttribute), false)
        .Cast<System.Reflection.AssemblyInformationalVersionAttribute>()
        .FirstOrDefault()?.InformationalVersion.Split('+')[0] ?? "0.0.0";

    /// <summary>Number of errors found.</summary>
    [Output] public int ErrorCount { get; private set; }

    /// <summary>Number of warnings found.</summary>
    [Output] public int WarningCount { get; private set; }

    /// <inheritdoc />
    protected override Task ExecuteCoreAsync()
    {
        // Arguments config/docker.yaml gave a secret value arrive withheld (no value); the validator reads the real one there.
        var args = BuildArgs.Where(i => !BuildArgItems.IsWithheld(i)).GroupBy(i => i.ItemSpec, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Last().GetMetadata("Value"), StringComparer.Ordinal);
        string baseImageArgument = string.IsNullOrWhiteSpace(BaseImageArgument) ? "BASE_IMAGE" : BaseImageArgument.Trim();
        if (!string.IsNullOrWhiteSpace(BaseImage))
        {
            args[baseImageArgument] = BaseImage;
        }

        var request = new ValidationRequest
        {
            ProjectDirectory = ProjectDirectory,
            ConfigFile = FullPath(ConfigFile, ProjectDirectory),
            DockerfilePath = FullPath(Dockerfile, ProjectDirectory),
            ContextDirectory = FullPath(Context, ProjectDirectory),
            RuntimeStage = RuntimeStage,
            BuilderStage = string.IsNullOrWhiteSpace(BuilderStage) ? null : BuilderStage.Trim(),
            DockerfileRequired = DockerfileRequired,
            BuildArgs = args,
            BaseImage = string.IsNullOrWhiteSpace(BaseImage) ? null : BaseImage.Trim(),
            BaseImageArgument = baseImageArgument,
            Profile = string.IsNullOrWhiteSpace(Profile) ? null : Profile.Trim(),
            EnvRequired = EnvRequired,
            CheckCompose = CheckCompose,
            EnvFile = string.IsNullOrWhiteSpace(EnvFile) ? null : FullPath(EnvFile, ProjectDirectory),
        };

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var result = new ContainerValidator(ProcessRunner, Environment).Validate(request);
        foreach (string secret in result.SecretValues)
        {
            Masker.Add(secret);
        }

        var masked = result.Diagnostics.Select(d => d with { Message = Masker.Apply(d.Message) }).ToList();
        // The log shows the first findings of each code per file; the counts and SARIF have them all.
        LogDiagnostics(DiagnosticLimiter.ForLog(masked));
        ErrorCount = masked.Count(d => d.Severity == DiagnosticSeverity.Error);
        WarningCount = masked.Count(d => d.Severity == DiagnosticSeverity.Warning);

        if (!string.IsNullOrWhiteSpace(SarifOutput))
        {
            string sarif = FullPath(SarifOutput, ProjectDirectory);
            if (SarifWriter.Write(sarif, masked, ProjectDirectory, ToolVersion) is { } notWritten)
            {
                Diagnostics.Log(notWritten);
                ErrorCount++;
            }
            else
            {
                Diagnostics.Message($"ContainerValidate: SARIF written to {sarif}", MessageImportance.Normal);
            }
        }

        string scope = request.Profile is null ? "every profile" : $"profile {request.Profile}";
        Diagnostics.Message(
            string.Create(CultureInfo.InvariantCulture, $"ContainerValidate: {ErrorCount} error(s), {WarningCount} warning(s) ({scope}, {clock.Elapsed.TotalSeconds:0.00} s)."),
            MessageImportance.High);
        return Task.CompletedTask;
    }
}
