using Sbir.Container.Diagnostics;

namespace Sbir.Container.Secrets;

/// <summary>
/// Finds hardcoded secrets in the files of a container project (SBC2xxx). Where gitleaks, detect-secrets and
/// trufflehog miss this project's patterns (docs: validation-anchors 3.4), it reads them the way the tools that
/// consume the files do:
/// <list type="number">
/// <item>Key-aware (SBC2001): a secret-named key (NEO4J_AUTH, *_PASSWORD, *_TOKEN, password:, ...) or a variable the
///   environment contract marks secret, assigned any literal, with no entropy floor and no stop words: compose
///   environment lists and maps, YAML keys, Dockerfile ENV/ARG/LABEL, shell assignments, workflow env, .env files.</item>
/// <item>Literal defaults (SBC2002) in ${VAR:-default} / ${VAR-default} of a secret-named VAR, nested ones included.</item>
/// <item>Credentials in URLs of any scheme (SBC2003): bolt, neo4j+s, postgres, redis, mongodb+srv, amqp, https...</item>
/// <item>Passwords on command lines (SBC2004): cypher-shell -p, --password, curl -u user:pass, mysql -p...</item>
/// <item>Provider formats anywhere (SBC2005): see <see cref="ProviderTokens"/>.</item>
/// <item>Example files (SBC2006): placeholders are fine, a real-looking value of a secret-named key is not.</item>
/// <item>Host-side ${VAR} passwords in compose commands (SBC2007, warning): write $${VAR}.</item>
/// <item>A known secret value (.env, the environment) written in the file (SBC2009), with <see cref="SecretScanOptions.KnownSecrets"/>.</item>
/// </list>
/// The key-aware and command rules read the documents the core's parsers make (YAML and JSON through
/// <see cref="Configuration.YamlLoader"/>, Dockerfiles through <see cref="Dockerfile.DockerfileParser"/>, shell through
/// the core's shell parser, .env through <see cref="Dotenv.DotenvParser"/>), so values are judged as the tools read them
/// and aliases are followed, never expanded; a YAML file with a syntax error is read line by line instead. The rules
/// that need no structure (credentials in URLs, literal defaults, provider tokens, known values) read every line of
/// every file. Each value is reported once, at its own line and column. A finding on a line with
/// <c>gitleaks:allow</c>, <c>pragma: allowlist secret</c> or <c>trufflehog:ignore</c>, or after a line with
/// <c>pragma: allowlist nextline secret</c>, becomes an Info SBC2099. It never throws.
/// </summary>
public static class SecretScanner
{
    private static readonly HashSet<string> SkippedDirectories = new(StringComparer.OrdinalIgnoreCase)
    {
        ".git", "obj", "bin", "node_modules", ".venv", "__pycache__",
    };

    /// <summary>
    /// The files to scan under <paramref name="projectDirectory"/>, full paths in ordinal order: the MSBuild project files
    /// at the top (*.proj, *.csproj, Directory.Build.props|targets), docker-compose*.yml|yaml
    /// and compose*.yml|yaml at the top, docker/*.yml|yaml, Dockerfile, Dockerfile.*, *.Dockerfile (anywhere),
    /// config/**/*.yml|yaml, scripts/**/*.sh and .github/workflows/*.yml|yaml. .git, obj, bin, node_modules, .venv and
    /// __pycache__ are skipped, and so are symbolic links to folders. A missing folder gives an empty list.
    /// </summary>
    public static IReadOnlyList<string> DiscoverFiles(string projectDirectory)
    {
        if (string.IsNullOrWhiteSpace(projectDirectory))
        {
            return [];
        }

        string root;
        try
        {
            root = Path.GetFullPath(projectDirectory);
        }
        catch (Exception ex) when (ex is ArgumentException or NotSupportedException or PathTooLongException or System.Security.SecurityException)
        {
            return [];
        }

        if (!Directory.Exists(root))
        {
            return [];
        }

        var found = new List<string>();
        Walk(root, string.Empty, found, 0);
        found.Sort(StringComparer.Ordinal);
        return found;
    }

    /// <summary>Scans one file whose content is <paramref name="text"/>; the kind of file comes from its name. Never throws.</summary>
    public static SecretScanResult ScanFile(string path, string text, SecretScanOptions options) => ScanText(text, path, options);

