using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Compose;
using Sbir.Container.Configuration;
using Sbir.Container.Diagnostics;
using Sbir.Container.Dotenv;
using Sbir.Container.Engine;
using Sbir.Container.Secrets;
using Sbir.Container.Tasks.Logging;
using Sbir.Container.Text;

namespace Sbir.Container.Tasks;

/// <summary>
/// Brings the compose stack of a profile up and waits until it is healthy (ComposeUp), takes it down
/// (ComposeDown), shows its state (ComposeStatus), or runs a one-off command in one of its services
/// (ComposeRun). Engine, compose, .env and the request come from the one core service
/// (<see cref="ComposeSession"/>) that DockerTest uses too. Waiting polls the engine for the project's
/// containers, so compose v2 and docker-compose v1.29 behave the same.
/// </summary>
public sealed class ComposeStack : ProfileStackTask
{
    /// <summary>up, down, status or run.</summary>
    [Required] public string Action { get; set; } = string.Empty;

    /// <summary>The compose project name (SbirComposeProjectName).</summary>
    [Required] public string ProjectName { get; set; } = string.Empty;

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

    /// <summary>The variable the compose files take the host user from (SbirComposeHostUserVariable); ComposeUp and ComposeRun set it to this process's uid:gid unless .env or the environment sets it.</summary>
    public string HostUserVariable { get; set; } = string.Empty;

    /// <summary>Where the SDK keeps its state (SbirContainerIntermediateDirectory): the generated compose overlay of prefixed variables goes under it.</summary>
    public string StateDirectory { get; set; } = string.Empty;

    /// <summary>For run: the service (SbirComposeRunService).</summary>
    public string RunService { get; set; } = string.Empty;

    /// <summary>For run: the command and its arguments, instead of the service's command (SbirComposeRunArguments; quotes group words).</summary>
    public string RunArguments { get; set; } = string.Empty;

    /// <summary>The containers of the stack, with metadata Service, State, Health, Ports.</summary>
    [Output] public ITaskItem[] Containers { get; private set; } = [];

    /// <summary>Seconds from the start until the last service turned healthy (ComposeUp).</summary>
    [Output] public string LastHealthySeconds { get; private set; } = string.Empty;

