using System.Globalization;
using Microsoft.Build.Framework;
using Microsoft.Build.Utilities;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Swarm;

namespace Sbir.Container.Tasks;

/// <summary>
/// Deploys a profile's compose files as a swarm stack and waits until it converges (StackDeploy), shows
/// it (StackStatus), rolls it back to the previous spec (StackRollback) or removes it (StackRemove).
/// The work is the core's <see cref="StackRunner"/>; this task reads the parameters, resolves the
/// variables as compose would (the environment, then .env) and logs.
/// </summary>
public sealed partial class SwarmStack : ProfileStackTask
{
    /// <summary>deploy, status, rollback or remove.</summary>
    [Required] public string Action { get; set; } = string.Empty;

    /// <summary>The stack's name (SbirStackName).</summary>
    [Required] public string StackName { get; set; } = string.Empty;

    /// <summary>The variable the compose files read the application image from (SbirComposeImageVariable).</summary>
    public string ImageVariable { get; set; } = "SBIR_IMAGE";

    /// <summary>SbirContainerRegistry: with the image name, the repository DockerPush records a digest for.</summary>
    public string Registry { get; set; } = string.Empty;

    /// <summary>SbirContainerImageName.</summary>
    public string ImageName { get; set; } = string.Empty;

    /// <summary>SbirContainerImageTags: the tags whose digest DockerPush recorded.</summary>
    public string[] ImageTags { get; set; } = [];

    /// <summary>obj/SbirContainer/, where DockerPush writes the digest file.</summary>
    public string StateDirectory { get; set; } = string.Empty;

    /// <summary>SbirStackRequireDigest: auto (more than one node), true or false.</summary>
    public string RequireDigest { get; set; } = "auto";

    /// <summary>SbirStackDataLabel: the node label that places the services with volumes.</summary>
    public string DataLabel { get; set; } = string.Empty;

    /// <summary>SbirStackWaitTimeout: seconds or a duration such as 10m.</summary>
    public string WaitTimeout { get; set; } = "600";

    /// <summary>SbirStackEndpointMode: vip or dnsrr.</summary>
    public string EndpointMode { get; set; } = "vip";

    /// <summary>SbirStackDagsterConfig: Dagster's dagster.yaml; empty looks in the usual places.</summary>
    public string DagsterConfig { get; set; } = string.Empty;

    /// <summary>Where the rendered stack file is written.</summary>
    public string StackFile { get; set; } = string.Empty;

    /// <summary>For remove: the stack's volumes too (SbirStackRemoveVolumes).</summary>
    public bool RemoveVolumes { get; set; }

    /// <summary>For remove: the stack's swarm secrets too (SbirStackRemoveSecrets).</summary>
    public bool RemoveSecrets { get; set; }

    /// <summary>For deploy: Neo4j's password was changed in the database, so a new NEO4J_AUTH may roll out (SbirStackNeo4jPasswordChanged).</summary>
    public bool Neo4jPasswordChanged { get; set; }

    /// <summary>The stack's services: Include = service name; metadata Image, Replicas, Running, UpdateState, Health.</summary>
    [Output] public ITaskItem[] Services { get; private set; } = [];

    /// <summary>Seconds StackDeploy or StackRollback took until the stack converged.</summary>
    [Output] public string ConvergedSeconds { get; private set; } = string.Empty;

    /// <inheritdoc />
    protected override async Task ExecuteCoreAsync()
    {
        string action = Action.Trim().ToLowerInvariant();
        string profile = Profile.Trim();
        if (!Text.DurationText.TryParse(WaitTimeout, out var waitTimeout) || waitTimeout <= TimeSpan.Zero)
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirStackWaitTimeout", WaitTimeout, "a number of seconds or a duration such as 600s or 10m"));
            return;
        }

