using System.Text.Json;
using System.Text.RegularExpressions;
using Sbir.Container.Build;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Secrets;
using Sbir.Container.Text;

namespace Sbir.Container.Compose;

/// <summary>What the compose checks need.</summary>
public sealed record ComposeCheckInput
{
    /// <summary>The project directory (compose's project directory).</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>config/docker.yaml, where missing compose files are reported.</summary>
    public string? ConfigFile { get; init; }

    /// <summary>Profiles and their files (config/docker.yaml, compose:).</summary>
    public required ComposeSettings Compose { get; init; }

    /// <summary>Looks up a variable as compose does: the host environment first, then .env.</summary>
    public required Func<string, string?> Lookup { get; init; }

    /// <summary>True for ComposeUp: a required variable missing is an error, not a warning.</summary>
    public bool EnvRequired { get; init; }

    /// <summary>The environment contract, for unknown-variable checks.</summary>
    public EnvironmentContract Contract { get; init; } = new();

    /// <summary>The application's settings keys.</summary>
    public IReadOnlySet<string> SettingsKeys { get; init; } = new HashSet<string>();

    /// <summary>The repository of the image the SDK builds (container.image), whose contents it knows.</summary>
    public string? AppImage { get; init; }

    /// <summary>True when the SDK-built image has a HEALTHCHECK.</summary>
    public bool AppImageHasHealthcheck { get; init; }

    /// <summary>Only this profile, or all configured profiles when null.</summary>
    public string? Profile { get; init; }
}

/// <summary>The compose checks' findings, and what the files read.</summary>
/// <param name="Diagnostics">The findings.</param>
/// <param name="ReferencedVariables">Every variable any compose file interpolates.</param>
/// <param name="FileCount">How many compose files were read.</param>
/// <param name="EnvFiles">Full paths of the files some service loads with env_file: (every variable in them reaches that container).</param>
/// <param name="EnvironmentPrefixes">The x-sbir-environment-prefix values of the services (every variable under one reaches them through the SDK).</param>
public sealed record ComposeCheckResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlySet<string> ReferencedVariables, int FileCount, IReadOnlySet<string> EnvFiles, IReadOnlySet<string> EnvironmentPrefixes);

/// <summary>
/// The compose checks (SBC40xx): each file against the Compose Specification's JSON schema after
/// interpolation, then, per profile, the files merged: cross-references (depends_on, service_healthy,
/// volumes, networks, secrets, configs), profile rules (prod without host mounts, dev with them),
/// NEO4J_AUTH, and health checks that can actually run in the Neo4j and Dagster images.
/// </summary>
public static partial class ComposeChecker
{
    private static readonly Lazy<JsonSchemaCheck> Schema = new(() => JsonSchemaCheck.FromResource("Sbir.Container.Compose.compose-spec.json"));

    /// <summary>Programs the images of this stack do not have (slim Python images; the Neo4j image has wget but no curl).</summary>
    private static readonly string[] MissingInAppImage = ["curl", "wget", "nc", "netcat", "ps", "pgrep", "pidof"];
    private static readonly string[] MissingInNeo4jImage = ["curl", "nc", "ps", "pgrep"];

    /// <summary>The compose files each profile uses: config/docker.yaml's, else the default compose file alone (<see cref="ComposeFileNames"/>).</summary>
    public static IReadOnlyList<(string Profile, IReadOnlyList<string> Files)> Profiles(ComposeCheckInput input)
    {
        var profiles = input.Compose.Profiles.Values
            .Where(p => input.Profile is null || p.Name.Equals(input.Profile, StringComparison.OrdinalIgnoreCase))
            .Select(p => (p.Name, (IReadOnlyList<string>)p.Files.Select(f => Path.GetFullPath(f, input.ProjectDirectory)).ToList()))
            .ToList();
        if (profiles.Count == 0 && input.Compose.Profiles.Count == 0 && ComposeFileNames.Find(input.ProjectDirectory) is { } path)
        {
            profiles.Add(("default", [path]));
        }

        return profiles;
    }

