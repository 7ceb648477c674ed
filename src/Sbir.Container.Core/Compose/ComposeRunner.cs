using System.Diagnostics;
using Sbir.Container.Build;
using Sbir.Container.Diagnostics;
using Sbir.Container.Engine;
using Sbir.Container.Text;

namespace Sbir.Container.Compose;

/// <summary>A compose stack to start, stop or inspect.</summary>
public sealed record ComposeRequest
{
    /// <summary>The stable compose project name.</summary>
    public required string ProjectName { get; init; }

    /// <summary>The project directory; relative paths in every file resolve from here.</summary>
    public required string ProjectDirectory { get; init; }

    /// <summary>Compose files, in order (absolute).</summary>
    public required IReadOnlyList<string> Files { get; init; }

    /// <summary>Compose profiles to enable.</summary>
    public IReadOnlyList<string> Profiles { get; init; } = [];

    /// <summary>The .env for interpolation (passed only when it exists).</summary>
    public string? EnvFile { get; init; }

    /// <summary>The SBIR profile name, for messages.</summary>
    public string ProfileName { get; init; } = string.Empty;

    /// <summary>How long to wait for health.</summary>
    public TimeSpan WaitTimeout { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>How often the engine is polled.</summary>
    public TimeSpan PollInterval { get; init; } = TimeSpan.FromMilliseconds(500);

    /// <summary>Tear the stack down when it fails to come up, with the volumes this 'up' created (they hold nothing older).</summary>
    public bool DownOnFailure { get; init; }

    /// <summary>For down: remove the named volumes too.</summary>
    public bool RemoveVolumes { get; init; }

    /// <summary>Extra environment for compose (variables compose interpolates, such as image overrides).</summary>
    public IReadOnlyDictionary<string, string?> Environment { get; init; } = new Dictionary<string, string?>();

    /// <summary>The services 'up' starts (with their dependencies); empty starts every service of the enabled compose profiles.</summary>
    public IReadOnlyList<string> Services { get; init; } = [];

    /// <summary>The images of the services and what selects them (<see cref="ComposeSession.Model"/>), to name one that cannot be pulled.</summary>
    public IReadOnlyList<ServiceImage> Images { get; init; } = [];
}

/// <summary>What a one-off 'compose run' of a service did.</summary>
public sealed record ComposeRunResult(IReadOnlyList<Diagnostic> Diagnostics, ProcessResult Run)
{
    /// <summary>True when the command exited 0 and nothing went wrong around it.</summary>
    public bool Succeeded => Run.Succeeded && !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>What ComposeUp found.</summary>
public sealed record ComposeUpResult(IReadOnlyList<Diagnostic> Diagnostics, IReadOnlyList<ContainerStatus> Containers, TimeSpan Elapsed, TimeSpan? LastHealthyAt)
{
    /// <summary>True when every service is ready.</summary>
    public bool Succeeded => !Diagnostics.Any(d => d.Severity == DiagnosticSeverity.Error);
}

/// <summary>
/// Runs compose for a project and waits for it by asking the engine itself (containers labelled with
/// the project), so it works the same with compose v2 and with docker-compose v1.29, which has no
/// 'up --wait'. Reports each service's progress, and when something fails names the service with its
/// last health-check output and log lines.
/// </summary>
public sealed class ComposeRunner
{
    private readonly DockerCli _docker;
    private readonly ComposeCli _compose;
    private readonly IBuildProgress _progress;

    /// <summary>Creates a runner.</summary>
    public ComposeRunner(DockerCli docker, ComposeCli compose, IBuildProgress progress)
    {
        _docker = docker;
        _compose = compose;
        _progress = progress;
    }

    /// <summary>The argv of a compose command for <paramref name="request"/> (global options, then the command).</summary>
    public IReadOnlyList<string> Arguments(ComposeRequest request, params string[] command)
    {
        var args = new List<string>(_compose.Prefix) { "--project-name", request.ProjectName, "--project-directory", request.ProjectDirectory };
        if (request.EnvFile is not null && File.Exists(request.EnvFile))
        {
            args.AddRange(["--env-file", request.EnvFile]);
        }

        foreach (string file in request.Files)
        {
            args.AddRange(["--file", file]);
        }

        foreach (string profile in request.Profiles)
        {
            args.AddRange(["--profile", profile]);
        }

        args.AddRange(command);
        return args;
    }

