using System.Text.Json;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Compose;

/// <summary>
/// What compose would refuse, or must never do, in any profile:
/// <list type="bullet">
/// <item>SBC4018: a cycle of depends_on, which compose refuses ("circular dependency").</item>
/// <item>SBC4019: env_file: or a top-level secret or config file: outside the project directory (/etc/shadow,
///   ~/.ssh/id_rsa): its content is handed to the containers.</item>
/// <item>SBC4020: a build context of the filesystem root or of the home folder (or one above it): the whole disk
///   or home, SSH keys and cloud credentials included, is sent to the engine.</item>
/// <item>SBC4021: a bind mount of /, /etc, /root, /boot, /proc, /sys, /dev or the docker socket: root on the host for
///   whoever is inside the container.</item>
/// </list>
/// </summary>
internal static class HostAccessChecks
{
    /// <summary>Host paths a container must never see (the docker socket is matched by name anywhere).</summary>
    private static readonly string[] ForbiddenMounts = ["/", "/etc", "/root", "/boot", "/proc", "/sys", "/dev", "/var/run", "/run"];

    public static void Check(ComposeCheckInput input, ComposeProject project, List<Diagnostic> diagnostics)
    {
        string? home = input.Lookup("HOME");
        foreach (var service in project.Services.Values)
        {
            CheckEnvFiles(input, service, home, diagnostics);
            CheckBuildContext(input, service, home, diagnostics);
            CheckMounts(service, home, diagnostics);
        }

        CheckDeclaredFiles(input, project, home, diagnostics);
        CheckCycles(project, diagnostics);
    }

    private static void CheckEnvFiles(ComposeCheckInput input, ComposeService service, string? home, List<Diagnostic> diagnostics)
    {
        if (!service.Properties.TryGetValue("env_file", out var envFile))
        {
            return;
        }

        var entries = envFile.Value.ValueKind == JsonValueKind.Array
            ? envFile.Value.EnumerateArray().Select((e, i) => (Element: e, Pointer: envFile.Pointer + "/" + i)).ToList()
            : [(envFile.Value, envFile.Pointer)];
        foreach (var (element, pointer) in entries)
        {
            var path = element.ValueKind == JsonValueKind.Object && element.TryGetProperty("path", out var p) ? p : element;
            if (path.ValueKind == JsonValueKind.String && path.GetString() is { Length: > 0 } text && Outside(input.ProjectDirectory, text, home) is { } resolved)
            {
                diagnostics.Add(DiagnosticCatalog.ComposeHostFileOutsideProject.Create(envFile.File.Path, envFile.File.SpanOf(pointer), $"Service '{service.Name}' (env_file:)", text, resolved));
            }
        }
    }

    private static void CheckDeclaredFiles(ComposeCheckInput input, ComposeProject project, string? home, List<Diagnostic> diagnostics)
    {
        foreach (var file in project.Files.Where(f => f.Document is not null && f.Document.Root.ValueKind == JsonValueKind.Object))
        {
            foreach (string kind in new[] { "secret", "config" })
            {
                if (!file.Document!.Root.TryGetProperty(kind + "s", out var declared) || declared.ValueKind != JsonValueKind.Object)
                {
                    continue;
                }

                foreach (var entry in declared.EnumerateObject())
                {
                    if (entry.Value.ValueKind == JsonValueKind.Object && entry.Value.TryGetProperty("file", out var path)
                        && path.ValueKind == JsonValueKind.String && path.GetString() is { Length: > 0 } text
                        && Outside(input.ProjectDirectory, text, home) is { } resolved)
                    {
                        string pointer = $"/{kind}s/{YamlJson.Escape(entry.Name)}/file";
                        diagnostics.Add(DiagnosticCatalog.ComposeHostFileOutsideProject.Create(file.Path, file.SpanOf(pointer), $"The {kind} '{entry.Name}'", text, resolved));
                    }
                }
            }
        }
    }

    private static void CheckBuildContext(ComposeCheckInput input, ComposeService service, string? home, List<Diagnostic> diagnostics)
    {
        if (!service.Properties.TryGetValue("build", out var build))
        {
            return;
        }

        var context = build.Value.ValueKind == JsonValueKind.String ? build.Value
            : build.Value.ValueKind == JsonValueKind.Object && build.Value.TryGetProperty("context", out var c) ? c : default;
        string pointer = build.Value.ValueKind == JsonValueKind.String ? build.Pointer : build.Pointer + "/context";
        if (context.ValueKind != JsonValueKind.String || context.GetString() is not { Length: > 0 } text || text.Contains("://", StringComparison.Ordinal))
        {
            return;
        }

        string resolved = Resolve(input.ProjectDirectory, text, home);
        string what = IsRoot(resolved) ? "the root of the file system"
            : home is { Length: > 1 } && IsAncestorOrSelf(resolved, home) ? "your home folder (or a folder above it)"
            : string.Empty;
        if (what.Length > 0)
        {
            diagnostics.Add(DiagnosticCatalog.ComposeBuildContextTooWide.Create(build.File.Path, build.File.SpanOf(pointer), service.Name, text, what));
        }
    }