    /// <summary>Runs every check; diagnostics are de-duplicated across profiles.</summary>
    public static IReadOnlyList<Diagnostic> Check(ComposeCheckInput input) => Run(input).Diagnostics;

    /// <summary>Runs every check, and also says which variables the compose files interpolate.</summary>
    public static ComposeCheckResult Run(ComposeCheckInput input)
    {
        var diagnostics = new List<Diagnostic>();
        // A required variable missing fails 'compose up' (an error for ComposeUp); for a build it only
        // echoes what the environment contract already says about .env, so it is a note.
        var missing = input.EnvRequired ? DiagnosticSeverity.Error : DiagnosticSeverity.Info;
        var loaded = new Dictionary<string, ComposeFile>(StringComparer.Ordinal);
        var envFiles = new HashSet<string>(StringComparer.Ordinal);
        var prefixes = new HashSet<string>(StringComparer.Ordinal);
        try
        {
            foreach (var (profile, files) in Profiles(input))
            {
                var set = new List<ComposeFile>();
                foreach (string path in files)
                {
                    if (!loaded.TryGetValue(path, out var file))
                    {
                        if (!File.Exists(path))
                        {
                            diagnostics.Add(DiagnosticCatalog.ComposeFileMissing.Create(input.ConfigFile, SourceSpan.None, profile, Path.GetRelativePath(input.ProjectDirectory, path)));
                            continue;
                        }

                        file = ComposeFile.Load(path, input.Lookup, missing);
                        loaded[path] = file;
                        diagnostics.AddRange(file.Diagnostics);
                        if (file.Document is not null && !file.Document.Truncated)
                        {
                            diagnostics.AddRange(Schema.Value.Validate(file.Document, path, DiagnosticCatalog.ComposeSchemaViolation));
                        }

                        CheckVariables(input, file, diagnostics);
                    }

                    set.Add(file);
                }

                var project = ComposeProject.Merge(profile, set);
                CheckProject(input, project, diagnostics);
                prefixes.UnionWith(EnvironmentPrefix.Services(project).Select(s => s.Prefix));
            }

            foreach (var file in loaded.Values)
            {
                CollectEnvFiles(file, input.ProjectDirectory, envFiles);
            }
        }
        finally
        {
            foreach (var file in loaded.Values)
            {
                file.Dispose();
            }
        }

        var referenced = loaded.Values.SelectMany(f => f.References.Select(r => r.Reference.Name)).ToHashSet(StringComparer.Ordinal);
        var unique = diagnostics
            .GroupBy(d => (d.Code, d.File, d.Span, d.Message))
            .Select(g => g.First())
            .ToList();
        return new ComposeCheckResult(unique, referenced, loaded.Count, envFiles, prefixes);
    }

    /// <summary>The env_file: entries of every service (a path, a list of paths, or a list of {path: ...}), resolved against the project directory as compose does.</summary>
    private static void CollectEnvFiles(ComposeFile file, string projectDirectory, HashSet<string> envFiles)
    {
        if (file.Services.ValueKind != JsonValueKind.Object)
        {
            return;
        }

        void Add(JsonElement entry)
        {
            var path = entry.ValueKind == JsonValueKind.String ? entry
                : entry.ValueKind == JsonValueKind.Object && entry.TryGetProperty("path", out var p) && p.ValueKind == JsonValueKind.String ? p
                : default;
            if (path.ValueKind == JsonValueKind.String && path.GetString() is { Length: > 0 } text)
            {
                envFiles.Add(Path.GetFullPath(text, projectDirectory));
            }
        }

        foreach (var service in file.Services.EnumerateObject())
        {
            if (service.Value.ValueKind != JsonValueKind.Object || !service.Value.TryGetProperty("env_file", out var envFile))
            {
                continue;
            }

            if (envFile.ValueKind == JsonValueKind.Array)
            {
                foreach (var entry in envFile.EnumerateArray())
                {
                    Add(entry);
                }
            }
            else
            {
                Add(envFile);
            }
        }
    }

