using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;

namespace Sbir.Container.Compose;

/// <summary>How compose is invoked: the v2 plugin ("docker compose") or docker-compose v1.</summary>
/// <param name="Executable">The program to run.</param>
/// <param name="Prefix">Arguments before compose's own (["compose"] for the plugin).</param>
/// <param name="Version">compose's version.</param>
public sealed record ComposeCli(string Executable, IReadOnlyList<string> Prefix, string Version)
{
    /// <summary>True for compose v2 (the plugin, or docker-compose 2.x).</summary>
    public bool IsV2 => Prefix.Count > 0 || !Version.StartsWith("1.", StringComparison.Ordinal);

    /// <summary>"docker compose 2.29.1" or "docker-compose 1.29.2".</summary>
    public string Describe() => $"{Path.GetFileName(Executable)}{(Prefix.Count > 0 ? " " + string.Join(' ', Prefix) : string.Empty)} {Version}";

    /// <summary>
    /// Finds compose: <paramref name="setting"/> when given (a docker CLI means its plugin, anything else
    /// a docker-compose binary); otherwise the plugin of <paramref name="dockerCli"/>, then docker-compose
    /// on PATH. Real users mostly have v2; these machines only have v1.29: both are supported.
    /// </summary>
    public static async Task<(ComposeCli? Cli, Diagnostic? Error)> FindAsync(string dockerCli, string? setting, IProcessRunner runner, EnvironmentSnapshot environment, CancellationToken cancellationToken = default)
    {
        async Task<string?> Version(string executable, params string[] prefix)
        {
            var result = await runner.RunAsync(new ProcessSpec { FileName = executable, Arguments = [.. prefix, "version", "--short"], Timeout = TimeSpan.FromSeconds(30), CaptureLines = 20 }, null, cancellationToken).ConfigureAwait(false);
            string text = result.StandardOutput.FirstOrDefault(l => l.Trim().Length > 0)?.Trim().TrimStart('v') ?? string.Empty;
            return result.Succeeded && text.Length > 0 && char.IsDigit(text[0]) ? text : null;
        }

        if (!string.IsNullOrWhiteSpace(setting))
        {
            string? path = ExecutableLocator.Find(setting.Trim(), environment.Path);
            if (path is null)
            {
                return (null, DiagnosticCatalog.ComposeCliNotFound.Create(setting));
            }

            bool isDocker = Path.GetFileNameWithoutExtension(path) is "docker" or "podman";
            string? version = isDocker ? await Version(path, "compose").ConfigureAwait(false) : await Version(path).ConfigureAwait(false);
            return version is null
                ? (null, DiagnosticCatalog.ComposeCliNotFound.Create(path))
                : (new ComposeCli(path, isDocker ? ["compose"] : [], version), null);
        }

        string? docker = ExecutableLocator.Find(string.IsNullOrWhiteSpace(dockerCli) ? "docker" : dockerCli, environment.Path);
        if (docker is not null && await Version(docker, "compose").ConfigureAwait(false) is { } pluginVersion)
        {
            return (new ComposeCli(docker, ["compose"], pluginVersion), null);
        }

        if (ExecutableLocator.Find("docker-compose", environment.Path) is { } v1 && await Version(v1).ConfigureAwait(false) is { } v1Version)
        {
            return (new ComposeCli(v1, [], v1Version), null);
        }

        return (null, DiagnosticCatalog.ComposeCliNotFound.Create(docker ?? dockerCli));
    }
}