    /// <summary>
    /// Scans <paramref name="text"/>; <paramref name="path"/> names the file in diagnostics and decides how it is read
    /// (null: every reader is applied). Never throws.
    /// </summary>
    public static SecretScanResult ScanText(string text, string? path, SecretScanOptions options)
    {
        text ??= string.Empty;
        options ??= SecretScanOptions.Default;
        if (text.Length == 0)
        {
            return SecretScanResult.Empty;
        }

        ScanContext? ctx = null;
        try
        {
            var kind = SecretFileKinds.FromPath(path, text, out bool exampleByName);
            bool compose = kind == SecretFileKind.Yaml && SecretFileKinds.IsCompose(path, text);
            ctx = new ScanContext(text, path, kind, compose, options.IsExampleFile || exampleByName, options.SecretVariables ?? new HashSet<string>(), options.CopiedInto);
            var scanContext = ctx;
            switch (kind)
            {
                case SecretFileKind.Yaml or SecretFileKind.Workflow:
                    Run(ctx, () => YamlSecretScanner.Scan(scanContext));
                    break;
                case SecretFileKind.Dockerfile:
                    Run(ctx, () => DockerfileSecretScanner.Scan(scanContext));
                    break;
                case SecretFileKind.Shell:
                    Run(ctx, () => ShellSecretScanner.Scan(scanContext));
                    break;
                case SecretFileKind.Dotenv:
                    Run(ctx, () => DotenvSecretScanner.Scan(scanContext));
                    break;
                case SecretFileKind.Text:
                    break;
                default:
                    Run(ctx, () => YamlSecretScanner.Scan(scanContext));
                    Run(ctx, () => ShellSecretScanner.Scan(scanContext));
                    Run(ctx, () => DotenvSecretScanner.Scan(scanContext));
                    break;
            }

            Run(ctx, () => LineRules.Scan(scanContext));
            Run(ctx, () =>
            {
                foreach (var match in ProviderTokens.Find(text))
                {
                    scanContext.ProviderToken(match);
                }
            });
            if (options.KnownSecrets is { IsEmpty: false } known)
            {
                Run(ctx, () => KnownValues(scanContext, known));
            }

            return ctx.Finish();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            return new SecretScanResult([DiagnosticCatalog.SecretScanIncomplete.Create(path, SourceSpan.None, ex.GetType().Name)], []);
        }
    }

    /// <summary>Every place a known secret value (as is, or percent-encoded inside a URL) is written in the file.</summary>
    private static void KnownValues(ScanContext ctx, SecretValueSet known)
    {
        foreach (var secret in known.Secrets.Where(s => s.Value.Length >= SecretValueSet.MinimumMatchLength))
        {
            foreach (string form in new[] { secret.Value, Uri.EscapeDataString(secret.Value) }.Distinct(StringComparer.Ordinal))
            {
                for (int at = ctx.Text.IndexOf(form, StringComparison.Ordinal); at >= 0; at = ctx.Text.IndexOf(form, at + form.Length, StringComparison.Ordinal))
                {
                    ctx.KnownValue(secret, at, at + form.Length);
                }
            }
        }
    }

    private static void Run(ScanContext ctx, Action scan)
    {
        try
        {
            scan();
        }
        catch (Exception ex) when (ex is not OutOfMemoryException)
        {
            ctx.Failed(ex);
        }
    }

    private static void Walk(string directory, string relative, List<string> found, int depth)
    {
        if (depth > 32)
        {
            return;
        }

        IEnumerable<string> entries;
        try
        {
            entries = Directory.EnumerateFileSystemEntries(directory).ToList();
        }
        catch (Exception ex) when (ex is IOException or UnauthorizedAccessException or System.Security.SecurityException)
        {
            return;
        }

        foreach (string entry in entries)
        {
            string name = Path.GetFileName(entry);
            string entryRelative = relative.Length == 0 ? name : relative + "/" + name;
            FileAttributes attributes;
            try
            {
                attributes = File.GetAttributes(entry);
            }
            catch (Exception ex) when (ex is IOException or UnauthorizedAccessException)
            {
                continue;
            }

            if ((attributes & FileAttributes.Directory) != 0)
            {
                if ((attributes & FileAttributes.ReparsePoint) == 0 && !SkippedDirectories.Contains(name))
                {
                    Walk(entry, entryRelative, found, depth + 1);
                }

                continue;
            }

            if (IsScanned(relative, name))
            {
                found.Add(entry);
            }
        }
    }

    /// <summary>True when the file <paramref name="name"/> in the folder <paramref name="relative"/> ('/'-separated) is scanned.</summary>
    internal static bool IsScanned(string relative, string name)
    {
        string lower = name.ToLowerInvariant();
        bool yaml = lower.EndsWith(".yml", StringComparison.Ordinal) || lower.EndsWith(".yaml", StringComparison.Ordinal);
        if (lower == "dockerfile" || lower.StartsWith("dockerfile.", StringComparison.Ordinal) || lower.EndsWith(".dockerfile", StringComparison.Ordinal))
        {
            return true;
        }

        string folder = relative.ToLowerInvariant();
        // The project file and Directory.Build.* hold SbirContainerBuildArg items and properties: a secret there is logged by MSBuild itself.
        bool msbuild = Path.GetExtension(lower) is ".proj" or ".csproj" or ".fsproj" or ".vbproj" || lower is "directory.build.props" or "directory.build.targets";
        return (folder.Length == 0 && msbuild)
            || (folder.Length == 0 && yaml && (lower.StartsWith("docker-compose", StringComparison.Ordinal) || lower.StartsWith("compose", StringComparison.Ordinal)))
            || (folder == "docker" && yaml)
            || ((folder == "config" || folder.StartsWith("config/", StringComparison.Ordinal)) && yaml)
            || ((folder == "scripts" || folder.StartsWith("scripts/", StringComparison.Ordinal)) && lower.EndsWith(".sh", StringComparison.Ordinal))
            || (folder == ".github/workflows" && yaml);
    }
}