    private static void CheckVariables(ComposeCheckInput input, ComposeFile file, List<Diagnostic> diagnostics)
    {
        if (!input.Contract.IsDeclared)
        {
            return;
        }

        var known = input.Contract.Variables.Keys.Concat(input.SettingsKeys.Select(input.Contract.VariableOf)).ToHashSet(StringComparer.Ordinal);
        foreach (var (reference, node) in file.References)
        {
            if (known.Contains(reference.Name) || input.Lookup(reference.Name) is not null)
            {
                continue;
            }

            diagnostics.Add(DiagnosticCatalog.ComposeUnknownVariable.Create(file.Path, YamlNodes.SpanOf(node), reference.Name, DidYouMean.Hint(reference.Name, known)));
        }
    }

    private static void CheckProject(ComposeCheckInput input, ComposeProject project, List<Diagnostic> diagnostics)
    {
        foreach (var service in project.Services.Values)
        {
            CheckReferences(input, project, service, diagnostics);
            CheckMounts(input, project, service, diagnostics);
            CheckImage(input, service, diagnostics);
            if (IsNeo4j(service))
            {
                CheckNeo4j(service, diagnostics);
            }

            CheckHealthcheck(input, service, diagnostics);
            CheckEnvironmentPrefix(service, diagnostics);
        }

        HostAccessChecks.Check(input, project, diagnostics);
    }

    /// <summary>SBC5223: an x-sbir-environment-prefix that is not a string a variable name can start with.</summary>
    private static void CheckEnvironmentPrefix(ComposeService service, List<Diagnostic> diagnostics)
    {
        if (service.Properties.TryGetValue(EnvironmentPrefix.Property, out var at)
            && !(at.Value.ValueKind == JsonValueKind.String && EnvironmentPrefix.IsValid(at.Value.GetString())))
        {
            string shown = at.Value.ValueKind == JsonValueKind.String ? $"'{at.Value.GetString()}'" : at.Value.GetRawText();
            diagnostics.Add(DiagnosticCatalog.ComposeEnvironmentPrefixInvalid.Create(at.File.Path, at.File.SpanOf(at.Pointer), service.Name, shown));
        }
    }

    private static void CheckReferences(ComposeCheckInput input, ComposeProject project, ComposeService service, List<Diagnostic> diagnostics)
    {
        foreach (var (dependency, (condition, at)) in service.DependsOn)
        {
            if (!project.Services.TryGetValue(dependency, out var target))
            {
                diagnostics.Add(DiagnosticCatalog.ComposeUnknownDependency.Create(at.File.Path, at.File.SpanOf(at.Pointer, key: true), service.Name, dependency, project.Profile, DidYouMean.Hint(dependency, project.Services.Keys)));
                continue;
            }

            if (condition == "service_healthy" && target.Healthcheck is null && !(IsAppImage(input, target) && input.AppImageHasHealthcheck))
            {
                diagnostics.Add(DiagnosticCatalog.ComposeHealthyWithoutHealthcheck.Create(at.File.Path, at.File.SpanOf(at.Pointer, key: true), service.Name, dependency));
            }
        }

        foreach (var mount in service.Mounts.Values.Where(m => m.Type == "volume" && m.Source is not null))
        {
            if (!project.Declared["volume"].Contains(mount.Source!))
            {
                diagnostics.Add(DiagnosticCatalog.ComposeUndeclaredReference.Create(mount.At.File.Path, mount.At.File.SpanOf(mount.At.Pointer), service.Name, "volume", mount.Source, DidYouMean.Hint(mount.Source!, project.Declared["volume"])));
            }
        }

        foreach (var kind in new[] { "network", "secret", "config" })
        {
            if (!service.Properties.TryGetValue(kind + "s", out var value))
            {
                continue;
            }

            foreach (var (name, pointer) in Names(value))
            {
                if (!project.Declared[kind].Contains(name))
                {
                    diagnostics.Add(DiagnosticCatalog.ComposeUndeclaredReference.Create(value.File.Path, value.File.SpanOf(pointer), service.Name, kind, name, DidYouMean.Hint(name, project.Declared[kind])));
                }
            }
        }
    }