    private static void CheckMounts(ComposeService service, string? home, List<Diagnostic> diagnostics)
    {
        foreach (var mount in service.Mounts.Values.Where(m => m.Type == "bind" && m.Source is not null))
        {
            string source = mount.Source!.Replace('\\', '/');
            string expanded = source.StartsWith('~') && home is not null ? home + source[1..] : source;
            string cleaned = Context.DockerIgnore.CleanPath(expanded);
            string? why = cleaned.EndsWith("docker.sock", StringComparison.Ordinal) ? "the docker socket, which gives root on the host"
                : cleaned.StartsWith('/') && ForbiddenMounts.Contains(cleaned.TrimEnd('/').Length == 0 ? "/" : cleaned.TrimEnd('/')) ? $"{(cleaned == "/" ? "the host's root file system" : "the host's " + cleaned)}, which holds its users, keys and configuration"
                : home is { Length: > 1 } && cleaned.TrimEnd('/') == home.TrimEnd('/') ? "your whole home folder (SSH keys, cloud credentials)"
                : null;
            if (why is not null)
            {
                diagnostics.Add(DiagnosticCatalog.ComposeDangerousBindMount.Create(mount.At.File.Path, mount.At.File.SpanOf(mount.At.Pointer), service.Name, source, why));
            }
        }
    }

    /// <summary>SBC4018 once per cycle, at the depends_on entry that closes it.</summary>
    private static void CheckCycles(ComposeProject project, List<Diagnostic> diagnostics)
    {
        var state = new Dictionary<string, int>(StringComparer.Ordinal);
        var path = new List<string>();
        foreach (string name in project.Services.Keys.Order(StringComparer.Ordinal))
        {
            Visit(name);
        }

        void Visit(string name)
        {
            if (state.TryGetValue(name, out int s) && s == 2)
            {
                return;
            }

            state[name] = 1;
            path.Add(name);
            var service = project.Services[name];
            foreach (var (dependency, (_, at)) in service.DependsOn.OrderBy(d => d.Key, StringComparer.Ordinal))
            {
                if (!project.Services.ContainsKey(dependency))
                {
                    continue;
                }

                if (state.TryGetValue(dependency, out int d) && d == 1)
                {
                    var cycle = path.Skip(path.IndexOf(dependency)).Append(dependency);
                    diagnostics.Add(DiagnosticCatalog.ComposeDependencyCycle.Create(at.File.Path, at.File.SpanOf(at.Pointer, key: true), string.Join(" -> ", cycle), project.Profile));
                    continue;
                }

                // Bounded by the number of services: each is entered once.
                Visit(dependency);
            }

            path.RemoveAt(path.Count - 1);
            state[name] = 2;
        }
    }

    /// <summary>The absolute path of <paramref name="text"/> when it lies outside the project directory, else null.</summary>
    private static string? Outside(string projectDirectory, string text, string? home)
    {
        string resolved = Resolve(projectDirectory, text, home);
        string relative = Path.GetRelativePath(Path.GetFullPath(projectDirectory), resolved).Replace('\\', '/');
        return relative == ".." || relative.StartsWith("../", StringComparison.Ordinal) || Path.IsPathRooted(relative) ? resolved : null;
    }

    /// <summary>Resolves as compose does: '~' is the home folder, a relative path is relative to the project directory.</summary>
    private static string Resolve(string projectDirectory, string text, string? home)
    {
        string path = text.StartsWith('~') && home is not null ? home + text[1..] : text;
        return Path.GetFullPath(path, projectDirectory);
    }

    private static bool IsRoot(string path) => Path.GetPathRoot(path) is { } root && Path.TrimEndingDirectorySeparator(path) == Path.TrimEndingDirectorySeparator(root);

    private static bool IsAncestorOrSelf(string candidate, string path)
    {
        string relative = Path.GetRelativePath(Path.GetFullPath(candidate), Path.GetFullPath(path)).Replace('\\', '/');
        return relative == "." || (!relative.StartsWith("..", StringComparison.Ordinal) && !Path.IsPathRooted(relative));
    }
}