        if (!StackNamePattern().IsMatch(StackName))
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirStackName", StackName, "letters, digits, '_', '.' and '-', starting with a letter or digit, at most 40 characters (swarm puts it before every service, network and secret name)"));
            return;
        }

        string require = RequireDigest.Trim().ToLowerInvariant();
        if (require is not ("" or "auto" or "true" or "false"))
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirStackRequireDigest", RequireDigest, "auto, true or false"));
            return;
        }

        bool? requireDigest = require is "" or "auto" ? null : require == "true";
        string endpointMode = EndpointMode.Trim().ToLowerInvariant();
        if (endpointMode is not ("vip" or "dnsrr"))
        {
            Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("SbirStackEndpointMode", EndpointMode, "vip or dnsrr"));
            return;
        }

        if (action == "deploy" && KnownProfiles.Length > 0 && profile.Length > 0 && !KnownProfiles.Contains(profile, StringComparer.OrdinalIgnoreCase))
        {
            Diagnostics.Log(DiagnosticCatalog.ComposeUnknownProfile.Create(profile, string.Join(", ", KnownProfiles)));
            return;
        }

        var probe = await new EngineProbe(ProcessRunner, Environment).ProbeAsync(DockerCli, ProjectDirectory, BuilderPreference.Auto, CancellationToken).ConfigureAwait(false);
        if (!probe.Succeeded)
        {
            Diagnostics.Log(probe.Error!);
            return;
        }

        var engine = probe.Engine!;
        var runner = new StackRunner(new Engine.DockerCli(engine.CliPath, ProcessRunner), new Logging.TaskProgress(Diagnostics));
        var (swarm, swarmError) = await runner.SwarmAsync($"{engine.ServerVersion} at {engine.Endpoint}", CancellationToken).ConfigureAwait(false);
        if (swarmError is not null)
        {
            Diagnostics.Log(swarmError);
            return;
        }

        var request = new StackRequest
        {
            StackName = StackName,
            ProjectDirectory = ProjectDirectory,
            DataLabel = DataLabel,
            WaitTimeout = waitTimeout,
            StackFile = FullPath(StackFile, ProjectDirectory),
            ClientMajorVersion = int.TryParse(engine.ClientVersion.Split('.')[0], NumberStyles.None, CultureInfo.InvariantCulture, out int major) ? major : 0,
            RemoveVolumes = RemoveVolumes,
            RemoveSecrets = RemoveSecrets,
            Neo4jPasswordChanged = Neo4jPasswordChanged,
        };

        switch (action)
        {
            case "deploy":
                await DeployAsync(runner, request with { Plan = PlanInput(profile, requireDigest, endpointMode) }, swarm!).ConfigureAwait(false);
                break;
            case "status":
                var status = await runner.StatusAsync(request, swarm!, CancellationToken).ConfigureAwait(false);
                Publish(status);
                Diagnostics.Message(status.Services.Count == 0
                    ? $"StackStatus: the swarm has no stack '{StackName}'."
                    : $"StackStatus: stack {StackName}\n{StackTable.Services(status.Services, status.Tasks, status.Health)}\n\n{StackTable.Tasks(status.Services, status.Tasks, status.Health)}", MessageImportance.High);
                break;
            case "rollback":
                Diagnostics.Message($"StackRollback: stack {StackName}", MessageImportance.High);
                var rolledBack = await runner.RollbackAsync(request, swarm!, CancellationToken).ConfigureAwait(false);
                Finish(rolledBack, "StackRollback", "rolled back");
                break;
            case "remove":
                var (diagnostics, removed) = await runner.RemoveAsync(request, CancellationToken).ConfigureAwait(false);
                LogDiagnostics(diagnostics);
                string kept = (RemoveVolumes ? string.Empty : "volumes kept (-p:SbirStackRemoveVolumes=true removes them)") + (RemoveSecrets ? string.Empty : (RemoveVolumes ? string.Empty : ", ") + "secrets kept (-p:SbirStackRemoveSecrets=true removes them)");
                Diagnostics.Message($"StackRemove: stack {StackName} removed{(removed.Count == 0 ? " (there was nothing to remove)" : ": " + string.Join(", ", removed))}{(kept.Length == 0 ? string.Empty : "; " + kept)}.", MessageImportance.High);
                break;
            default:
                Diagnostics.Log(DiagnosticCatalog.InvalidPropertyValue.Create("Action", Action, "one of deploy, status, rollback, remove (an internal parameter of the SDK's targets)"));
                break;
        }
    }

    private async Task DeployAsync(StackRunner runner, StackRequest request, SwarmInfo swarm)
    {
        Diagnostics.Message($"StackDeploy: profile {request.Plan!.ProfileName}, stack {StackName}, swarm of {swarm.Nodes} node{(swarm.Nodes == 1 ? string.Empty : "s")}", MessageImportance.High);
        var result = await runner.DeployAsync(request, swarm, CancellationToken).ConfigureAwait(false);
        foreach (var secret in result.Plan?.Secrets ?? [])
        {
            Masker.Add(secret.Value);
        }

        Finish(result, "StackDeploy", "converged");
        if (result.Succeeded)
        {
            Diagnostics.Message($"StackDeploy: stack file {Path.GetRelativePath(ProjectDirectory, request.StackFile)}", MessageImportance.Normal);
        }
    }

    private void Finish(StackResult result, string target, string verb)
    {
        LogDiagnostics(result.Diagnostics);
        Publish(result);
        if (result.Succeeded)
        {
            ConvergedSeconds = result.Elapsed.TotalSeconds.ToString("0.00", CultureInfo.InvariantCulture);
            Diagnostics.Message(string.Create(CultureInfo.InvariantCulture, $"{target}: stack {StackName} {verb} after {result.Elapsed.TotalSeconds:0} s\n") + StackTable.Services(result.Services, result.Tasks, result.Health), MessageImportance.High);
        }
    }

    /// <summary>The planner's input, with every secret value it may meet registered with the masker first.</summary>
    private StackPlanInput PlanInput(string profile, bool? requireDigest, string endpointMode)
    {
        var (input, secrets) = StackProject.Resolve(new StackProjectSettings
        {
            ProjectDirectory = ProjectDirectory,
            StackName = StackName,
            Profile = profile,
            Files = Files,
            ComposeProfiles = ComposeProfiles,
            EnvFile = EnvFile,
            ConfigFile = ConfigFile,
            ImageVariable = ImageVariable,
            Registry = Registry,
            ImageName = ImageName,
            ImageTags = ImageTags,
            StateDirectory = StateDirectory,
            RequireDigest = requireDigest,
            DataLabel = DataLabel,
            EndpointMode = endpointMode,
            DagsterConfig = DagsterConfig,
        }, Environment.Get);
        foreach (string secret in secrets)
        {
            Masker.Add(secret);
        }

        return input;
    }

    private void Publish(StackResult result)
    {
        Services = result.Services.Select(s =>
        {
            var running = result.Tasks.Where(t => t.ServiceId == s.Id && t.DesiredState == "running" && t.State == "running").ToList();
            var item = new TaskItem(s.Service);
            item.SetMetadata("Image", s.Image);
            item.SetMetadata("Replicas", s.Replicas?.ToString(CultureInfo.InvariantCulture) ?? "global");
            item.SetMetadata("Running", running.Count.ToString(CultureInfo.InvariantCulture));
            item.SetMetadata("UpdateState", s.UpdateState ?? string.Empty);
            item.SetMetadata("Health", string.Join(';', running.Select(t => t.ContainerId is { } c && result.Health.TryGetValue(c, out var h) ? h.Status ?? string.Empty : string.Empty).Distinct()));
            return (ITaskItem)item;
        }).ToArray();
    }

    [System.Text.RegularExpressions.GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9_.-]{0,39}$")]
    private static partial System.Text.RegularExpressions.Regex StackNamePattern();
}