    private static void CheckMounts(ComposeCheckInput input, ComposeProject project, ComposeService service, List<Diagnostic> diagnostics)
    {
        foreach (var mount in service.Mounts.Values.Where(m => m.Type == "bind" && m.Source is not null))
        {
            if (project.Profile.Equals("prod", StringComparison.OrdinalIgnoreCase))
            {
                diagnostics.Add(DiagnosticCatalog.ComposeProdBindMount.Create(mount.At.File.Path, mount.At.File.SpanOf(mount.At.Pointer), service.Name, mount.Source));
            }

            string source = mount.Source!;
            if (source.StartsWith("..", StringComparison.Ordinal)
                && Path.GetRelativePath(input.ProjectDirectory, Path.GetFullPath(source, input.ProjectDirectory)).StartsWith("..", StringComparison.Ordinal))
            {
                diagnostics.Add(DiagnosticCatalog.ComposePathOutsideProject.Create(mount.At.File.Path, mount.At.File.SpanOf(mount.At.Pointer), service.Name, source));
            }
        }

        if (project.Profile.Equals("dev", StringComparison.OrdinalIgnoreCase) && IsAppService(input, service))
        {
            var missing = new[] { "/app/data", "/app/config", "/app/logs", "/app/metrics" }
                .Where(t => !(service.Mounts.TryGetValue(t, out var m) && m.Type == "bind"))
                .ToList();
            if (missing.Count > 0 && service.Properties.TryGetValue("image", out var image))
            {
                diagnostics.Add(DiagnosticCatalog.ComposeDevMountsMissing.Create(image.File.Path, image.File.SpanOf("/services/" + YamlJson.Escape(service.Name), key: true), service.Name, string.Join(", ", missing)));
            }
        }
    }

    private static void CheckImage(ComposeCheckInput input, ComposeService service, List<Diagnostic> diagnostics)
    {
        if (service.Image is not { Length: > 0 } image || IsAppImage(input, service) || !service.Properties.TryGetValue("image", out var at))
        {
            return;
        }

        string reference = image.Contains('@') ? image[..image.IndexOf('@')] : image;
        int slash = reference.LastIndexOf('/');
        int colon = reference.LastIndexOf(':');
        string? why = image.Contains("@sha256:", StringComparison.Ordinal) ? null
            : colon <= slash ? "without a tag"
            : reference[(colon + 1)..] == "latest" ? "with the tag latest"
            : null;
        if (why is not null)
        {
            diagnostics.Add(DiagnosticCatalog.ComposeUnpinnedImage.Create(at.File.Path, at.File.SpanOf(at.Pointer), service.Name, image, why));
        }
    }

    private static void CheckNeo4j(ComposeService service, List<Diagnostic> diagnostics)
    {
        if (!service.Environment.TryGetValue("NEO4J_AUTH", out var auth) || auth.Value is null || service.Environment.ContainsKey("NEO4J_AUTH_FILE"))
        {
            return;
        }

        string value = auth.Value;
        string raw = auth.At.File.RawAt(auth.At.Pointer) ?? value;
        if (raw.Contains('$') && (value.Length == 0 || value.EndsWith('/')))
        {
            // A variable it needs is missing: that is reported once, as such (SBC4003, SBC1101).
            return;
        }

        string? problem = value.Length == 0 ? "is empty after interpolation"
            : value == "none" ? null
            : !value.Contains('/') ? "has no '/': it must be 'neo4j/<password>' or 'none'"
            : !value.StartsWith("neo4j/", StringComparison.Ordinal) ? $"names the user '{value[..value.IndexOf('/')]}': the Neo4j image only sets the password of 'neo4j'"
            : value.Length == "neo4j/".Length ? "has an empty password after interpolation"
            : null;
        if (problem is not null)
        {
            diagnostics.Add(DiagnosticCatalog.ComposeNeo4jAuthGrammar.Create(auth.At.File.Path, auth.At.File.SpanOf(auth.At.Pointer), service.Name, problem));
        }
    }

