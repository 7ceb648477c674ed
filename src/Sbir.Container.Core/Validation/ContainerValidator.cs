using Sbir.Container.Compose;
using Sbir.Container.Project;
using Sbir.Container.Configuration;
using Sbir.Container.Context;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile;
using Sbir.Container.Dockerfile.Rules;
using Sbir.Container.Dotenv;
using Sbir.Container.Engine;
using Sbir.Container.Secrets;

namespace Sbir.Container.Validation;

/// <summary>What ContainerValidate checks, resolved from MSBuild properties.</summary>
public sealed record ValidationRequest
{
    /// <summary>The project directory.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>config/docker.yaml.</summary>
    public required string ConfigFile { get; init; }

    /// <summary>The Dockerfile (checked when it exists).</summary>
    public required string DockerfilePath { get; init; }

    /// <summary>The build context (its .dockerignore must keep .env out).</summary>
    public required string ContextDirectory { get; init; }

    /// <summary>The stage built as the product.</summary>
    public string RuntimeStage { get; init; } = "runtime";

    /// <summary>The stage kept as the builder image (SbirContainerBuilderStage), or null/empty for none.</summary>
    public string? BuilderStage { get; init; }

    /// <summary>True when a missing Dockerfile is an error (the project builds images).</summary>
    public bool DockerfileRequired { get; init; }

    /// <summary>SbirContainerBaseImage (or container.baseImage), or null when neither is set.</summary>
    public string? BaseImage { get; init; }

    /// <summary>The Dockerfile ARG the base image is passed as (SbirContainerBaseImageArg): an image reference, never a secret.</summary>
    public string BaseImageArgument { get; init; } = "BASE_IMAGE";

    /// <summary>Build arguments (with the base image) used to resolve ARGs in FROM lines.</summary>
    public IReadOnlyDictionary<string, string> BuildArgs { get; init; } = new Dictionary<string, string>();

    /// <summary>The compose profile to check, or null for every profile of config/docker.yaml.</summary>
    public string? Profile { get; init; }

    /// <summary>True for ComposeUp: .env and the variables it must hold are errors when missing.</summary>
    public bool EnvRequired { get; init; }

    /// <summary>Check compose files (off when the project has none to run).</summary>
    public bool CheckCompose { get; init; } = true;

    /// <summary>The .env file to check (SbirContainerEnvFile); null for the contract's environment.files.env.</summary>
    public string? EnvFile { get; init; }
}

/// <summary>All findings of one validation, and the secret values that every log must mask.</summary>
public sealed record ValidationResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<string> SecretValues, ContainerConfig Config)
{
    /// <summary>True when an error was found.</summary>
    public bool HasErrors => Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// ContainerValidate: every check, all findings in one run, before docker is started. The
/// configuration file against its schema; .env and .env.example against the environment contract;
/// hardcoded secrets in compose files, Dockerfiles, config, scripts and workflows; the Dockerfile's
/// rules; the compose files of each profile. Rule severities come from config/docker.yaml (rules:).
/// </summary>
public sealed class ContainerValidator
{
    private static readonly Lazy<JsonSchemaCheck> ConfigSchema = new(() => JsonSchemaCheck.FromResource("Sbir.Container.Configuration.docker.schema.json"));

    private readonly IProcessRunner _runner;
    private readonly EnvironmentSnapshot _host;

    /// <summary>Creates a validator that asks git through <paramref name="runner"/> and reads the host environment from <paramref name="host"/>.</summary>
    public ContainerValidator(IProcessRunner runner, EnvironmentSnapshot host)
    {
        _runner = runner;
        _host = host;
    }

