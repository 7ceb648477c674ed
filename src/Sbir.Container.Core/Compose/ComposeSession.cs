using Sbir.Container.Build;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;
using Sbir.Container.Engine;
using Sbir.Container.Secrets;
using Sbir.Container.Text;

namespace Sbir.Container.Compose;

/// <summary>Where a project's compose stack lives and which CLIs drive it (from the targets' properties).</summary>
public sealed record ComposeSessionOptions
{
    /// <summary>The project directory (compose's project directory).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>The docker CLI setting (SbirDockerCli): a name on PATH or a path.</summary>
    public string? DockerCli { get; init; }

    /// <summary>The compose CLI setting (SbirComposeCli); empty picks the docker plugin, then docker-compose.</summary>
    public string? ComposeCli { get; init; }

    /// <summary>The .env file (SbirContainerEnvFile), relative to the project; empty is .env.</summary>
    public string? EnvFile { get; init; }

    /// <summary>False when only the engine is needed (DockerTest without a stack): compose is then not looked for.</summary>
    public bool NeedsCompose { get; init; } = true;
}

/// <summary>The image a service of the stack runs, and what chose it, to name an image that cannot be pulled.</summary>
/// <param name="Service">The compose service.</param>
/// <param name="Image">The image after interpolation.</param>
/// <param name="Variable">The variable in the service's image: line, or null for a literal.</param>
/// <param name="Origin">Where the value came from, as a user would look for it ("NEO4J_IMAGE in .env (line 9)").</param>
public sealed record ServiceImage(string Service, string Image, string? Variable, string Origin);

/// <summary>
/// The one core service behind every target that drives a project's compose stack (ComposeUp,
/// ComposeDown, ComposeStatus, ComposeRun, DockerTest): the engine probed once, compose found once,
/// .env read once (masking its secrets, giving values as compose resolves them: the environment first),
/// the compose files resolved with one default (<see cref="ComposeFileNames"/>), and the request built
/// the same way for all of them. It reads the compose model too, for what a task needs to know
/// before compose runs: the services a test service depends on, the images and the variables that
/// select them, bind-mount folders to create.
/// </summary>
public sealed class ComposeSession
{
    private readonly EnvironmentSnapshot _environment;

    private ComposeSession(ComposeSessionOptions options, EngineInfo engine, DockerCli docker, ComposeCli? compose, string envFile, DotenvDocument? dotenv, EnvironmentSnapshot environment)
    {
        Options = options;
        Engine = engine;
        Docker = docker;
        Compose = compose;
        EnvFile = envFile;
        Dotenv = dotenv;
        _environment = environment;
    }

    /// <summary>What the session was opened with.</summary>
    public ComposeSessionOptions Options { get; }

    /// <summary>The engine behind the docker CLI.</summary>
    public EngineInfo Engine { get; }

    /// <summary>The docker CLI wrapper.</summary>
    public DockerCli Docker { get; }

    /// <summary>Compose, or null when <see cref="ComposeSessionOptions.NeedsCompose"/> was false.</summary>
    public ComposeCli? Compose { get; }

    /// <summary>The .env file (absolute; it may not exist).</summary>
    public string EnvFile { get; }

    /// <summary>.env as read, or null when it does not exist.</summary>
    public DotenvDocument? Dotenv { get; }

    /// <summary>
    /// The project's secret values (the one <see cref="SecretValueSet"/>): .env as read and the environment, judged by
    /// <paramref name="contract"/> (config/docker.yaml's; none: by name only). The task masks them in everything it logs.
    /// </summary>
    public SecretValueSet Secrets(EnvironmentContract? contract = null)
        => SecretValueSet.From(Dotenv, contract ?? ContainerConfig.Empty.Environment, _environment.Get);

    /// <summary>Probes the engine, finds compose (when needed) and reads .env; a coded error when the engine or compose is missing.</summary>
    public static async Task<(ComposeSession? Session, Diagnostic? Error)> OpenAsync(ComposeSessionOptions options, IProcessRunner runner, EnvironmentSnapshot environment, CancellationToken cancellationToken = default)
    {
        var probe = await new EngineProbe(runner, environment).ProbeAsync(options.DockerCli, options.ProjectDirectory, BuilderPreference.Auto, cancellationToken).ConfigureAwait(false);
        if (!probe.Succeeded)
        {
            return (null, probe.Error);
        }

        ComposeCli? compose = null;
        if (options.NeedsCompose)
        {
            (compose, var error) = await ComposeCli.FindAsync(probe.Engine!.CliPath, options.ComposeCli, runner, environment, cancellationToken).ConfigureAwait(false);
            if (compose is null)
            {
                return (null, error);
            }
        }

        string envFile = Path.GetFullPath(string.IsNullOrWhiteSpace(options.EnvFile) ? ".env" : options.EnvFile.Trim(), options.ProjectDirectory);
        var dotenv = File.Exists(envFile) ? DotenvParser.ParseFile(envFile, environment.Get) : null;
        return (new ComposeSession(options, probe.Engine!, new DockerCli(probe.Engine!.CliPath, runner), compose, envFile, dotenv, environment), null);
    }