    /// <summary>The command as a user would type it, to run it by hand (no secret is ever an argument: values come through --env-file and the environment).</summary>
    public string CommandLine(ComposeRequest request, params string[] command) => Spec(request, command).Display;

    /// <summary>The process that runs <paramref name="command"/> for <paramref name="request"/>.</summary>
    private ProcessSpec Spec(ComposeRequest request, string[] command)
        => new() { FileName = _compose.Executable, Arguments = Arguments(request, command), WorkingDirectory = request.ProjectDirectory, Environment = request.Environment };

    /// <summary>Starts the stack and waits until every service is healthy (or running, without a health check).</summary>
    public async Task<ComposeUpResult> UpAsync(ComposeRequest request, CancellationToken cancellationToken = default)
    {
        var clock = Stopwatch.StartNew();
        var diagnostics = new List<Diagnostic>();
        // The project's volumes before 'up': a failed 'up' torn down removes only the ones it created.
        var volumesBefore = request.DownOnFailure ? await ProjectVolumesAsync(request, cancellationToken).ConfigureAwait(false) : [];

        // 'up' itself waits for service_healthy dependencies (compose v1 and v2 alike), so the engine is
        // watched from the start, while 'up' runs: progress shows at once, and a failure stops 'up'.
        using var stopUp = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        string[] upCommand = ["up", "--detach", "--remove-orphans", .. request.Services];
        var upTask = RunComposeAsync(request, upCommand, stopUp.Token);
        ProcessResult? up = null;

        var seen = new Dictionary<string, string>(StringComparer.Ordinal);
        var readyAt = new Dictionary<string, TimeSpan>(StringComparer.Ordinal);
        IReadOnlyList<ContainerStatus> containers = [];
        while (true)
        {
            cancellationToken.ThrowIfCancellationRequested();
            if (up is null && upTask.IsCompleted)
            {
                up = await upTask.ConfigureAwait(false);
                if (!up.Succeeded)
                {
                    // A service that failed explains a failed 'up' better than compose does.
                    containers = await StatusAsync(request, cancellationToken).ConfigureAwait(false);
                    var culprit = containers.FirstOrDefault(c => !c.OneOff && c.IsFailed);
                    var unpullable = up.Outcome == ProcessOutcome.Cancelled ? [] : await UnpullableAsync(request, request.Services, cancellationToken).ConfigureAwait(false);
                    if (up.Outcome == ProcessOutcome.Cancelled)
                    {
                        diagnostics.Add(DiagnosticCatalog.Cancelled.Create("ComposeUp", "compose"));
                    }
                    else if (unpullable.Count > 0)
                    {
                        diagnostics.AddRange(unpullable.Select(i => Unpullable(i, up)));
                    }
                    else
                    {
                        diagnostics.Add(culprit is not null
                            ? await DescribeFailureAsync(culprit, clock.Elapsed, cancellationToken).ConfigureAwait(false)
                            : PortConflict.Find(up) is { } port
                                ? DiagnosticCatalog.ComposePortTaken.Create(port, $" '{request.ProjectName}'", Indentation.Block(up.Tail(15)))
                                : DiagnosticCatalog.ComposeCommandFailed.Create(CommandLine(request, upCommand), up.ExitCode, Indentation.Block(up.Tail(15)), request.ProfileName));
                    }

                    return await FailAsync(request, volumesBefore, diagnostics, containers, clock, cancellationToken).ConfigureAwait(false);
                }
            }

            containers = await StatusAsync(request, cancellationToken).ConfigureAwait(false);
            var services = containers.Where(c => !c.OneOff).ToList();
            foreach (var c in services)
            {
                string state = c.Health is null ? c.State : $"{c.State}, {c.Health}";
                if (!seen.TryGetValue(c.Service, out var previous) || previous != state)
                {
                    seen[c.Service] = state;
                    _progress.Milestone($"  {c.Service,-22} {state} ({clock.Elapsed.TotalSeconds:0} s)");
                }

                if (c.IsReady && !readyAt.ContainsKey(c.Service))
                {
                    // When the engine says it turned ready, on our clock (polling alone would hide the lag).
                    TimeSpan since = c.ReadySince is { } t ? DateTimeOffset.UtcNow - t : TimeSpan.Zero;
                    readyAt[c.Service] = clock.Elapsed - (since < TimeSpan.Zero ? TimeSpan.Zero : since > clock.Elapsed ? clock.Elapsed : since);
                }
            }

            var failed = services.FirstOrDefault(c => c.IsFailed);
            if (failed is not null)
            {
                diagnostics.Add(await DescribeFailureAsync(failed, clock.Elapsed, cancellationToken).ConfigureAwait(false));
                await StopAsync(stopUp, upTask).ConfigureAwait(false);
                return await FailAsync(request, volumesBefore, diagnostics, containers, clock, cancellationToken).ConfigureAwait(false);
            }

            if (up is not null && services.Count > 0 && services.All(c => c.IsReady))
            {
                TimeSpan last = services.Max(c => readyAt[c.Service]);
                return new ComposeUpResult(diagnostics, containers, clock.Elapsed, last);
            }

            if (clock.Elapsed > request.WaitTimeout)
            {
                await StopAsync(stopUp, upTask).ConfigureAwait(false);
                var late = services.Where(c => !c.IsReady).ToList();
                string waiting = string.Join(", ", late.Select(c => $"{c.Service} ({c.State}{(c.Health is null ? string.Empty : ", " + c.Health)})"));
                diagnostics.Add(DiagnosticCatalog.ComposeWaitTimedOut.Create(
                    (int)request.WaitTimeout.TotalSeconds,
                    services.Count == 0 ? "compose had created no container yet" : "these services are not healthy yet: " + waiting,
                    request.ProjectName));
                foreach (var c in late.Take(3))
                {
                    // What each late service last said: its health check's output and its logs.
                    diagnostics.Add(await DescribeFailureAsync(c, clock.Elapsed, cancellationToken, late: true).ConfigureAwait(false));
                }

                return await FailAsync(request, volumesBefore, diagnostics, containers, clock, cancellationToken).ConfigureAwait(false);
            }

            await Task.Delay(request.PollInterval, cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Runs a one-off container of <paramref name="service"/> ('compose run --rm'), with <paramref name="arguments"/>
    /// instead of its command when given; its output is forwarded as it comes. <paramref name="noDeps"/> when the
    /// services it depends on are already up (DockerTest started and waited for them).
    /// </summary>
    public async Task<ComposeRunResult> RunAsync(ComposeRequest request, string service, IReadOnlyList<string> arguments, bool noDeps, CancellationToken cancellationToken = default)
    {
        string[] command = ["run", "--rm", "-T", .. (noDeps ? new[] { "--no-deps" } : Array.Empty<string>()), service, .. arguments];
        var run = await RunComposeAsync(request, command, cancellationToken).ConfigureAwait(false);
        var diagnostics = new List<Diagnostic>();
        if (run.Outcome == ProcessOutcome.Cancelled)
        {
            diagnostics.Add(DiagnosticCatalog.Cancelled.Create("compose run", "compose"));
        }
        else if (!run.Succeeded)
        {
            // A service image that is neither local nor pullable explains the failure better than its exit code.
            diagnostics.AddRange((await UnpullableAsync(request, noDeps ? [service] : [], cancellationToken).ConfigureAwait(false)).Select(i => Unpullable(i, run)));
        }

        return new ComposeRunResult(diagnostics, run);
    }

    /// <summary>
    /// The images of <paramref name="services"/> (every service of the request when empty) that the engine
    /// does not have after compose tried to start them: compose pulls a missing image first, so each one
    /// could not be pulled.
    /// </summary>
    private async Task<IReadOnlyList<ServiceImage>> UnpullableAsync(ComposeRequest request, IReadOnlyList<string> services, CancellationToken cancellationToken)
    {
        var images = request.Images.Where(i => services.Count == 0 || services.Contains(i.Service, StringComparer.Ordinal)).ToList();
        if (images.Count == 0)
        {
            return [];
        }

        var lookup = await _docker.InspectImageIdsAsync(images.Select(i => i.Image).Distinct(StringComparer.Ordinal).ToList(), cancellationToken).ConfigureAwait(false);
        if (!lookup.Answered)
        {
            return [];
        }

        var distinct = images.Select(i => i.Image).Distinct(StringComparer.Ordinal).ToList();
        var missing = distinct.Where((image, k) => lookup.Ids[k] is null).ToHashSet(StringComparer.Ordinal);
        return images.Where(i => missing.Contains(i.Image)).GroupBy(i => i.Image).Select(g => g.First()).ToList();
    }

    /// <summary>SBC5209 for an image compose could not pull, with what compose said about it.</summary>
    internal static Diagnostic Unpullable(ServiceImage image, ProcessResult compose)
    {
        var said = compose.StandardOutput.Concat(compose.StandardError).Where(l => l.Contains(image.Image, StringComparison.Ordinal) || l.Contains("pull", StringComparison.OrdinalIgnoreCase) || l.Contains("denied", StringComparison.OrdinalIgnoreCase)).TakeLast(5).ToList();
        return DiagnosticCatalog.ComposeImageNotPullable.Create(image.Image, image.Service, image.Origin, Indentation.Block(string.Join('\n', said.Count > 0 ? said : compose.StandardError.TakeLast(5))), image.Variable ?? "image:");
    }

    /// <summary>Stops and removes the stack's containers and networks (and volumes when asked), leaving nothing of the project behind.</summary>
    public async Task<IReadOnlyList<Diagnostic>> DownAsync(ComposeRequest request, CancellationToken cancellationToken = default)
    {
        var diagnostics = new List<Diagnostic>();
        var command = request.RemoveVolumes ? new[] { "down", "--remove-orphans", "--volumes" } : ["down", "--remove-orphans"];
        var down = await RunComposeAsync(request, command, cancellationToken).ConfigureAwait(false);
        if (!down.Succeeded)
        {
            diagnostics.Add(DiagnosticCatalog.ComposeCommandFailed.Create(CommandLine(request, command), down.ExitCode, Indentation.Block(down.Tail(15)), request.ProfileName));
        }

        // 'down' skips containers of services in profiles that are not enabled (and 'run' containers in
        // v1): sweep whatever still carries the project's label.
        string filter = "label=com.docker.compose.project=" + request.ProjectName;
        var leftovers = await _docker.RunAsync(["ps", "--all", "--quiet", "--filter", filter], cancellationToken: cancellationToken).ConfigureAwait(false);
        var ids = leftovers.StandardOutput.Where(l => l.Trim().Length > 0).ToList();
        if (ids.Count > 0)
        {
            await _docker.RunAsync(["rm", "--force", "--volumes", .. ids], cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        var networks = await _docker.RunAsync(["network", "ls", "--quiet", "--filter", filter], cancellationToken: cancellationToken).ConfigureAwait(false);
        var networkIds = networks.StandardOutput.Where(l => l.Trim().Length > 0).ToList();
        if (networkIds.Count > 0)
        {
            await _docker.RunAsync(["network", "rm", .. networkIds], cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        if (request.RemoveVolumes && await ProjectVolumesAsync(request, cancellationToken).ConfigureAwait(false) is { Count: > 0 } volumeIds)
        {
            await _docker.RunAsync(["volume", "rm", "--force", .. volumeIds], cancellationToken: cancellationToken).ConfigureAwait(false);
        }

        return diagnostics;
    }

    /// <summary>The containers of the project, as the engine sees them now.</summary>
    public async Task<IReadOnlyList<ContainerStatus>> StatusAsync(ComposeRequest request, CancellationToken cancellationToken = default)
    {
        var ps = await _docker.RunAsync(["ps", "--all", "--quiet", "--no-trunc", "--filter", "label=com.docker.compose.project=" + request.ProjectName], cancellationToken: cancellationToken).ConfigureAwait(false);
        var ids = ps.StandardOutput.Select(l => l.Trim()).Where(l => l.Length > 0).ToList();
        if (!ps.Succeeded || ids.Count == 0)
        {
            return [];
        }

        var inspect = await _docker.RunAsync(["inspect", .. ids], cancellationToken: cancellationToken).ConfigureAwait(false);
        if (!inspect.Succeeded)
        {
            // A container went away between the two calls: the next poll sees the new state.
            return [];
        }

        return ContainerStatus.ParseInspect(inspect.Stdout);
    }

    private async Task<ProcessResult> RunComposeAsync(ComposeRequest request, string[] command, CancellationToken cancellationToken)
    {
        var spec = Spec(request, command);
        _progress.Status(spec.Display);
        return await _docker.Runner.RunAsync(spec, new ProgressObserver(_progress, stripAnsi: true), cancellationToken).ConfigureAwait(false);
    }

    private static async Task StopAsync(CancellationTokenSource stop, Task<ProcessResult> up)
    {
        if (!up.IsCompleted)
        {
            stop.Cancel();
            await up.ConfigureAwait(false);
        }
    }

    private async Task<Diagnostic> DescribeFailureAsync(ContainerStatus failed, TimeSpan elapsed, CancellationToken cancellationToken, bool late = false)
    {
        var logs = await _docker.RunAsync(["logs", "--tail", "15", failed.Id], cancellationToken: cancellationToken).ConfigureAwait(false);
        string lines = Indentation.Block(string.Join('\n', logs.StandardOutput.Concat(logs.StandardError).TakeLast(15)));
        int seconds = (int)elapsed.TotalSeconds;
        if (late && !failed.IsFailed)
        {
            string state = failed.Health is null ? failed.State : $"{failed.State} ({failed.Health})";
            return DiagnosticCatalog.ComposeServiceNotReady.Create(failed.Service, state, seconds, Indentation.Block(failed.LastHealthOutput.Trim()), lines, failed.Name);
        }

        if (failed.Health == "unhealthy")
        {
            return DiagnosticCatalog.ComposeServiceUnhealthy.Create(failed.Service, seconds, Indentation.Block(failed.LastHealthOutput.Trim()), lines, failed.Name);
        }

        string what = failed.RestartCount > 0 || failed.State == "restarting"
            ? $"keeps restarting (restarted {failed.RestartCount} times, last exit code {failed.ExitCode})"
            : $"exited with code {failed.ExitCode}";
        return DiagnosticCatalog.ComposeServiceExited.Create(failed.Service, what, seconds, lines, failed.Name);
    }

    private async Task<ComposeUpResult> FailAsync(ComposeRequest request, IReadOnlyCollection<string> volumesBefore, List<Diagnostic> diagnostics, IReadOnlyList<ContainerStatus> containers, Stopwatch clock, CancellationToken cancellationToken)
    {
        if (request.DownOnFailure && !cancellationToken.IsCancellationRequested)
        {
            _progress.Status("Tearing the stack down (SbirComposeDownOnFailure=true).");
            diagnostics.AddRange(await DownAsync(request, CancellationToken.None).ConfigureAwait(false));
            var created = (await ProjectVolumesAsync(request, CancellationToken.None).ConfigureAwait(false)).Except(volumesBefore, StringComparer.Ordinal).ToList();
            if (created.Count > 0)
            {
                _progress.Status("Removing the volumes this ComposeUp created: " + string.Join(", ", created) + ".");
                await _docker.RunAsync(["volume", "rm", "--force", .. created], cancellationToken: CancellationToken.None).ConfigureAwait(false);
            }
        }

        return new ComposeUpResult(diagnostics, containers, clock.Elapsed, null);
    }

    private async Task<IReadOnlyCollection<string>> ProjectVolumesAsync(ComposeRequest request, CancellationToken cancellationToken)
    {
        var volumes = await _docker.RunAsync(["volume", "ls", "--quiet", "--filter", "label=com.docker.compose.project=" + request.ProjectName], cancellationToken: cancellationToken).ConfigureAwait(false);
        return volumes.StandardOutput.Select(l => l.Trim()).Where(l => l.Length > 0).ToHashSet(StringComparer.Ordinal);
    }
}