    /// <summary>Runs every check.</summary>
    public ValidationResult Validate(ValidationRequest request)
    {
        var diagnostics = new List<Diagnostic>();

        // The files named by properties count for an incremental validation even where they are missing (created later: a change).
        foreach (string? named in new[] { request.ConfigFile, request.DockerfilePath, request.EnvFile })
        {
            if (!string.IsNullOrEmpty(named))
            {
                IO.InputLog.FileProbed(named);
            }
        }

        // 1. config/docker.yaml: readable, of the documented shape.
        var loaded = ContainerConfigLoader.Load(request.ConfigFile);
        diagnostics.AddRange(loaded.Diagnostics);
        var config = loaded.Config;
        diagnostics.AddRange(CheckConfigSchema(request.ConfigFile));
        if (config.Compose.UnknownProfile(request.Profile, request.ConfigFile) is { } unknownProfile)
        {
            diagnostics.Add(unknownProfile);
        }

        // 2. .env and .env.example against the contract.
        // SbirContainerEnvFile wins over environment.files.env, so that every target reads one file.
        var contract = string.IsNullOrWhiteSpace(request.EnvFile) ? config.Environment : config.Environment with { EnvFile = request.EnvFile };
        IO.InputLog.FileProbed(Path.GetFullPath(contract.EnvFile, request.ProjectDirectory));
        IO.InputLog.FileProbed(Path.GetFullPath(contract.ExampleFile, request.ProjectDirectory));
        var (envDiagnostics, env) = EnvContractChecker.Check(new EnvContractInput
        {
            Contract = contract,
            SettingsKeys = config.SettingsKeys,
            Profile = request.Profile,
            ProjectDirectory = request.ProjectDirectory,
            ContextDirectory = request.ContextDirectory,
            EnvRequired = request.EnvRequired,
            Host = _host.Get,
            GitIgnore = GitIgnoreStatusOf(request.ProjectDirectory),
        });
        diagnostics.AddRange(envDiagnostics);

        // The project's secret values: every later check and every log consults this one set.
        var known = SecretValueSet.From(env, contract, _host.Get);
        var secretNames = new HashSet<string>(config.Environment.SecretNames, StringComparer.Ordinal);

        // 3. The Dockerfile, parsed once (its absence is DockerBuild's error too, but reported here before anything runs).
        DockerfileDocument? dockerfile = null;
        if (!File.Exists(request.DockerfilePath) && request.DockerfileRequired)
        {
            diagnostics.Add(DiagnosticCatalog.DockerfileNotFound.Create(request.DockerfilePath, SourceSpan.None, request.DockerfilePath));
        }
        else if (File.Exists(request.DockerfilePath) || Directory.Exists(request.DockerfilePath))
        {
            dockerfile = DockerfileParser.ParseFile(request.DockerfilePath);
            diagnostics.AddRange(dockerfile.Diagnostics);
            if (StageCheck.Missing(dockerfile, request.DockerfilePath, request.RuntimeStage, "SbirContainerRuntimeStage") is { } runtime)
            {
                diagnostics.Add(runtime);
            }

            if (!string.IsNullOrEmpty(request.BuilderStage)
                && StageCheck.MissingBuilder(dockerfile, request.DockerfilePath, request.BuilderStage) is { } builder)
            {
                diagnostics.Add(builder);
            }

            if (BaseImageNotUsed(dockerfile, request) is { } unused)
            {
                diagnostics.Add(unused);
            }

            diagnostics.AddRange(DockerfileRules.Check(dockerfile, new DockerfileRuleOptions
            {
                RuntimeStage = request.RuntimeStage,
                RequirePinnedDigest = config.Container.RequireDigest,
                BuildArgs = request.BuildArgs,
                PoetryLock = PoetryLock.Read(Path.Combine(request.ContextDirectory, "poetry.lock")),
            }));
        }

        // 4. Hardcoded secrets: in the files that configure the stack (compose, workflows, scripts, config, Dockerfiles),
        // in every file the image will contain, whatever its format, and real-looking values in .env.example.
        var imageFiles = dockerfile is null ? [] : ImageFilesOf(request, dockerfile, diagnostics);
        var scanOptions = new SecretScanOptions { SecretVariables = secretNames, KnownSecrets = known };
        var findings = new List<string>();
        foreach (var (file, copiedAt) in FilesToScan(request, imageFiles))
        {
            ScanFile(file, copiedAt, scanOptions, diagnostics, findings);
        }

        string example = Path.GetFullPath(config.Environment.ExampleFile, request.ProjectDirectory);
        if (File.Exists(example))
        {
            ScanFile(new ContextFile(Path.GetFileName(example), example, 0, default, false, null), null, scanOptions with { IsExampleFile = true }, diagnostics, findings);
        }

        known.AddRange("a hardcoded secret", "the secret scan", findings);

        // 5. Build arguments, from the project and from config/docker.yaml: no secret value may become one.
        diagnostics.AddRange(BuildArgSecrets.Check(request.BuildArgs.Where(a => !IsBaseImage(request, a.Key)), known, null));
        diagnostics.AddRange(BuildArgSecrets.Check(config.Container.BuildArgs.Where(a => !request.BuildArgs.TryGetValue(a.Key, out string? v) || v != a.Value), known, config.Path));

        // 6. The compose files of each profile, interpolated as compose would (host first, then .env).
        if (request.CheckCompose)
        {
            var values = env?.Values ?? new Dictionary<string, string>();
            bool appHealthcheck = dockerfile is not null && HasHealthcheck(dockerfile, request.RuntimeStage);
            var compose = ComposeChecker.Run(new ComposeCheckInput
            {
                ProjectDirectory = request.ProjectDirectory,
                ConfigFile = request.ConfigFile,
                Compose = config.Compose,
                Lookup = name => _host.Get(name) ?? (values.TryGetValue(name, out var v) ? v : null),
                EnvRequired = request.EnvRequired,
                Contract = config.Environment,
                SettingsKeys = config.SettingsKeys,
                AppImage = config.Container.Image,
                AppImageHasHealthcheck = appHealthcheck,
                Profile = request.Profile,
            });
            diagnostics.AddRange(compose.Diagnostics);
            if (request.Profile is not null && compose.FileCount == 0 && config.Compose.Profiles.Count == 0)
            {
                // ComposeUp, DockerTest with services, or ContainerValidate -p:Profile=...: compose would fail with a message of its own.
                diagnostics.Add(DiagnosticCatalog.NoComposeFile.Create(File.Exists(request.ConfigFile) ? request.ConfigFile : null, SourceSpan.None, request.Profile, request.ProjectDirectory));
            }

            // The original project's trap: a variable in .env that no compose file maps never reaches the app.
            // A service that loads the file with env_file: gets all of it, so nothing in it is unused; one with
            // x-sbir-environment-prefix gets every variable under the prefix (the SDK's overlay names them).
            if (env is not null && compose.FileCount > 0 && request.Profile is null && !(env.Path is { } envFilePath && compose.EnvFiles.Contains(Path.GetFullPath(envFilePath))))
            {
                bool Passed(string name) => compose.ReferencedVariables.Contains(name)
                    || compose.EnvironmentPrefixes.Any(p => name.Length > p.Length && name.StartsWith(p, StringComparison.Ordinal));
                foreach (var entry in env.Entries.Where(e => !e.Inherited || SecretValueSet.IsNameLike(e.Key)).Where(e => !Passed(e.Key) && !e.Key.StartsWith("COMPOSE_", StringComparison.Ordinal)).GroupBy(e => e.Key).Select(g => g.First()))
                {
                    diagnostics.Add(DiagnosticCatalog.EnvNotUsedByCompose.Create(env.Path, entry.KeySpan, entry.Key));
                }
            }
        }

        var final = ApplySeverities(WithoutDuplicateSecretFindings(diagnostics), config.Rules)
            .OrderBy(d => d.File ?? string.Empty, StringComparer.Ordinal)
            .ThenBy(d => d.Span.Line)
            .ThenBy(d => d.Span.Column)
            .ToList();
        return new ValidationResult(final, known.Secrets.Select(s => s.Value).ToList(), config);
    }

