using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Build;
using Sbir.Container.Compose;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;
using Sbir.Container.Engine;

namespace Sbir.Container.Tasks;

/// <summary>
/// Brings the compose stack of a profile up and waits until it is healthy (ComposeUp), takes it down
/// (ComposeDown), or shows its state (ComposeStatus). Waiting polls the engine for the project's
/// containers, so compose v2 and docker-compose v1.29 behave the same.
/// </summary>
public sealed class ComposeStack : SbirTask
{
    /// <summary>up, down or status.</summary>
    [Required] public string Action { get; set; } = string.Empty;

    /// <summary>The project directory (compose's project directory).</summary>
    [Required] public string ProjectDirectory { get; set; } = string.Empty;

    /// <summary>The compose project name (SbirComposeProjectName).</summary>
    [Required] public string ProjectName { get; set; } = string.Empty;

    /// <summary>The SBIR profile (SbirComposeProfile).</summary>
    public string Profile { get; set; } = string.Empty;

    /// <summary>Compose files of the profile, from config/docker.yaml.</summary>
    public string[] Files { get; set; } = [];

    /// <summary>Compose profiles to enable, from config/docker.yaml.</summary>
    public string[] ComposeProfiles { get; set; } = [];

    /// <summary>The profiles config/docker.yaml defines (to reject unknown ones).</summary>
    public string[] KnownProfiles { get; set; } = [];

    /// <summary>The .env file.</summary>
    public string EnvFile { get; set; } = string.Empty;

    /// <summary>The docker CLI (SbirDockerCli).</summary>
    public string DockerCli { get; set; } = "docker";

    /// <summary>The compose CLI (SbirComposeCli); empty picks the docker plugin, then docker-compose.</summary>
    public string ComposeCli { get; set; } = string.Empty;

    /// <summary>How long to wait for health (SbirComposeWaitTimeout): seconds, or a duration such as 5m.</summary>
    public string WaitTimeout { get; set; } = "300";

    /// <summary>Tear down when the stack does not come up (SbirComposeDownOnFailure).</summary>
    public bool DownOnFailure { get; set; }

    /// <summary>For down: remove named volumes (SbirComposeRemoveVolumes).</summary>
    public bool RemoveVolumes { get; set; }

    /// <summary>The variable the compose files take the application image from (SbirComposeImageVariable).</summary>
    public string ImageVariable { get; set; } = string.Empty;

    /// <summary>The image DockerBuild just built, given to compose in <see cref="ImageVariable"/> unless .env or the environment sets it.</summary>
    public string Image { get; set; } = string.Empty;

    /// <summary>The containers of the stack, with metadata Service, State, Health, Ports.</summary>
    [Output] public ITaskItem[] Containers { get; private set; } = [];

    /// <summary>Seconds from the start until the last service turned healthy (ComposeUp).</summary>
    [Output] public string LastHealthySeconds { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        string profile = Profile.Trim();
        if (!Text.DurationText.TryParse(WaitTimeout, out var waitTimeout) || waitTimeout <= TimeSpan.Zero)
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirComposeWaitTimeout", WaitTimeout, "a number of seconds or a duration such as 300s or 5m"));
            return;
        }

        if (KnownProfiles.Length > 0 && profile.Length > 0 && !KnownProfiles.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            Diagnostics.Log(DiagnosticCatalog.ComposeUnknownProfile.Create(profile, string.Join(", ", KnownProfiles)));
            return;
        }

        var files = Files.Where(f => f.Trim().Length > 0).Select(f => FullPath(f, ProjectDirectory)).ToList();
        if (files.Count == 0)
        {
            files.AddRange(new[] { "docker-compose.yml", "compose.yaml", "compose.yml" }.Select(f => Path.Combine(ProjectDirectory, f)).Where(File.Exists).Take(1));
        }

        var probe = await new EngineProbe(ProcessRunner, Environment).ProbeAsync(DockerCli, ProjectDirectory, BuilderPreference.Auto, CancellationToken).ConfigureAwait(false);
        if (!probe.Succeeded)
        {
            Diagnostics.Log(probe.Error!);
            return;
        }

        var (compose, error) = await Compose.ComposeCli.FindAsync(probe.Engine!.CliPath, ComposeCli, ProcessRunner, Environment, CancellationToken).ConfigureAwait(false);
        if (compose is null)
        {
            Diagnostics.Log(error!);
            return;
        }

        string envFile = FullPath(string.IsNullOrWhiteSpace(EnvFile) ? ".env" : EnvFile, ProjectDirectory);
        RegisterSecrets(envFile);
        var request = new ComposeRequest
        {
            ProjectName = ProjectName,
            ProjectDirectory = ProjectDirectory,
            Files = files,
            Profiles = ComposeProfiles.Where(p => p.Trim().Length > 0).ToList(),
            EnvFile = envFile,
            ProfileName = profile,
            WaitTimeout = waitTimeout,
            DownOnFailure = DownOnFailure,
            RemoveVolumes = RemoveVolumes,
            Environment = ImageOverride(envFile),
        };