    private static void CheckHealthcheck(ComposeCheckInput input, ComposeService service, List<Diagnostic> diagnostics)
    {
        if (service.Healthcheck is not { } hc)
        {
            return;
        }

        var file = hc.File;
        string testPointer = hc.Pointer + "/test";
        var raw = RawScalars(file, testPointer).ToList();

        // Secrets expanded by compose on the host end up in the container's health-check configuration.
        foreach (var (text, pointer) in raw)
        {
            foreach (var reference in Interpolation.References(text))
            {
                if (input.Contract.IsSecret(reference.Name))
                {
                    diagnostics.Add(DiagnosticCatalog.ComposeSecretInHealthcheck.Create(file.Path, file.SpanOf(pointer), service.Name, reference.Name));
                }
            }
        }

        string command = TestCommand(hc.Value);
        var programs = Programs(command).ToList();
        bool neo4j = IsNeo4j(service);
        bool app = IsAppService(input, service) || IsAppImage(input, service);
        string[] missing = neo4j ? MissingInNeo4jImage : app ? MissingInAppImage : [];
        foreach (string program in programs.Where(p => missing.Contains(p)))
        {
            string fix = neo4j
                ? "Use wget (present in the Neo4j image) or cypher-shell, for example: wget -q -O /dev/null http://localhost:7474 && cypher-shell -u neo4j -p \"$${NEO4J_AUTH#*/}\" 'RETURN 1'."
                : "Use the image's own health-check script (/app/scripts/docker/healthcheck.sh), which probes with Python, or dagster-daemon liveness-check for the daemon.";
            diagnostics.Add(DiagnosticCatalog.ComposeHealthcheckToolMissing.Create(file.Path, file.SpanOf(testPointer), service.Name, program, neo4j ? "Neo4j" : "application", fix));
        }

        if (neo4j && command.Contains("cypher-shell", StringComparison.Ordinal))
        {
            var problems = new List<string>();
            if (Duration(hc.Value, "start_period") is { } start && start < TimeSpan.FromSeconds(40))
            {
                problems.Add($"start_period {DurationText.Format(start)}");
            }
            else if (Duration(hc.Value, "start_period") is null)
            {
                problems.Add("no start_period");
            }

            if (Duration(hc.Value, "timeout") is { } timeout && timeout < TimeSpan.FromSeconds(20))
            {
                problems.Add($"timeout {DurationText.Format(timeout)}");
            }

            if (problems.Count > 0)
            {
                diagnostics.Add(DiagnosticCatalog.ComposeNeo4jHealthTiming.Create(file.Path, file.SpanOf(hc.Pointer, key: true), service.Name, string.Join(" and ", problems)));
            }
        }

        bool usesScript = command.Contains("healthcheck.sh", StringComparison.Ordinal);
        if (IsDagster(service, "dagster-webserver") && !usesScript && !command.Contains("/server_info", StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.ComposeDagsterHealthcheck.Create(file.Path, file.SpanOf(testPointer), "webserver", service.Name, "does not request /server_info, the endpoint that answers once the webserver has loaded its code locations", "Use test: [\"CMD\", \"/app/scripts/docker/healthcheck.sh\"] (GET /server_info every 10 s, 3 retries)."));
        }

        if (IsDagster(service, "dagster-daemon") && !usesScript && !command.Contains("liveness-check", StringComparison.Ordinal))
        {
            diagnostics.Add(DiagnosticCatalog.ComposeDagsterHealthcheck.Create(file.Path, file.SpanOf(testPointer), "daemon", service.Name, "does not run 'dagster-daemon liveness-check', the daemon's own heartbeat check", "Use test: [\"CMD\", \"dagster-daemon\", \"liveness-check\"] or the image's healthcheck.sh."));
        }
    }