    /// <summary>The largest file the secret scan reads; a bigger file the image contains is named (SBC2011), not read.</summary>
    public const long MaxScannedFileSize = 4L * 1024 * 1024;

    /// <summary>The files the image will contain, from the build context that .dockerignore lets through and the Dockerfile's COPY and ADD.</summary>
    private static IReadOnlyList<ImageFile> ImageFilesOf(ValidationRequest request, DockerfileDocument dockerfile, List<Diagnostic> diagnostics)
    {
        if (!Directory.Exists(request.ContextDirectory))
        {
            return [];
        }

        var ignore = DockerIgnore.Load(request.ContextDirectory, request.DockerfilePath);
        if (ignore.Error is { } error)
        {
            diagnostics.Add(error);
        }

        return ImageContents.Files(BuildContextScanner.Scan(request.ContextDirectory, ignore), dockerfile);
    }

    /// <summary>The configuration files of the project, then every file of the image not among them, each once.</summary>
    private static IEnumerable<(ContextFile File, DockerfileInstruction? CopiedAt)> FilesToScan(ValidationRequest request, IReadOnlyList<ImageFile> imageFiles)
    {
        var copied = imageFiles.GroupBy(f => f.File.FullPath, StringComparer.Ordinal).ToDictionary(g => g.Key, g => g.First(), StringComparer.Ordinal);
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (string path in SecretScanner.DiscoverFiles(request.ProjectDirectory))
        {
            seen.Add(path);
            yield return copied.TryGetValue(path, out var image)
                ? (image.File, image.CopiedAt)
                : (new ContextFile(Path.GetRelativePath(request.ProjectDirectory, path).Replace('\\', '/'), path, 0, default, false, null), null);
        }

        foreach (var image in imageFiles.Where(f => f.File.LinkTarget is null && seen.Add(f.File.FullPath)))
        {
            yield return (image.File, image.CopiedAt);
        }
    }