        var runner = new ComposeRunner(new Engine.DockerCli(probe.Engine.CliPath, ProcessRunner), compose, new Logging.TaskProgress(Diagnostics));
        switch (Action.Trim().ToLowerInvariant())
        {
            case "up":
                Diagnostics.Message($"ComposeUp: profile {profile}, project {ProjectName}, {compose.Describe()}", MessageImportance.High);
                CreateBindMountFolders(files, request.Profiles, envFile);
                var up = await runner.UpAsync(request, CancellationToken).ConfigureAwait(false);
                LogDiagnostics(up.Diagnostics);
                Publish(up.Containers);
                if (up.Succeeded)
                {
                    LastHealthySeconds = up.LastHealthyAt?.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture) ?? string.Empty;
                    string lag = up.LastHealthyAt is { } last ? string.Create(CultureInfo.InvariantCulture, $"; returned {(up.Elapsed - last).TotalSeconds:0.00} s after the last service turned healthy") : string.Empty;
                    Diagnostics.Message(string.Create(CultureInfo.InvariantCulture, $"ComposeUp: the {profile} stack is healthy after {up.Elapsed.TotalSeconds:0} s{lag}\n") + ContainerStatus.Table(up.Containers.Where(c => !c.OneOff)), MessageImportance.High);
                }

                break;
            case "down":
                LogDiagnostics(await runner.DownAsync(request, CancellationToken).ConfigureAwait(false));
                Diagnostics.Message($"ComposeDown: project {ProjectName} removed{(RemoveVolumes ? " with its volumes" : " (volumes kept; -p:SbirComposeRemoveVolumes=true removes them)")}.", MessageImportance.High);
                break;
            case "status":
                var status = await runner.StatusAsync(request, CancellationToken).ConfigureAwait(false);
                Publish(status);
                Diagnostics.Message(status.Count == 0 ? $"ComposeStatus: project {ProjectName} has no containers." : "ComposeStatus:\n" + ContainerStatus.Table(status), MessageImportance.High);
                break;
            default:
                Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("Action", Action, "one of up, down, status (an internal parameter of the SDK's targets)"));
                break;
        }
    }

    private Dictionary<string, string?> ImageOverride(string envFile)
    {
        var env = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (ImageVariable.Trim().Length == 0 || Image.Trim().Length == 0 || Environment.Get(ImageVariable) is not null)
        {
            return env;
        }

        if (File.Exists(envFile) && DotenvParser.ParseFile(envFile, Environment.Get).Values.ContainsKey(ImageVariable))
        {
            return env;
        }

        env[ImageVariable] = Image;
        return env;
    }

    private void RegisterSecrets(string envFile)
    {
        if (!File.Exists(envFile))
        {
            return;
        }

        foreach (var entry in DotenvParser.ParseFile(envFile, Environment.Get).Entries)
        {
            if (entry.Value is { Length: > 0 } && SecretNames.LooksSecret(entry.Key))
            {
                Masker.Add(entry.Value);
            }
        }
    }

    /// <summary>
    /// Creates missing host folders of relative bind mounts before compose starts, so that docker does
    /// not create them as root (the non-root sbir user could then not write to them).
    /// </summary>
    private void CreateBindMountFolders(IReadOnlyList<string> files, IReadOnlyList<string> profiles, string envFile)
    {
        var values = File.Exists(envFile) ? DotenvParser.ParseFile(envFile, Environment.Get).Values : new Dictionary<string, string>();
        foreach (string folder in ComposeProject.MissingBindSources(ProjectDirectory, files, profiles, name => Environment.Get(name) ?? (values.TryGetValue(name, out var v) ? v : null)))
        {
            Directory.CreateDirectory(folder);
            Diagnostics.Message($"Created {Path.GetRelativePath(ProjectDirectory, folder)}/ for a bind mount (docker would have created it owned by root).", MessageImportance.Normal);
        }
    }

    private void Publish(IReadOnlyList<ContainerStatus> containers)
    {
        Containers = containers.Select(c =>
        {
            var item = new TaskItem(c.Name);
            item.SetMetadata("Service", c.Service);
            item.SetMetadata("State", c.State);
            item.SetMetadata("Health", c.Health ?? string.Empty);
            item.SetMetadata("Ports", string.Join(';', c.Ports));
            item.SetMetadata("ContainerId", c.Id);
            return (ITaskItem)item;
        }).ToArray();
    }
}
