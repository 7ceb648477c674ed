using System.Diagnostics;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using Sbir.Container.Context;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dockerfile;
using Sbir.Container.Engine;
using Sbir.Container.IO;
using Sbir.Container.Secrets;

namespace Sbir.Container.Build;

/// <summary>
/// Builds the builder and runtime stages of a Dockerfile as tagged images, and skips docker when
/// nothing that affects the images changed: the Dockerfile, the context files that .dockerignore
/// lets through, build arguments, labels (except the build time), tags, targets and the base images' IDs.
/// </summary>
public sealed class ImageBuilder
{
    private readonly IProcessRunner _runner;
    private readonly EnvironmentSnapshot _environment;
    private readonly IBuildProgress _progress;
    private readonly Func<string, EngineSocket?> _socketFor;

    /// <summary>
    /// Creates a builder that runs processes with <paramref name="runner"/> and reports to <paramref name="progress"/>;
    /// <paramref name="socketFor"/> gives the engine socket a CLI would use (default <see cref="EngineSocket.For"/>; tests give their own, or none).
    /// </summary>
    public ImageBuilder(IProcessRunner runner, EnvironmentSnapshot environment, IBuildProgress progress, Func<string, EngineSocket?>? socketFor = null)
    {
        _runner = runner;
        _environment = environment;
        _progress = progress;
        _socketFor = socketFor ?? (cli => EngineSocket.For(cli, environment));
    }

    /// <summary>Validates the request, then builds or skips.</summary>
    public async Task<ImageBuildResult> BuildAsync(ImageBuildRequest request, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var diagnostics = new List<Diagnostic>();
        ImageBuildResult Done(ImageBuildResult result) => result with { Elapsed = clock.Elapsed, Diagnostics = diagnostics };

        Validate(request, diagnostics);
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return Done(new ImageBuildResult());
        }

        string? cliPath = ExecutableLocator.Find(string.IsNullOrWhiteSpace(request.Cli) ? "docker" : request.Cli!, _environment.Path, request.ProjectDirectory);
        string statePath = Path.Combine(request.StateDirectory, StateFileName(request.Repository, request.RuntimeStage));
        string cachePath = Path.Combine(request.StateDirectory, "context-hashes.tsv");
        string idPath = Path.Combine(request.StateDirectory, ImageIdFileName(request.Repository, request.RuntimeStage));
        var previous = BuildState.Read(statePath);

        // The inputs of the fingerprint that need no engine: the context files that .dockerignore lets through, hashed once.
        DockerIgnore? ignore = null;
        IReadOnlyList<ContextFile>? files = null;
        ContextHashCache? hashCache = null;
        void ReadContext()
        {
            ignore ??= DockerIgnore.Load(request.ContextDirectory, request.DockerfilePath);
            if (ignore.Error is null && files is null)
            {
                files = ContextFilesExceptState(request, ignore);
                hashCache = ContextHashCache.Load(cachePath);
            }
        }

        // Up to date when the fingerprint (with the base images' IDs) is the recorded one and every tag still names the recorded image.
        ImageBuildResult? UpToDate(IReadOnlyList<string> baseImages, IReadOnlyList<string?> ids, BuildState current)
        {
            if (request.Force || previous is null || previous.Fingerprint != current.Fingerprint)
            {
                return null;
            }

            var existing = ids.Skip(baseImages.Count).ToList();
            bool runtimeOk = existing.Take(previous.RuntimeTags.Count).All(id => id == previous.RuntimeImageId);
            bool builderOk = existing.Skip(previous.RuntimeTags.Count).All(id => id == previous.BuilderImageId);
            if (!runtimeOk || !builderOk || !previous.RuntimeTags.SequenceEqual(request.RuntimeReferences) || !previous.BuilderTags.SequenceEqual(request.BuilderReferences))
            {
                return null;
            }

            hashCache!.Save(cachePath, files!);
            WriteImageId(idPath, previous.RuntimeImageId);
            return new ImageBuildResult
            {
                Skipped = true,
                Reasons = ["nothing that affects the image changed", $"{files!.Count} context files checked", "the tagged images are present in the engine"],
                ImageId = previous.RuntimeImageId,
                BuilderImageId = previous.BuilderImageId.Length == 0 ? null : previous.BuilderImageId,
                ImageIdFile = idPath,
            };
        }

