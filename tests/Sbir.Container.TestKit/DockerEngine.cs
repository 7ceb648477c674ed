namespace Sbir.Container.TestKit;

/// <summary>
/// The gate of the end-to-end tests: a real Docker engine, probed once per test process. Without an
/// engine the tests are skipped with the reason, unless SBIR_CONTAINER_E2E=required (CI), where a
/// missing engine fails them.
/// </summary>
public static class DockerEngine
{
    private static readonly Lazy<string?> UnavailableReason = new(Probe);
    private static readonly Lazy<string?> BaseImageProblem = new(EnsureBaseImages);

    /// <summary>
    /// The BuildKit-capable CLI the tests build with: SBIR_E2E_DOCKER_CLI, else /usr/bin/docker (the
    /// 20.10 client of Debian's docker.io, BuildKit built in), else docker on PATH.
    /// </summary>
    public static string Cli { get; } = Environment.GetEnvironmentVariable("SBIR_E2E_DOCKER_CLI")
        ?? (File.Exists("/usr/bin/docker") ? "/usr/bin/docker" : "docker");

    /// <summary>The base image for test builds: SBIR_E2E_BASE_IMAGE, else the local stand-in for python:3.11-slim.</summary>
    public static string BaseImage { get; } = Environment.GetEnvironmentVariable("SBIR_E2E_BASE_IMAGE") ?? "local/python:3.11-slim";

    /// <summary>True when SBIR_CONTAINER_E2E=required.</summary>
    public static bool Required => string.Equals(Environment.GetEnvironmentVariable("SBIR_CONTAINER_E2E"), "required", StringComparison.OrdinalIgnoreCase);

    /// <summary>Skips the test (or fails it, when required) unless an engine answers and the base image exists.</summary>
    public static void Require()
    {
        string? reason = UnavailableReason.Value ?? BaseImageProblem.Value;
        if (reason is null)
        {
            return;
        }

        Prerequisite.Missing(reason);
    }

    /// <summary>True when an engine answers (probed once); no skip, no failure.</summary>
    public static bool Answers => UnavailableReason.Value is null;

    /// <summary>
    /// Removes every image of <paramref name="repository"/> a test built: its tags, and the images the
    /// SDK labelled with it as their title (org.opencontainers.image.title) that a rebuild left untagged.
    /// </summary>
    public static void RemoveImagesOf(params string[] repositories)
    {
        foreach (string reference in repositories)
        {
            // A reference with a tag stands for its repository.
            int colon = reference.LastIndexOf(':');
            string repository = colon > reference.LastIndexOf('/') ? reference[..colon] : reference;
            // Tags are removed by name, not by image ID: an image another run tagged too (the same stand-in built from
            // the same files has the same ID) keeps its other tags, and this run's tag still goes.
            var tagged = Docker("image", "ls", "--format", "{{.Repository}}:{{.Tag}}", repository);
            string[] names = [.. tagged.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith(repository + ":", StringComparison.Ordinal))];
            if (names.Length > 0)
            {
                Docker(["image", "rm", "--force", .. names]);
            }

            var untagged = Docker("image", "ls", "--all", "--quiet", "--no-trunc", "--filter", "dangling=true", "--filter", "label=org.opencontainers.image.title=" + repository);
            string[] ids = [.. untagged.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries).Where(l => l.StartsWith("sha256:", StringComparison.Ordinal)).Distinct()];
            if (ids.Length > 0)
            {
                Docker(["image", "rm", "--force", .. ids]);
            }
        }
    }

    /// <summary>Runs the test CLI.</summary>
    public static ProcessRunResult Docker(params string[] args) => ProcessRun.Run(Cli, args, timeout: TimeSpan.FromMinutes(10));

    /// <summary>Runs the test CLI and fails the test when it fails.</summary>
    public static string DockerOk(params string[] args)
    {
        var result = Docker(args);
        Assert.True(result.ExitCode == 0, $"docker {string.Join(' ', args)} failed:\n{result.Output}");
        return result.Output.Trim();
    }

    /// <summary>A docker client on this machine without BuildKit (28.x without buildx), or null.</summary>
    public static string? LegacyOnlyCli()
    {
        foreach (string candidate in new[] { "/usr/local/bin/docker", "/usr/bin/docker" })
        {
            if (!File.Exists(candidate))
            {
                continue;
            }

            var version = ProcessRun.Run(candidate, ["version", "--format", "{{.Client.Version}}"]);
            var buildx = ProcessRun.Run(candidate, ["buildx", "version"]);
            if (int.TryParse(version.Output.Trim().Split('.')[0], out int major) && major >= 23 && buildx.ExitCode != 0)
            {
                return candidate;
            }
        }

        return null;
    }

    private static string? Probe()
    {
        try
        {
            var info = ProcessRun.Run(Cli, ["info", "--format", "{{.ServerVersion}}"], timeout: TimeSpan.FromSeconds(30));
            return info.ExitCode == 0 ? null : $"no Docker engine answers '{Cli} info': {info.Output.Trim()}";
        }
        catch (System.ComponentModel.Win32Exception ex)
        {
            return $"the docker CLI '{Cli}' cannot be started: {ex.Message}";
        }
    }

    private static string? EnsureBaseImages()
    {
        if (ProcessRun.Run(Cli, ["image", "inspect", BaseImage]).ExitCode == 0)
        {
            return null;
        }

        if (BaseImage != "local/python:3.11-slim")
        {
            return $"the base image {BaseImage} is not in the engine";
        }

        // Makes the local stand-ins (debootstrap; about a minute, once per machine).
        var made = ProcessRun.Run("sh", [Path.Combine(RepoPaths.Root, "eng", "make-base-images.sh")], environment: new Dictionary<string, string?> { ["DOCKER"] = Cli }, timeout: TimeSpan.FromMinutes(15));
        return made.ExitCode == 0 ? null : "the local base images could not be made with eng/make-base-images.sh:\n" + made.Output;
    }
}
