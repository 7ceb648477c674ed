using System.Text.Json;
using System.Text.RegularExpressions;
using Sbir.Container.Diagnostics;

namespace Sbir.Container.Engine;

/// <summary>Which builder the user asked for (SbirContainerBuilder).</summary>
public enum BuilderPreference
{
    /// <summary>BuildKit when the CLI can use it, else the legacy builder.</summary>
    Auto,

    /// <summary>BuildKit or fail.</summary>
    BuildKit,

    /// <summary>The legacy builder even when BuildKit is available.</summary>
    Legacy,
}

/// <summary>The probe's answer: an engine, or a coded diagnostic saying what is wrong and how to fix it.</summary>
public sealed record EngineProbeResult(EngineInfo? Engine, Diagnostic? Error)
{
    /// <summary>True when an engine was found and answers.</summary>
    public bool Succeeded => Engine is not null;
}

/// <summary>
/// Finds out what the docker-compatible CLI can do: is it there, does its daemon answer (honouring
/// DOCKER_HOST and contexts, since the CLI does), is it Podman behind the docker name, and which
/// builder it offers (buildx plugin, BuildKit built in, legacy only). Each failure is a coded
/// diagnostic, never an exception.
/// </summary>
public sealed partial class EngineProbe
{
    private static readonly TimeSpan ProbeTimeout = TimeSpan.FromSeconds(30);

    private readonly IProcessRunner _runner;
    private readonly EnvironmentSnapshot _environment;

    /// <summary>Creates a probe that runs processes with <paramref name="runner"/> in <paramref name="environment"/>.</summary>
    public EngineProbe(IProcessRunner runner, EnvironmentSnapshot environment)
    {
        _runner = runner;
        _environment = environment;
    }

    /// <summary>Probes the CLI named by <paramref name="cliSetting"/> (a name on PATH or a path; empty means "docker").</summary>
    public async Task<EngineProbeResult> ProbeAsync(string? cliSetting, string? baseDirectory, BuilderPreference preference, CancellationToken cancellationToken = default)
    {
        string requested = string.IsNullOrWhiteSpace(cliSetting) ? "docker" : cliSetting.Trim();
        string? cli = ExecutableLocator.Find(requested, _environment.Path, baseDirectory);
        if (cli is null)
        {
            return Fail(DiagnosticCatalog.EngineCliNotFound.Create(requested, NotFoundDetail(requested)));
        }

        var version = await RunAsync(cli, ["version", "--format", "{{json .}}"], cancellationToken).ConfigureAwait(false);
        if (version.Outcome == ProcessOutcome.FailedToStart)
        {
            return Fail(DiagnosticCatalog.EngineCliNotFound.Create(cli, $": it could not be started ({version.StartError})"));
        }

        if (version.Outcome == ProcessOutcome.Cancelled)
        {
            return Fail(DiagnosticCatalog.Cancelled.Create("The engine probe", Path.GetFileName(cli)));
        }

        if (version.Outcome == ProcessOutcome.TimedOut)
        {
            return Fail(DiagnosticCatalog.EngineUnreachable.Create(DescribeEndpoint(null), $"{Path.GetFileName(cli)} version", $"no answer within {ProbeTimeout.TotalSeconds:0} s"));
        }

        VersionDocument? doc = VersionDocument.Parse(version.Stdout);
        if (doc is null)
        {
            return Fail(DiagnosticCatalog.EngineProbeFailed.Create(cli, version.ExitCode, OneLine(version.Tail(5))));
        }

        bool isPodman = doc.LooksLikePodman || Path.GetFileNameWithoutExtension(cli).Equals("podman", StringComparison.OrdinalIgnoreCase);
        if (!isPodman && doc.ServerVersion is null)
        {
            return Fail(ClassifyUnreachable(cli, version));
        }

        bool hasBuildx = false;
        if (!isPodman)
        {
            var buildx = await RunAsync(cli, ["buildx", "version"], cancellationToken).ConfigureAwait(false);
            hasBuildx = buildx.Succeeded;
        }

        var builder = ChooseBuilder(doc.ClientVersion, isPodman, hasBuildx, preference, _environment.Get("DOCKER_BUILDKIT"));
        return new EngineProbeResult(
            new EngineInfo(cli, doc.ClientVersion ?? "unknown", doc.ServerVersion ?? doc.ClientVersion ?? "unknown", DescribeEndpoint(doc.Context), doc.Context, isPodman, hasBuildx, builder),
            null);
    }

    /// <summary>
    /// The builder for a CLI: Podman builds with Buildah; a buildx plugin means BuildKit; docker 18.09
    /// to 22.x have BuildKit built in; newer clients without buildx only have the legacy builder.
    /// DOCKER_BUILDKIT=0 in the environment is the user's explicit choice of the legacy builder.
    /// </summary>
    internal static BuilderKind ChooseBuilder(string? clientVersion, bool isPodman, bool hasBuildx, BuilderPreference preference, string? dockerBuildKitVariable)
    {
        if (isPodman)
        {
            return BuilderKind.Podman;
        }

        if (preference == BuilderPreference.Legacy || (preference == BuilderPreference.Auto && dockerBuildKitVariable == "0"))
        {
            return BuilderKind.Legacy;
        }

        if (hasBuildx)
        {
            return BuilderKind.Buildx;
        }

        Version? v = VersionText.Parse(clientVersion);
        if (v is not null && v >= new Version(18, 9) && v.Major < 23)
        {
            return BuilderKind.BuildKitBuiltIn;
        }

        return BuilderKind.Legacy;
    }