        // A no-op confirmed without parsing the Dockerfile or starting a process: the base images the last build recorded
        // (a function of the Dockerfile, the arguments and the targets, all in the fingerprint: if it matches, so do they),
        // their IDs and the tags' IDs from the engine's socket where the CLI would use it. Anything else takes the full path.
        if (!request.Force && cliPath is not null && previous is { BaseImages: { } recordedBases }
            && _socketFor(cliPath) is { } socket)
        {
            ReadContext();
            if (files is not null
                && socket.ImageIds([.. recordedBases, .. previous.RuntimeTags, .. previous.BuilderTags], cancellationToken) is { } socketIds
                && UpToDate(recordedBases, socketIds, ComputeState(request, files, hashCache!, BaseIds(recordedBases, socketIds))) is { } confirmed)
            {
                return Done(confirmed);
            }
        }

        var dockerfile = DockerfileParser.ParseFile(request.DockerfilePath);
        diagnostics.AddRange(dockerfile.Diagnostics);
        CheckStages(request, dockerfile, diagnostics);
        if (diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error))
        {
            return Done(new ImageBuildResult());
        }

        var probe = new EngineProbe(_runner, _environment);
        if (cliPath is null)
        {
            var failed = await probe.ProbeAsync(request.Cli, request.ProjectDirectory, request.Builder, cancellationToken).ConfigureAwait(false);
            diagnostics.Add(failed.Error!);
            return Done(new ImageBuildResult());
        }

        var docker = new DockerCli(cliPath, _runner);
        ReadContext();
        if (ignore!.Error is { } ignoreError)
        {
            // docker would block on a FIFO there too; say which file instead.
            diagnostics.Add(ignoreError);
            return Done(new ImageBuildResult());
        }

        var baseImages = ExternalBaseImages(request, dockerfile);

        // One engine call answers both "are the base images the same?" and "are our images still there?".
        var lookupRefs = baseImages.ToList();
        if (previous is not null)
        {
            lookupRefs.AddRange(previous.RuntimeTags);
            lookupRefs.AddRange(previous.BuilderTags);
        }

        // From here on docker runs, and everything it prints is masked with the project's secrets.
        _ = request.KnownSecrets.Value;
        var lookup = await docker.InspectImageIdsAsync(lookupRefs, cancellationToken).ConfigureAwait(false);
        if (!lookup.Answered)
        {
            var failed = await probe.ProbeAsync(cliPath, request.ProjectDirectory, request.Builder, cancellationToken).ConfigureAwait(false);
            diagnostics.Add(failed.Error ?? DiagnosticCatalog.DockerCommandFailed.Create("docker image inspect", lookup.EngineFailure!.ExitCode, lookup.EngineFailure.Tail(3)));
            return Done(new ImageBuildResult());
        }

        var current = ComputeState(request, files!, hashCache!, BaseIds(baseImages, lookup.Ids));
        if (UpToDate(baseImages, lookup.Ids, current) is { } upToDate)
        {
            if (previous!.BaseImages is null)
            {
                // A state from before the SDK kept the base images: completed, so the next no-op needs no Dockerfile parse.
                (previous with { BaseImages = baseImages.ToList() }).Write(statePath);
            }

            return Done(upToDate);
        }

        if (previous is not null && previous.Fingerprint == current.Fingerprint)
        {
            current.Inputs["images in the engine"] = "missing or retagged";
        }

        var reasons = request.Force ? ["a build was forced (SbirContainerForceBuild=true)"] : current.DescribeChanges(previous);
        if (reasons.Count == 0)
        {
            reasons = ["the images were removed from the engine or retagged"];
        }

        _progress.Milestone("DockerBuild: building because " + string.Join("; ", reasons) + ".");

        // Only now is the engine worth probing: capabilities decide the builder.
        var probed = await probe.ProbeAsync(cliPath, request.ProjectDirectory, request.Builder, cancellationToken).ConfigureAwait(false);
        if (!probed.Succeeded)
        {
            diagnostics.Add(probed.Error!);
            return Done(new ImageBuildResult { Reasons = reasons });
        }

        var engine = probed.Engine!;
        _progress.Status("Engine: " + engine.Describe());
        if (!await CheckBuilderAsync(request, dockerfile, engine, probe, diagnostics, cancellationToken).ConfigureAwait(false))
        {
            return Done(new ImageBuildResult { Reasons = reasons, Engine = engine.Describe() });
        }

        Directory.CreateDirectory(request.StateDirectory);
        string? builderId = null;
        if (request.BuilderStage is not null)
        {
            builderId = await BuildStageAsync(docker, request, dockerfile, request.BuilderStage, request.BuilderReferences, engine.Builder, diagnostics, cancellationToken).ConfigureAwait(false);
            if (builderId is null)
            {
                return Done(new ImageBuildResult { Reasons = reasons, Engine = engine.Describe() });
            }
        }

        string? runtimeId = await BuildStageAsync(docker, request, dockerfile, request.RuntimeStage, request.RuntimeReferences, engine.Builder, diagnostics, cancellationToken).ConfigureAwait(false);
        if (runtimeId is null)
        {
            return Done(new ImageBuildResult { Reasons = reasons, Engine = engine.Describe(), BuilderImageId = builderId });
        }

        // The base images are now certainly local: record their IDs as the next build will see them.
        var after = await docker.InspectImageIdsAsync(baseImages, cancellationToken).ConfigureAwait(false);
        var baseIdsAfter = baseImages.Select((image, i) => $"{image}={(after.Answered ? after.Ids[i] : null) ?? "absent"}").ToList();
        var final = ComputeState(request, files!, hashCache!, baseIdsAfter) with
        {
            BaseImages = baseImages.ToList(),
            RuntimeImageId = runtimeId,
            BuilderImageId = builderId ?? string.Empty,
            RuntimeTags = request.RuntimeReferences.ToList(),
            BuilderTags = request.BuilderReferences.ToList(),
        };
        final.Write(statePath);
        hashCache!.Save(cachePath, files!);
        WriteImageId(idPath, runtimeId);

        long? size = await docker.ImageSizeAsync(runtimeId, cancellationToken).ConfigureAwait(false);
        long? builderSize = builderId is null ? null : await docker.ImageSizeAsync(builderId, cancellationToken).ConfigureAwait(false);
        return Done(new ImageBuildResult
        {
            Reasons = reasons,
            ImageId = runtimeId,
            BuilderImageId = builderId,
            Size = size,
            BuilderSize = builderSize,
            ImageIdFile = idPath,
            Engine = engine.Describe(),
        });
    }

    /// <summary>"image=ID" (or "image=absent") for each base image, as the fingerprint records them.</summary>
    private static List<string> BaseIds(IReadOnlyList<string> baseImages, IReadOnlyList<string?> ids)
        => baseImages.Select((image, i) => $"{image}={ids[i] ?? "absent"}").ToList();

    /// <summary>The state file's name for a repository and the stage built as its image (runtime, test).</summary>
    public static string StateFileName(string repository, string stage) => $"{SafeName(repository)}.{SafeName(stage)}.buildstate.json";

    /// <summary>The image-ID file's name for a repository and stage: obj/SbirContainer/sbir-etl.runtime.image-id.</summary>
    public static string ImageIdFileName(string repository, string stage) => $"{SafeName(repository)}.{SafeName(stage)}.image-id";

    private static string SafeName(string repository)
        => new(repository.Select(c => char.IsLetterOrDigit(c) || c is '-' or '.' or '_' ? c : '_').ToArray());

    private static void WriteImageId(string path, string id)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        if (!File.Exists(path) || File.ReadAllText(path).Trim() != id)
        {
            File.WriteAllText(path, id + "\n");
        }
    }

    private static void Validate(ImageBuildRequest request, List<Diagnostic> diagnostics)
    {
        if (!File.Exists(request.DockerfilePath))
        {
            diagnostics.Add(DiagnosticCatalog.DockerfileNotFound.Create(request.DockerfilePath));
        }

        if (!Directory.Exists(request.ContextDirectory))
        {
            diagnostics.Add(DiagnosticCatalog.ContextNotFound.Create(request.ContextDirectory));
        }

        foreach (string repository in new[] { request.Repository }.Concat(request.BuilderStage is null ? [] : [request.EffectiveBuilderRepository]))
        {
            if (ImageReference.ValidateRepository(repository) is { } why)
            {
                diagnostics.Add(DiagnosticCatalog.InvalidImageName.Create(repository, why));
            }
        }

        if (request.Tags.Count == 0)
        {
            diagnostics.Add(DiagnosticCatalog.InvalidImageTag.Create(string.Empty));
        }

        foreach (string tag in request.Tags.Where(t => !ImageReference.IsValidTag(t)))
        {
            diagnostics.Add(DiagnosticCatalog.InvalidImageTag.Create(tag));
        }

        foreach (var (name, _) in request.BuildArgs)
        {
            if (name.Length == 0 || !name.All(c => char.IsAsciiLetterOrDigit(c) || c == '_') || char.IsAsciiDigit(name[0]))
            {
                diagnostics.Add(DiagnosticCatalog.InvalidBuildArg.Create(name, "a name is letters, digits and '_', not starting with a digit"));
            }
            else if (SecretNames.LooksSecret(name))
            {
                diagnostics.Add(DiagnosticCatalog.SecretAsBuildArg.Create(name, name.ToLowerInvariant()));
            }
        }

        // Even when ContainerValidate is skipped, no secret value goes to docker as a build argument.
        if (request.BuildArgs.Count > 0)
        {
            diagnostics.AddRange(BuildArgSecrets.Check(request.BuildArgs, request.KnownSecrets.Value, null));
        }
        foreach (string name in request.WithheldBuildArgs)
        {
            diagnostics.Add(BuildArgSecrets.Withheld(name, "a secret value (config/docker.yaml, container.buildArgs)", null));
        }

        foreach (var secret in request.Secrets)
        {
            if (secret.File is not null && SafeFile.Read(secret.File) is { Succeeded: false } unreadable)
            {
                // A FIFO or device would block docker's read of the secret as it blocks ours: name it instead.
                diagnostics.Add(unreadable.Error ?? DiagnosticCatalog.InvalidBuildSecret.Create(secret.Id, $"the file '{secret.File}' does not exist"));
            }
            else if (secret.File is null && secret.EnvironmentVariable is null)
            {
                diagnostics.Add(DiagnosticCatalog.InvalidBuildSecret.Create(secret.Id, "neither EnvironmentVariable nor File is set"));
            }
            else if (secret.File is null && secret.Value is null)
            {
                diagnostics.Add(DiagnosticCatalog.InvalidBuildSecret.Create(secret.Id, $"the variable {secret.EnvironmentVariable} is set neither in the environment nor in .env"));
            }
        }
    }

    private static void CheckStages(ImageBuildRequest request, DockerfileDocument dockerfile, List<Diagnostic> diagnostics)
    {
        if (StageCheck.Missing(dockerfile, request.DockerfilePath, request.RuntimeStage, request.RuntimeStageProperty) is { } runtime)
        {
            diagnostics.Add(runtime);
        }

        if (request.BuilderStage is not null && StageCheck.MissingBuilder(dockerfile, request.DockerfilePath, request.BuilderStage) is { } builder)
        {
            diagnostics.Add(builder);
        }
    }

    private async Task<bool> CheckBuilderAsync(ImageBuildRequest request, DockerfileDocument dockerfile, EngineInfo engine, EngineProbe probe, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        string who = $"{engine.CliPath} (docker {engine.ClientVersion})";
        if (request.Builder == BuilderPreference.Legacy && engine.Builder == BuilderKind.Legacy && request.Secrets.Count == 0 && dockerfile.BuildKitRequirement() is null)
        {
            return true;
        }

        string? need = request.Secrets.Count > 0 ? $"build secrets: {string.Join(", ", request.Secrets.Select(s => s.Id))}"
            : dockerfile.BuildKitRequirement() is { } why ? "the Dockerfile needs it: " + why
            : request.Builder == BuilderPreference.BuildKit ? "SbirContainerBuilder=buildkit" : null;

        string? example = null;
        if (engine.Builder == BuilderKind.Legacy)
        {
            string? alternative = await probe.FindBuildKitCapableAlternativeAsync(engine.CliPath, cancellationToken).ConfigureAwait(false);
            example = alternative is null ? string.Empty : $", for example -p:SbirDockerCli={alternative.Split(' ')[0]} (found on this machine: {alternative})";
        }

        if (engine.Builder == BuilderKind.Legacy && need is not null)
        {
            diagnostics.Add(DiagnosticCatalog.BuildKitUnavailable.Create(need, who, LegacyReason(request), example));
            return false;
        }

        if (!string.IsNullOrWhiteSpace(request.CacheTo) && engine.Builder is not BuilderKind.Buildx)
        {
            diagnostics.Add(DiagnosticCatalog.CacheExportUnsupported.Create(request.CacheTo, who, engine.Builder == BuilderKind.Podman ? "Podman has no BuildKit cache export" : "only the buildx plugin exports caches"));
            return false;
        }

        _progress.Milestone("DockerBuild: " + DescribeBuilder(engine, who, engine.Builder == BuilderKind.Legacy ? LegacyReason(request) : null, example));
        return true;
    }

    /// <summary>
    /// The one line, shown at every verbosity, that says which builder builds the image; for the legacy
    /// builder also why, what it cannot do, and how to get BuildKit.
    /// </summary>
    internal static string DescribeBuilder(EngineInfo engine, string who, string? legacyReason, string? example) => engine.Builder switch
    {
        BuilderKind.Buildx => $"building with BuildKit (the buildx plugin of {who}).",
        BuilderKind.BuildKitBuiltIn => $"building with BuildKit (built into {who}).",
        BuilderKind.Podman => $"building with Buildah ({engine.CliPath}, podman {engine.ClientVersion}).",
        _ => $"building with the legacy builder, because {legacyReason}; it has no build secrets (RUN --mount=type=secret), no cache mounts and no cache export."
            + (string.IsNullOrEmpty(example) ? " Install the docker buildx plugin to use BuildKit." : $" Set SbirDockerCli to a BuildKit-capable client to use BuildKit{example}."),
    };

    private string LegacyReason(ImageBuildRequest request)
        => request.Builder == BuilderPreference.Legacy ? "SbirContainerBuilder=legacy was asked for"
            : _environment.Get("DOCKER_BUILDKIT") == "0" ? "DOCKER_BUILDKIT=0 is set in the environment"
            : "the docker client has no buildx plugin and, being version 23 or newer, no built-in BuildKit";

    private async Task<string?> BuildStageAsync(DockerCli docker, ImageBuildRequest request, DockerfileDocument dockerfile, string stage, IReadOnlyList<string> references, BuilderKind builder, List<Diagnostic> diagnostics, CancellationToken cancellationToken)
    {
        string iidFile = Path.Combine(request.StateDirectory, $"{SafeName(request.Repository)}.{SafeName(stage)}.iid");
        File.Delete(iidFile);
        var command = DockerBuildCommand.Create(request, stage, references, builder, iidFile);
        _progress.Milestone($"DockerBuild: stage '{stage}' as {string.Join(", ", references)}");
        _progress.Status(new ProcessSpec { FileName = docker.Executable, Arguments = command.Arguments }.Display);

        var parser = new BuildOutputParser();
        var steps = new BuildStepReporter(_progress.Milestone);
        var observer = new StreamingObserver(parser, steps, _progress);
        var result = await docker.RunAsync(command.Arguments, command.Environment, observer, null, request.ProjectDirectory, cancellationToken).ConfigureAwait(false);
        steps.Complete();

        if (result.Outcome == ProcessOutcome.Cancelled)
        {
            diagnostics.Add(DiagnosticCatalog.Cancelled.Create("DockerBuild", Path.GetFileName(docker.Executable) + " build"));
            return null;
        }

        if (result.Outcome == ProcessOutcome.FailedToStart)
        {
            diagnostics.Add(DiagnosticCatalog.EngineCliNotFound.Create(docker.Executable, $": it could not be started ({result.StartError})"));
            return null;
        }

        if (!result.Succeeded)
        {
            var failure = parser.Failure;
            diagnostics.Add(failure is { Kind: BuildFailureKind.BaseImage, Image: { } image }
                ? await DescribeMissingBaseImageAsync(docker, request, dockerfile, image, failure.Message, cancellationToken).ConfigureAwait(false)
                : DescribeFailure(failure, request, dockerfile, stage, result));
            return null;
        }

        string id = File.Exists(iidFile) ? File.ReadAllText(iidFile).Trim() : string.Empty;
        if (id.Length == 0)
        {
            var lookup = await docker.InspectImageIdsAsync([references[0]], cancellationToken).ConfigureAwait(false);
            id = lookup.Answered ? lookup.Ids[0] ?? string.Empty : string.Empty;
        }

        return id.Length == 0 ? null : id;
    }

    private static Diagnostic DescribeFailure(BuildFailure? failure, ImageBuildRequest request, DockerfileDocument dockerfile, string stage, ProcessResult result)
    {
        string output = FormatOutput(failure?.Output is { Count: > 0 } lines ? lines : result.StandardError.Concat(result.StandardOutput).TakeLast(8).ToList());
        if (failure is { Kind: BuildFailureKind.Step, Instruction: { } text }
            && FailingInstruction.Find(dockerfile, failure.Stage, text, failure.StepNumber) is { } instruction)
        {
            string stageName = instruction.StageIndex >= 0 ? dockerfile.Stages[instruction.StageIndex].DisplayName : stage;
            string exit = failure.ExitCode is { } code ? $" with exit code {code}" : string.Empty;
            return DiagnosticCatalog.BuildStepFailed.Create(request.DockerfilePath, instruction.Span, instruction.Display(), stageName, exit, output);
        }

        return DiagnosticCatalog.BuildFailed.Create(request.DockerfilePath, SourceSpan.None, stage, result.ExitCode, output);
    }

    /// <summary>
    /// SBC5103 at the FROM line that names the image, with the image as the build resolved it (the
    /// legacy builder prints the FROM line unexpanded, '${BASE_IMAGE}'), and a fix that fits: a FROM
    /// that ignores SbirContainerBaseImage is told so; where no registry answers, the local images of
    /// the same name and the variable that selects the image are named.
    /// </summary>
    private async Task<Diagnostic> DescribeMissingBaseImageAsync(DockerCli docker, ImageBuildRequest request, DockerfileDocument dockerfile, string printed, string reason, CancellationToken cancellationToken)
    {
        var (from, resolved) = BaseImageStage(request, dockerfile, printed);
        string? local = null;
        bool offline = BaseImageFix.RegistryUnreachable(reason);
        if (offline)
        {
            var images = await docker.RunAsync(["image", "ls", "--format", "{{.Repository}}:{{.Tag}}"], cancellationToken: cancellationToken).ConfigureAwait(false);
            local = BaseImageFix.SameNameLocal(resolved, images.Succeeded ? images.StandardOutput : []);
        }

        string fix = BaseImageFix.Describe(new BaseImageFix.Situation(
            resolved,
            request.BaseImageArg,
            request.BaseImage,
            from is not null && !DockerfileArgs.FromUses(dockerfile, from, request.BaseImageArg),
            offline,
            local));
        return DiagnosticCatalog.BaseImageUnavailable.Create(request.DockerfilePath, from?.From.Span ?? SourceSpan.None, resolved, reason, fix);
    }

    /// <summary>The stage whose FROM names <paramref name="printed"/> (as docker printed it, expanded or not) and the image it resolves to.</summary>
    internal static (DockerfileStage? Stage, string Image) BaseImageStage(ImageBuildRequest request, DockerfileDocument dockerfile, string printed)
    {
        var args = DockerfileArgs.GlobalValues(dockerfile, request.EffectiveBuildArgs);
        string wanted = ImageReference.WithoutDefaultRegistry(printed);
        foreach (var stage in dockerfile.Stages)
        {
            string expanded = DockerfileArgs.Expand(stage.BaseImage, args).Trim();
            if (stage.BaseImage.Trim() == printed.Trim() || ImageReference.WithoutDefaultRegistry(expanded) == wanted)
            {
                return (stage, expanded.Length > 0 ? expanded : printed);
            }
        }

        string fallback = printed.Contains('$') ? DockerfileArgs.Expand(printed, args).Trim() : printed;
        return (null, fallback.Length > 0 ? fallback : printed);
    }

    private static string FormatOutput(IReadOnlyList<string> lines)
    {
        var kept = lines.Where(l => l.Trim().Length > 0).TakeLast(8).Select(l => l.Length > 300 ? l[..300] + "…" : l).ToList();
        return kept.Count == 0 ? " (none)" : "\n    " + string.Join("\n    ", kept);
    }

    /// <summary>
    /// The context files, without the SDK's own state folder when it lies inside the context: those
    /// files change on every build and would make every build look changed. (Whether docker should
    /// see them at all is .dockerignore's business; the validation warns when obj/ is not ignored.)
    /// </summary>
    private static IReadOnlyList<ContextFile> ContextFilesExceptState(ImageBuildRequest request, DockerIgnore ignore)
    {
        var files = BuildContextScanner.Scan(request.ContextDirectory, ignore);
        string state = Path.GetRelativePath(request.ContextDirectory, request.StateDirectory).Replace('\\', '/').TrimEnd('/') + "/";
        return state.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(state)
            ? files
            : files.Where(f => !f.RelativePath.StartsWith(state, StringComparison.Ordinal)).ToList();
    }

    /// <summary>The base images of the build (FROM lines that name no earlier stage), with ARGs expanded.</summary>
    internal static IReadOnlyList<string> ExternalBaseImages(ImageBuildRequest request, DockerfileDocument dockerfile)
    {
        var args = DockerfileArgs.GlobalValues(dockerfile, request.EffectiveBuildArgs);
        var stageNames = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        var images = new List<string>();
        foreach (var stage in dockerfile.Stages)
        {
            string image = DockerfileArgs.Expand(stage.BaseImage, args).Trim();
            if (image.Length > 0 && !stageNames.Contains(image) && !image.Equals("scratch", StringComparison.OrdinalIgnoreCase) && !images.Contains(image))
            {
                images.Add(image);
            }

            if (stage.Name is not null)
            {
                stageNames.Add(stage.Name);
            }
        }

        return images;
    }

    private static BuildState ComputeState(ImageBuildRequest request, IReadOnlyList<ContextFile> files, ContextHashCache cache, IReadOnlyList<string> baseIds)
    {
        var inputs = new Dictionary<string, string>(StringComparer.Ordinal)
        {
            ["Dockerfile"] = Hash(SafeFile.Read(request.DockerfilePath).Text),
            ["build arguments"] = Hash(Lines(request.EffectiveBuildArgs)),
            ["labels"] = Hash(Lines(StateFile.Sorted(request.Labels), except: OciLabels.Created)),
            ["targets"] = Hash([request.BuilderStage ?? string.Empty, request.RuntimeStage, request.Platform ?? string.Empty]),
            ["tags"] = Hash(request.RuntimeReferences.Concat(request.BuilderReferences)),
            ["base images"] = Hash(baseIds),
            ["build secrets"] = Hash(request.Secrets.Select(s => s.Id + ":" + (s.File is null ? Hash(s.Value ?? string.Empty) : cacheKeyOf(s.File)))),
            [".dockerignore"] = Hash(SafeFile.Read(Path.Combine(request.ContextDirectory, ".dockerignore")).Text),
        };

        var fileHashes = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var file in files)
        {
            fileHashes[file.RelativePath] = cache.HashOf(file) + (file.IsExecutable ? "+x" : string.Empty);
        }

        // Both in ordinal key order: the fingerprint is the text of the sorted entries.
        var sortedInputs = StateFile.Sorted(inputs);
        var sortedFiles = StateFile.Sorted(fileHashes);
        var all = new StringBuilder();
        foreach (var (k, v) in sortedInputs)
        {
            all.Append(k).Append('=').Append(v).Append('\n');
        }

        foreach (var (k, v) in sortedFiles)
        {
            all.Append("file:").Append(k).Append('=').Append(v).Append('\n');
        }

        return new BuildState { Fingerprint = Hash(all.ToString()), Inputs = sortedInputs, Files = sortedFiles };

        static string cacheKeyOf(string file)
            => SafeFile.Read(file) is { Succeeded: true } content ? Convert.ToHexString(SHA256.HashData(content.Bytes!)) : "missing";
    }

    private static string Hash(string text) => Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private static string Hash(IEnumerable<string> parts) => Hash(string.Join("\n", parts));

    /// <summary>
    /// "key=value" of each pair in order, but <paramref name="except"/>. A loop, not LINQ: LINQ over pairs is generic code
    /// over a struct, compiled on the spot on every no-op build.
    /// </summary>
    private static List<string> Lines(IEnumerable<KeyValuePair<string, string>> pairs, string? except = null)
    {
        var lines = new List<string>();
        foreach (var pair in pairs)
        {
            if (pair.Key != except)
            {
                lines.Add(pair.Key + "=" + pair.Value);
            }
        }

        return lines;
    }

    private sealed class StreamingObserver(BuildOutputParser parser, BuildStepReporter steps, IBuildProgress progress) : IProcessObserver
    {
        private readonly object _gate = new();

        public void OnLine(string line, bool isError)
        {
            lock (_gate)
            {
                parser.Observe(line);
                steps.Observe(line);
                progress.Output(BuildOutputParser.StripAnsi(line));
            }
        }
    }
}