    private static IEnumerable<(string Text, string Pointer)> RawScalars(ComposeFile file, string pointer)
    {
        if (file.RawAt(pointer) is { } single)
        {
            yield return (single, pointer);
            yield break;
        }

        for (int i = 0; i < 64; i++)
        {
            string item = pointer + "/" + i;
            if (file.RawAt(item) is not { } text)
            {
                yield break;
            }

            yield return (text, item);
        }
    }

    /// <summary>The command a health check runs, as one line of shell.</summary>
    private static string TestCommand(JsonElement healthcheck)
    {
        if (!healthcheck.TryGetProperty("test", out var test))
        {
            return string.Empty;
        }

        if (test.ValueKind == JsonValueKind.String)
        {
            return test.GetString()!;
        }

        if (test.ValueKind != JsonValueKind.Array)
        {
            return string.Empty;
        }

        var words = test.EnumerateArray().Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();
        return words.Count > 0 && words[0] is "CMD" or "CMD-SHELL" ? string.Join(' ', words.Skip(1)) : string.Join(' ', words);
    }

    /// <summary>The programs a shell command line starts: the first word of each simple command.</summary>
    private static IEnumerable<string> Programs(string command)
    {
        foreach (string part in CommandSeparator().Split(command))
        {
            string word = part.Trim().Split(' ', StringSplitOptions.RemoveEmptyEntries).FirstOrDefault(w => !w.Contains('=')) ?? string.Empty;
            word = word.Trim('(', ')', '"', '\'');
            if (word.Length > 0)
            {
                yield return Path.GetFileName(word);
            }
        }
    }

    private static TimeSpan? Duration(JsonElement healthcheck, string name)
        => healthcheck.TryGetProperty(name, out var v) && DurationText.TryParse(v.ValueKind == JsonValueKind.String ? v.GetString() : v.GetRawText(), out var d) ? d : null;

    private static IEnumerable<(string Name, string Pointer)> Names(ComposeValue value)
    {
        if (value.Value.ValueKind == JsonValueKind.Array)
        {
            int i = 0;
            foreach (var item in value.Value.EnumerateArray())
            {
                string pointer = value.Pointer + "/" + i++;
                if (item.ValueKind == JsonValueKind.String)
                {
                    yield return (item.GetString()!, pointer);
                }
                else if (item.ValueKind == JsonValueKind.Object && item.TryGetProperty("source", out var source) && source.ValueKind == JsonValueKind.String)
                {
                    yield return (source.GetString()!, pointer);
                }
            }
        }
        else if (value.Value.ValueKind == JsonValueKind.Object)
        {
            foreach (var p in value.Value.EnumerateObject())
            {
                yield return (p.Name, value.Pointer + "/" + YamlJson.Escape(p.Name));
            }
        }
    }

    private static bool IsNeo4j(ComposeService service) => service.IsNeo4j;

    private static bool IsDagster(ComposeService service, string program) => service.Runs(program);

    private static bool IsAppImage(ComposeCheckInput input, ComposeService service)
        => input.AppImage is { Length: > 0 } app && service.Image is { } image && ImageName(image).EndsWith(app, StringComparison.Ordinal);

    /// <summary>A service of the application: its image, running a Dagster service or the ETL runner.</summary>
    private static bool IsAppService(ComposeCheckInput input, ComposeService service)
        => IsAppImage(input, service) && service.ServiceProfiles.Count == 0
           || IsAppImage(input, service) && service.Command.FirstOrDefault() is "etl-runner" or "dagster-webserver" or "dagster-daemon";

    private static string ImageName(string image) => ImageReference.RepositoryOf(image);

    [GeneratedRegex(@"&&|\|\||;|\|")]
    private static partial Regex CommandSeparator();
}