    /// <summary>For run: the exit code of the command.</summary>
    [Output] public int ExitCode { get; private set; }

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        string profile = Profile.Trim();
        string action = Action.Trim().ToLowerInvariant();
        if (!Text.DurationText.TryParse(WaitTimeout, out var waitTimeout) || waitTimeout <= TimeSpan.Zero)
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirComposeWaitTimeout", WaitTimeout, "a number of seconds or a duration such as 300s or 5m"));
            return;
        }

        if (KnownProfiles.Length > 0 && profile.Length > 0 && !KnownProfiles.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            Diagnostics.Log(DiagnosticCatalog.ComposeUnknownProfile.Create(profile, string.Join(", ", KnownProfiles), Text.DidYouMean.Hint(profile, KnownProfiles)));
            return;
        }

        if (action == "run" && RunService.Trim().Length == 0)
        {
            Diagnostics.Log(DiagnosticCatalog.RequiredPropertyMissing.Create("ComposeRun", "SbirComposeRunService", "etl-runner"));
            return;
        }

        var (session, error) = await ComposeSession.OpenAsync(
            new ComposeSessionOptions { ProjectDirectory = ProjectDirectory, DockerCli = DockerCli, ComposeCli = ComposeCli, EnvFile = EnvFile },
            ProcessRunner, Environment, CancellationToken).ConfigureAwait(false);
        if (session is null)
        {
            Diagnostics.Log(error!);
            return;
        }

        // Masks the project's secret values (the one SecretValueSet, judged by config/docker.yaml's contract) in everything compose prints.
        session.Secrets(string.IsNullOrWhiteSpace(ConfigFile) ? null : ContainerConfigLoader.Load(FullPath(ConfigFile, ProjectDirectory)).Config.Environment).RegisterWith(Masker);

        // The image just built, unless the environment or .env chooses one.
        var overrides = new Dictionary<string, string?>(StringComparer.Ordinal);
        if (ImageVariable.Trim().Length > 0 && Image.Trim().Length > 0 && !session.IsSet(ImageVariable.Trim()))
        {
            overrides[ImageVariable.Trim()] = Image.Trim();
        }

        // The caller, for the services that write to bind mounts as the host user (the sample's dev profile),
        // unless the environment or .env chooses one.
        if (action is "up" or "run" && HostUserVariable.Trim().Length > 0 && !session.IsSet(HostUserVariable.Trim()) && HostUser.Current() is { } caller)
        {
            overrides[HostUserVariable.Trim()] = caller;
        }

        var request = session.Request(ProjectName, Files, ComposeProfiles, profile, overrides) with
        {
            WaitTimeout = waitTimeout,
            DownOnFailure = DownOnFailure,
            RemoveVolumes = RemoveVolumes,
        };
        var model = action is "up" or "run" ? session.Model(request) : null;
        if (model is not null)
        {
            request = request with { Images = model.Images };
            (request, var passed) = session.WithPrefixedVariables(request, model, StateDirectory.Trim().Length > 0 ? StateDirectory : Path.Combine("obj", "SbirContainer"));
            LogPassedVariables(passed);
        }

        var runner = session.Runner(new TaskProgress(Diagnostics, action == "run" ? MessageImportance.High : MessageImportance.Normal));
        switch (action)
        {
            case "up":
                Diagnostics.Message($"ComposeUp: profile {profile}, project {ProjectName}, {session.Compose!.Describe()}", MessageImportance.High);
                CreateBindMountFolders(model!, model!.Started);
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
            case "run":
                string service = RunService.Trim();
                var arguments = ComposeSession.SplitArguments(RunArguments);
                CreateBindMountFolders(model!, [service, .. model!.DependenciesOf(service)]);
                Diagnostics.Message($"ComposeRun: {service} in project {ProjectName} (profile {profile}){(arguments.Count > 0 ? ": " + string.Join(' ', arguments) : string.Empty)}", MessageImportance.High);
                var run = await runner.RunAsync(request, service, arguments, noDeps: false, CancellationToken).ConfigureAwait(false);
                LogDiagnostics(run.Diagnostics);
                ExitCode = run.Run.ExitCode;
                if (!run.Succeeded && run.Diagnostics.Count == 0)
                {
                    string[] command = ["run", "--rm", "-T", service, .. arguments];
                    Diagnostics.Log(DiagnosticCatalog.ComposeRunFailed.Create(service, run.Run.ExitCode, Indentation.Block(run.Run.Tail(15)), runner.CommandLine(request, command)));
                }
                else if (run.Succeeded)
                {
                    Diagnostics.Message($"ComposeRun: {service} finished (exit code 0).", MessageImportance.High);
                }

                break;
            default:
                Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("Action", Action, "one of up, down, status, run (an internal parameter of the SDK's targets)"));
                break;
        }
    }

    /// <summary>
    /// Creates missing host folders of relative bind mounts of <paramref name="services"/> before compose starts,
    /// as this process's user: docker would create them owned by root, where neither the caller nor a
    /// non-root service could write.
    /// </summary>
    private void CreateBindMountFolders(StackModel model, IEnumerable<string> services)
    {
        foreach (string folder in model.MissingBindFolders(ProjectDirectory, services))
        {
            Directory.CreateDirectory(folder);
            Diagnostics.Message($"Created {Path.GetRelativePath(ProjectDirectory, folder)}/ for a bind mount (docker would have created it owned by root).", MessageImportance.Normal);
        }
    }

    /// <summary>Says which variables the generated overlay passes to which services (names only; the values stay in .env and the environment).</summary>
    private void LogPassedVariables(IReadOnlyDictionary<string, IReadOnlyList<string>> passed)
    {
        foreach (var group in passed.GroupBy(p => string.Join(", ", p.Value)))
        {
            Diagnostics.Message($"{EnvironmentPrefix.Property}: {group.Key} to {string.Join(", ", group.Select(p => p.Key))}.", MessageImportance.Normal);
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