    /// <summary>A variable as compose resolves it: the environment of the process first, then .env; null when neither sets it.</summary>
    public string? Lookup(string name)
        => _environment.Get(name) ?? (Dotenv is not null && Dotenv.Values.TryGetValue(name, out string? value) ? value : null);

    /// <summary>
    /// True when the environment or .env gives <paramref name="name"/> a non-empty value. Empty counts as
    /// unset: CI passes an undefined secret as "", and compose's ${NAME:-default} treats it the same way.
    /// </summary>
    public bool IsSet(string name) => !string.IsNullOrEmpty(Lookup(name));

    /// <summary>The request for a stack of this project: files resolved (the default file when none is given), .env passed when it exists.</summary>
    public ComposeRequest Request(string projectName, IEnumerable<string> files, IEnumerable<string> profiles, string profileName, IReadOnlyDictionary<string, string?>? environment = null)
        => new()
        {
            ProjectName = projectName,
            ProjectDirectory = Options.ProjectDirectory,
            Files = ComposeFileNames.Resolve(Options.ProjectDirectory, files),
            Profiles = profiles.Select(p => p.Trim()).Where(p => p.Length > 0).ToList(),
            EnvFile = EnvFile,
            ProfileName = profileName,
            Environment = environment ?? new Dictionary<string, string?>(),
        };

    /// <summary>Splits a command given as one property ("dagster asset materialize --select 'a,b'") into words: blanks separate, quotes group.</summary>
    public static IReadOnlyList<string> SplitArguments(string text)
        => Dockerfile.Rules.InstructionText.Words(text ?? string.Empty).Select(w => w.Value).ToList();

    /// <summary>The runner for this session's engine and compose.</summary>
    public ComposeRunner Runner(IBuildProgress progress)
        => new(Docker, Compose ?? throw new InvalidOperationException("The session was opened without compose."), progress);

    /// <summary>What the stack of <paramref name="request"/> consists of, read from its files as compose merges them.</summary>
    public StackModel Model(ComposeRequest request)
    {
        var loaded = request.Files.Where(File.Exists).Select(f => ComposeFile.Load(f, name => Lookup(name, request.Environment), DiagnosticSeverity.Warning)).ToList();
        try
        {
            var project = ComposeProject.Merge(request.ProfileName, loaded);
            var started = project.Services.Values
                .Where(s => s.ServiceProfiles.Count == 0 || s.ServiceProfiles.Intersect(request.Profiles, StringComparer.Ordinal).Any())
                .Select(s => s.Name)
                .ToList();
            var dependencies = project.Services.ToDictionary(p => p.Key, p => (IReadOnlyList<string>)p.Value.DependsOn.Keys.ToList(), StringComparer.Ordinal);
            var images = project.Services.Values.Where(s => s.Image is not null).Select(s => ImageOf(s, request)).ToList();
            var binds = project.Services.Values.ToDictionary(
                s => s.Name,
                s => (IReadOnlyList<string>)s.Mounts.Values
                    .Where(m => m.Type == "bind" && m.Source is { } source && source.StartsWith('.'))
                    .Select(m => Path.GetFullPath(m.Source!, Options.ProjectDirectory))
                    .Distinct(StringComparer.Ordinal)
                    .ToList(),
                StringComparer.Ordinal);
            return new StackModel(started, dependencies, images, binds, EnvironmentPrefix.Services(project));
        }
        finally
        {
            foreach (var file in loaded)
            {
                file.Dispose();
            }
        }
    }

    /// <summary>The names of the variables this process's environment, .env or <paramref name="overrides"/> give a non-empty value.</summary>
    public IEnumerable<string> SetVariableNames(IReadOnlyDictionary<string, string?>? overrides = null)
        => _environment.Names
            .Concat(Dotenv?.Values.Keys ?? [])
            .Concat(overrides?.Keys ?? [])
            .Distinct(StringComparer.Ordinal)
            .Where(n => !string.IsNullOrEmpty(Lookup(n, overrides)));

    /// <summary>A variable as compose gets it for a request: the request's own value first, then <see cref="Lookup(string)"/>.</summary>
    private string? Lookup(string name, IReadOnlyDictionary<string, string?>? overrides)
        => overrides is not null && overrides.TryGetValue(name, out string? given) && given is not null ? given : Lookup(name);