    /// <summary>
    /// Scans one file for secrets; a file the image will contain (<paramref name="copiedAt"/> is the COPY or ADD that
    /// takes it) is also judged by its name (SBC2008) and, when it is a script, by its line endings (SBC3130).
    /// </summary>
    private static void ScanFile(ContextFile file, DockerfileInstruction? copiedAt, SecretScanOptions options, List<Diagnostic> diagnostics, List<string> findings)
    {
        string? copy = copiedAt is null ? null : $"{copiedAt.Keyword} on line {copiedAt.Span.Line} of the Dockerfile";
        if (copy is not null && SecretFiles.Why(file.RelativePath) is { } why)
        {
            diagnostics.Add(DiagnosticCatalog.SecretFileInImage.Create(file.FullPath, SourceSpan.None, file.RelativePath, why, copy, file.RelativePath));
            var secretFile = IO.SafeFile.Read(file.FullPath, 64 * 1024);
            if (secretFile.Succeeded && !secretFile.Bytes!.Contains((byte)0))
            {
                findings.Add(secretFile.Text.Trim());
            }
        }

        var content = IO.SafeFile.Read(file.FullPath, MaxScannedFileSize);
        if (!content.Succeeded)
        {
            if (content.Error is { Code: "SBC0051" } && copy is not null)
            {
                diagnostics.Add(DiagnosticCatalog.SecretScanSkipped.Create(file.FullPath, SourceSpan.None, IO.SafeFile.SizeText(new FileInfo(file.FullPath).Length), IO.SafeFile.SizeText(MaxScannedFileSize)));
            }
            else if (content.Error is { } error)
            {
                diagnostics.Add(error);
            }

            return;
        }

        // Binary files (images, archives, compiled code) hold no text a reader here understands.
        if (copy is not null && Array.IndexOf(content.Bytes!, (byte)0, 0, Math.Min(content.Bytes!.Length, 8192)) >= 0)
        {
            return;
        }

        string text = content.Text;
        var scan = SecretScanner.ScanFile(file.FullPath, text, options with { CopiedInto = copy });
        diagnostics.AddRange(scan.Diagnostics);
        findings.AddRange(scan.DetectedValues);
        if (copy is not null && ScriptLineEndings.FirstCrlfLine(file.RelativePath, text) is > 0 and int line)
        {
            diagnostics.Add(DiagnosticCatalog.ScriptCrlf.Create(file.FullPath, SourceSpan.OnLine(line), file.RelativePath, copy));
        }
    }

    private static bool IsBaseImage(ValidationRequest request, string name) => name == request.BaseImageArgument;

    /// <summary>
    /// Applies config/docker.yaml's rules: by code, or by the hadolint ID of a rule. Only validation
    /// rules (SBC1xxx to SBC4xxx) can be changed; faults of the SDK and the engine cannot.
    /// </summary>
    public static IEnumerable<Diagnostic> ApplySeverities(IEnumerable<Diagnostic> diagnostics, IReadOnlyDictionary<string, DiagnosticSeverity> rules)
    {
        foreach (var d in diagnostics)
        {
            var severity = d.Severity;
            if (d.Descriptor.Area is >= 1 and <= 4)
            {
                if (rules.TryGetValue(d.Code, out var byCode))
                {
                    severity = byCode;
                }
                else if (d.Descriptor.HelpId is { } help && rules.TryGetValue(help, out var byHelp))
                {
                    severity = byHelp;
                }
            }

            if (severity != DiagnosticSeverity.Off)
            {
                yield return d.WithSeverity(severity);
            }
        }
    }

    /// <summary>
    /// The secret scan and the compose checks both see a password that compose expands on the host into a health
    /// check: the compose check's error (SBC4010, about any secret variable there) is kept, the scan's warning (SBC2007,
    /// about password options in any compose command) is dropped on that line.
    /// </summary>
    private static IEnumerable<Diagnostic> WithoutDuplicateSecretFindings(List<Diagnostic> diagnostics)
    {
        var healthcheckLines = diagnostics.Where(d => d.Code == "SBC4010").Select(d => (d.File, d.Span.Line)).ToHashSet();
        return diagnostics.Where(d => !(d.Code == "SBC2007" && healthcheckLines.Contains((d.File, d.Span.Line))));
    }