    /// <summary>
    /// Looks for another CLI on this machine that can run BuildKit, to name it in the fix of SBC5004
    /// ("set SbirDockerCli to ..., for example /usr/bin/docker"). Returns null when there is none.
    /// </summary>
    public async Task<string?> FindBuildKitCapableAlternativeAsync(string currentCli, CancellationToken cancellationToken = default)
    {
        var candidates = ExecutableLocator.FindAll("docker", _environment.Path)
            .Concat(["/usr/bin/docker", "/usr/local/bin/docker", "/opt/homebrew/bin/docker"])
            .Where(File.Exists)
            .Select(Path.GetFullPath)
            .Distinct(StringComparer.Ordinal)
            .Where(p => !string.Equals(p, Path.GetFullPath(currentCli), StringComparison.Ordinal));

        foreach (string candidate in candidates)
        {
            var version = await RunAsync(candidate, ["version", "--format", "{{.Client.Version}}"], cancellationToken).ConfigureAwait(false);
            string text = version.StandardOutput.FirstOrDefault(l => l.Trim().Length > 0)?.Trim() ?? string.Empty;
            if (version.Outcome != ProcessOutcome.Exited || text.Length == 0)
            {
                continue;
            }

            var buildx = await RunAsync(candidate, ["buildx", "version"], cancellationToken).ConfigureAwait(false);
            var kind = ChooseBuilder(text, false, buildx.Succeeded, BuilderPreference.BuildKit, null);
            if (kind != BuilderKind.Legacy)
            {
                string how = kind == BuilderKind.Buildx ? "buildx plugin" : "built-in BuildKit";
                return $"{candidate} (docker {text}, {how})";
            }
        }

        return null;
    }

    private Diagnostic ClassifyUnreachable(string cli, ProcessResult version)
    {
        string stderr = OneLine(version.Tail(5));
        string endpoint = DescribeEndpoint(null);
        Match at = DaemonAtPattern().Match(version.Stderr);
        if (at.Success)
        {
            endpoint = at.Groups["endpoint"].Value.TrimEnd('.');
            if (_environment.GetNonEmpty("DOCKER_HOST") is not null)
            {
                endpoint += " (from DOCKER_HOST)";
            }
        }

        if (stderr.Contains("permission denied", StringComparison.OrdinalIgnoreCase))
        {
            return DiagnosticCatalog.EnginePermissionDenied.Create(endpoint, stderr);
        }

        return DiagnosticCatalog.EngineUnreachable.Create(endpoint, $"{Path.GetFileName(cli)} version exited with {version.ExitCode}", stderr.Length == 0 ? "no server in the answer" : stderr);
    }

    private string DescribeEndpoint(string? context)
    {
        if (_environment.GetNonEmpty("DOCKER_HOST") is { } host)
        {
            return $"{host} (from DOCKER_HOST)";
        }

        string? name = _environment.GetNonEmpty("DOCKER_CONTEXT") ?? context;
        return name is null or "default" ? "the default endpoint" : $"docker context '{name}'";
    }

    private string NotFoundDetail(string requested)
    {
        bool isPath = requested.Contains('/') || requested.Contains('\\');
        string where = isPath ? " at that path" : " on PATH";
        if (!isPath && requested == "docker" && ExecutableLocator.Find("podman", _environment.Path) is { } podman)
        {
            where += $" (podman is, at {podman}: set SbirDockerCli=podman to use it)";
        }

        return where;
    }

    private Task<ProcessResult> RunAsync(string cli, string[] args, CancellationToken cancellationToken)
        => _runner.RunAsync(new ProcessSpec { FileName = cli, Arguments = args, Timeout = ProbeTimeout, CaptureLines = 2000 }, null, cancellationToken);

    private static EngineProbeResult Fail(Diagnostic diagnostic) => new(null, diagnostic);

    private static string OneLine(string text) => Regex.Replace(text, @"\s*\n\s*", " | ").Trim();

    [GeneratedRegex(@"daemon at (?<endpoint>\S+)", RegexOptions.IgnoreCase)]
    private static partial Regex DaemonAtPattern();

    /// <summary>The parts of <c>docker version --format '{{json .}}'</c> (or Podman's answer) that the probe reads.</summary>
    internal sealed record VersionDocument(string? ClientVersion, string? ServerVersion, string? Context, bool LooksLikePodman)
    {
        public static VersionDocument? Parse(string stdout)
        {
            string? json = stdout.Split('\n').Select(l => l.Trim()).FirstOrDefault(l => l.StartsWith('{'));
            if (json is null)
            {
                return null;
            }

            try
            {
                using var document = JsonDocument.Parse(json);
                var root = document.RootElement;
                if (!root.TryGetProperty("Client", out var client) || client.ValueKind != JsonValueKind.Object)
                {
                    return null;
                }

                string? clientVersion = GetString(client, "Version");
                string? context = GetString(client, "Context");
                string? serverVersion = null;
                if (root.TryGetProperty("Server", out var server) && server.ValueKind == JsonValueKind.Object)
                {
                    serverVersion = GetString(server, "Version");
                    if (serverVersion is null && server.TryGetProperty("Components", out var components) && components.ValueKind == JsonValueKind.Array)
                    {
                        serverVersion = components.EnumerateArray()
                            .Where(c => GetString(c, "Name") == "Engine")
                            .Select(c => GetString(c, "Version"))
                            .FirstOrDefault();
                    }

                    serverVersion ??= "unknown";
                }

                // Podman's client block names its API "APIVersion" and has "OsArch"; docker's has "ApiVersion".
                bool podman = (client.TryGetProperty("OsArch", out _) || client.TryGetProperty("APIVersion", out _))
                    && !client.TryGetProperty("ApiVersion", out _);
                return new VersionDocument(clientVersion, serverVersion, context, podman);
            }
            catch (JsonException)
            {
                return null;
            }
        }

        private static string? GetString(JsonElement element, string name)
            => element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() : null;
    }
}