    /// <summary>
    /// The request with the overlay of <see cref="EnvironmentPrefix"/> after its files: every variable that
    /// .env, the environment or the request sets under a service's x-sbir-environment-prefix, by name, written
    /// to <paramref name="directory"/>/compose/PROFILE.environment.yml (names only, never a value); and what it
    /// passes, per service. When nothing is passed the request is returned as it was and a stale overlay removed.
    /// </summary>
    public (ComposeRequest Request, IReadOnlyDictionary<string, IReadOnlyList<string>> Passed) WithPrefixedVariables(ComposeRequest request, StackModel model, string directory)
    {
        var plan = EnvironmentPrefix.Plan(model.Prefixed, SetVariableNames(request.Environment));
        string file = Path.GetFullPath(Path.Combine(directory, "compose", $"{(request.ProfileName.Length > 0 ? request.ProfileName : "default")}.environment.yml"), Options.ProjectDirectory);
        string? overlay = EnvironmentPrefix.Render(plan);
        if (overlay is null)
        {
            // File.Delete accepts a missing file but not a missing folder (a project that never had an overlay).
            if (File.Exists(file))
            {
                File.Delete(file);
            }

            return (request, plan);
        }

        // Written beside and then moved, so that a concurrent run of the same profile never reads half a file.
        Directory.CreateDirectory(Path.GetDirectoryName(file)!);
        string partial = file + "." + Environment.ProcessId + ".partial";
        File.WriteAllText(partial, overlay);
        File.Move(partial, file, overwrite: true);
        return (request with { Files = [.. request.Files, file] }, plan);
    }

    /// <summary>The image <paramref name="variable"/> names (environment or .env), with where it was set.</summary>
    public ServiceImage ImageFromVariable(string service, string variable)
        => new(service, Lookup(variable) ?? string.Empty, variable, _environment.Get(variable) is not null ? $"{variable} in the environment"
            : Dotenv?.Last(variable) is { } entry ? $"{variable} in {Path.GetFileName(EnvFile)} (line {entry.Line})" : variable);

    private ServiceImage ImageOf(ComposeService service, ComposeRequest request)
    {
        var at = service.Properties["image"];
        string raw = at.File.RawAt(at.Pointer) ?? service.Image!;
        int line = at.File.SpanOf(at.Pointer).Line;
        string where = $"{Path.GetRelativePath(Options.ProjectDirectory, at.File.Path)} (line {line})";
        var reference = Interpolation.References(raw).FirstOrDefault();
        if (reference is null)
        {
            return new ServiceImage(service.Name, service.Image!, null, "its image: in " + where);
        }

        string name = reference.Name;
        if (request.Environment.TryGetValue(name, out string? given) && given is not null)
        {
            return new ServiceImage(service.Name, service.Image!, name, $"{name}, which the SDK set to the image it built");
        }

        return IsSet(name) ? ImageFromVariable(service.Name, name) with { Image = service.Image! }
            : new ServiceImage(service.Name, service.Image!, name, $"{name}, unset, so the default in {where}");
    }
}

/// <summary>What a stack consists of: the services 'up' starts, who depends on whom, the images, the relative bind mounts, the prefixes.</summary>
/// <param name="Started">The services 'up' starts with the request's compose profiles.</param>
/// <param name="DependsOn">Each service's depends_on.</param>
/// <param name="Images">The image of each service that names one.</param>
/// <param name="BindSources">Host folders of the relative bind mounts of each service.</param>
/// <param name="Prefixed">The services with an x-sbir-environment-prefix (<see cref="EnvironmentPrefix"/>).</param>
public sealed record StackModel(IReadOnlyList<string> Started, IReadOnlyDictionary<string, IReadOnlyList<string>> DependsOn, IReadOnlyList<ServiceImage> Images, IReadOnlyDictionary<string, IReadOnlyList<string>> BindSources, IReadOnlyList<PrefixedService> Prefixed)
{
    /// <summary>The services <paramref name="service"/> needs, transitively (itself excluded), in no particular order.</summary>
    public IReadOnlyList<string> DependenciesOf(string service)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        var pending = new Stack<string>([service]);
        while (pending.Count > 0)
        {
            foreach (string dependency in DependsOn.TryGetValue(pending.Pop(), out var list) ? list : [])
            {
                if (dependency != service && seen.Add(dependency))
                {
                    pending.Push(dependency);
                }
            }
        }

        return seen.OrderBy(s => s, StringComparer.Ordinal).ToList();
    }

    /// <summary>
    /// Bind-mount folders of <paramref name="services"/> inside the project that do not exist yet (paths with an
    /// extension are taken for files and skipped).
    /// </summary>
    public IReadOnlyList<string> MissingBindFolders(string projectDirectory, IEnumerable<string> services)
    {
        string root = Path.GetFullPath(projectDirectory).TrimEnd(Path.DirectorySeparatorChar) + Path.DirectorySeparatorChar;
        return services.SelectMany(s => BindSources.TryGetValue(s, out var binds) ? binds : [])
            .Distinct(StringComparer.Ordinal)
            .Where(p => p.StartsWith(root, StringComparison.Ordinal) && !Path.HasExtension(p) && !Directory.Exists(p) && !File.Exists(p))
            .ToList();
    }
}