    private static IEnumerable<Diagnostic> CheckConfigSchema(string configFile)
    {
        var content = IO.SafeFile.Read(configFile);
        if (!content.Succeeded)
        {
            return [];
        }

        var (stream, _) = YamlLoader.Load(content.Text, configFile, DiagnosticCatalog.ConfigUnreadable);
        if (stream is null || stream.Documents.Count == 0 || stream.Documents[0].RootNode is not YamlDotNet.RepresentationModel.YamlMappingNode root)
        {
            return [];
        }

        using var document = YamlJson.Convert(root);
        return document.Truncated ? [] : ConfigSchema.Value.Validate(document, configFile, DiagnosticCatalog.ConfigInvalid);
    }

    /// <summary>
    /// SBC0040 at the first FROM line when SbirContainerBaseImage is set but no FROM takes its image from
    /// the argument it is passed as: docker ignores a build argument that no FROM uses, silently.
    /// </summary>
    private static Diagnostic? BaseImageNotUsed(DockerfileDocument dockerfile, ValidationRequest request)
    {
        if (string.IsNullOrWhiteSpace(request.BaseImage) || dockerfile.Stages.Count == 0
            || dockerfile.Stages.Any(s => DockerfileArgs.FromUses(dockerfile, s, request.BaseImageArgument)))
        {
            return null;
        }

        var first = dockerfile.Stages[0];
        bool declared = DockerfileArgs.GlobalValues(dockerfile, [new(request.BaseImageArgument, "x")]).ContainsKey(request.BaseImageArgument);
        string instead = DockerfileArgs.Expand(first.BaseImage, DockerfileArgs.GlobalValues(dockerfile, request.BuildArgs)).Trim();
        return DiagnosticCatalog.BaseImageSettingUnused.Create(
            dockerfile.Path ?? request.DockerfilePath,
            first.From.Span,
            request.BaseImage,
            request.BaseImageArgument,
            declared ? string.Empty : $" (the Dockerfile declares no 'ARG {request.BaseImageArgument}' before its first FROM)",
            instead);
    }

    private static bool HasHealthcheck(DockerfileDocument document, string stage)
    {
        var target = document.Stage(stage) ?? document.FinalStage;
        return target?.Instructions.Any(i => i.Keyword == "HEALTHCHECK" && !i.Arguments.Trim().Equals("NONE", StringComparison.OrdinalIgnoreCase)) == true;
    }

    private Func<string, GitIgnoreStatus>? GitIgnoreStatusOf(string projectDirectory)
    {
        string? git = ExecutableLocator.Find("git", _host.Path);
        if (git is null)
        {
            return null;
        }

        // What git answers below depends on these files: an incremental validation watches them instead of asking git again.
        if (Git.GitDirectory.Find(projectDirectory) is { } repository)
        {
            foreach (string input in repository.IgnoreInputs(projectDirectory))
            {
                IO.InputLog.FileProbed(input);
            }
        }

        return relative =>
        {
            ProcessResult Git(params string[] args)
                => _runner.RunAsync(new ProcessSpec { FileName = git, Arguments = args, WorkingDirectory = projectDirectory, Timeout = TimeSpan.FromSeconds(20), CaptureLines = 20 }).GetAwaiter().GetResult();

            if (Git("ls-files", "--error-unmatch", "--", relative).Succeeded)
            {
                return GitIgnoreStatus.Tracked;
            }

            var check = Git("check-ignore", "-q", "--no-index", "--", relative);
            return check.Outcome != ProcessOutcome.Exited ? GitIgnoreStatus.Unknown
                : check.ExitCode == 0 ? GitIgnoreStatus.Ignored
                : check.ExitCode == 1 ? GitIgnoreStatus.NotIgnored
                : GitIgnoreStatus.Unknown;
        };
    }

    /// <summary>Reads a file as text whatever it holds (invalid bytes become replacement characters); empty when it cannot be read (whoever reads it first reports why).</summary>
    private static string ReadText(string path)
    {
        var content = IO.SafeFile.Read(path);
        return content.Succeeded ? content.Text : string.Empty;
    }
}
